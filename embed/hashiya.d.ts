// Type declarations for the Hashiya embed bundle (`dist/embed/hashiya.js`).
//
//   <script type="module" src="https://your.cdn/hashiya/hashiya.js"></script>
//   <hashiya-annotator doc-id="article-42" lang="ar">
//     <h2>عنوان المقال</h2>
//     <p>الفقرة الأولى …</p>
//   </hashiya-annotator>
//
// Offsets are in Unicode code points of the article text, whose blocks
// (headings and paragraphs, in order) are joined by one "\n".

/** A label id: the built-in `person`, `place`, `claim`, or one named in `labels`. */
export type HashiyaLabel = "person" | "place" | "claim" | (string & {});

/** One annotation, as in the Hashiya JSON export (format v2). */
export interface HashiyaAnnotation {
  id: string;
  label: HashiyaLabel;
  /** First code point of the span. */
  start: number;
  /** One past the last code point of the span. */
  end: number;
  /** The annotated text, `text[start..end]`. */
  quote: string;
  /** Up to 32 code points before the span. */
  prefix: string;
  /** Up to 32 code points after the span. */
  suffix: string;
  /** The same span in UTF-16 code units (JavaScript string indices). */
  utf16_start: number;
  utf16_end: number;
  note: string | null;
  created_at: string;
  updated_at: string;
  /** A claim's verdict: the id of one of the widget's verdicts (see the `verdicts` attribute); null elsewhere or unset. */
  verdict: string | null;
  /** A claim's evidence or published check, an http(s) URL; null elsewhere or unset. */
  source: string | null;
}

/** What a relation says: the claim's speaker (a person, at most one per claim) or what it is about (a person or a place). */
export type HashiyaRelationType = "speaker" | "about";

/** A link from a claim to a person or place of the same article. */
export interface HashiyaRelation {
  id: string;
  type: HashiyaRelationType;
  /** The claim's annotation id. */
  from: string;
  /** The person's or place's annotation id. */
  to: string;
  created_at: string;
  updated_at: string;
}

/** What `addRelation` takes. */
export interface HashiyaNewRelation {
  type: HashiyaRelationType;
  from: string;
  to: string;
}

/** A rectangle in viewport pixels (as `getBoundingClientRect()` gives). */
export interface HashiyaRect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** An annotation that lost its place when the article text changed. */
export interface HashiyaOrphan {
  id: string;
  label: HashiyaLabel;
  start: number;
  end: number;
  quote: string;
  prefix: string;
  suffix: string;
  note: string | null;
  created_at: string;
  updated_at: string;
}

/** One article with its annotations (a document of the Hashiya JSON export). */
export interface HashiyaDocument {
  doc_id: string;
  title: string;
  lang: string;
  dir: "rtl" | "ltr";
  text: string;
  annotations: HashiyaAnnotation[];
  /** Claims' links (format v2). */
  relations: HashiyaRelation[];
  orphans?: HashiyaOrphan[];
}

/** What `addAnnotation` takes. */
export interface HashiyaNewAnnotation {
  start: number;
  end: number;
  label: HashiyaLabel;
  note?: string | null;
  /** Claims only: one of the widget's verdict ids. */
  verdict?: string | null;
  /** Claims only: an http(s) URL. */
  source?: string | null;
}

/** What `setAnnotations` takes: new annotations, or exported ones (their ids are kept). */
export type HashiyaAnnotationInput = HashiyaNewAnnotation & Partial<Pick<HashiyaAnnotation, "id">>;

/** The outcome of `importJson`. */
export interface HashiyaImportResult {
  /** "Hashiya JSON", "JSONL" or "W3C Web Annotation". */
  format: string;
  /** Annotations added to this article. */
  added: number;
  /** Annotations already present (same id, or same span and label), skipped. */
  duplicates: number;
  /** Articles in the input with another text (skipped: a widget holds one article). */
  other_articles: number;
  /** Labels this widget does not have, with how many annotations carried each (skipped). */
  unknown_labels: Record<string, number>;
  /** Relations of types this widget does not have (JSONL), by type. */
  skipped_relations: Record<string, number>;
}

/** `detail` of `hashiya-error`. */
export interface HashiyaErrorDetail {
  /** What went wrong, in English. */
  message: string;
  /** The same, in Arabic. */
  message_ar: string;
  /**
   * Where it came from: `storage` (localStorage full, missing or holding a
   * value it could not read: a backup is kept), `src` (the `src` file could
   * not be fetched or read), `widget` (anything else the user is shown as an
   * error, e.g. a refused import, a bad `labels` id, `verdicts` list or
   * `url`). API misuse throws
   * instead.
   */
  source: "storage" | "src" | "widget";
}

/**
 * `detail` of `hashiya-relation`: a link was made or removed, by the user
 * or the API, by undo or redo, or because its person or place was deleted
 * or relabelled. The claim also gets a `hashiya-update`.
 */
export interface HashiyaRelationDetail {
  action: "create" | "delete";
  relation: HashiyaRelation;
}

/** `detail` of `hashiya-ready`. */
export interface HashiyaReadyDetail {
  doc_id: string;
  annotations: number;
}

/**
 * `detail` of `hashiya-change`, told after every change (since 0.2): what
 * the change did, in counts. A small change has already been told
 * annotation by annotation (`hashiya-create`/`-update`/`-delete`, then
 * `hashiya-relation`); a `bulk` one (more than 100 annotations at once:
 * `setAnnotations`, `importJson`, `clear`, or the undo or redo of one) is
 * told by this event alone: call `getAnnotations()` for the annotations.
 *
 * The detail is also the whole document, as in 0.1 (`text`, `annotations`,
 * `relations`, …), as of this change; those keys are built when first read,
 * so a host that reads only the counts never pays for them. Read them in the
 * listener: the documents of the last 8 changes are kept, an older one
 * throws.
 */
export interface HashiyaChangeDetail extends HashiyaDocument, HashiyaChange {}

/**
 * What a change did, in counts: the own keys of `hashiya-change`'s detail,
 * and what `setAnnotations` answers for its own change (since 0.4; all 0
 * when nothing changed, and then no event is told).
 */
export interface HashiyaChange {
  doc_id: string;
  /** Annotations in the article after the change. */
  count: number;
  /** How many annotations the change created, updated and deleted. */
  created: number;
  updated: number;
  deleted: number;
  /** More than 100 annotations changed: no event per annotation was sent. */
  bulk: boolean;
}

export interface HashiyaEventMap {
  "hashiya-ready": CustomEvent<HashiyaReadyDetail>;
  "hashiya-create": CustomEvent<HashiyaAnnotation>;
  "hashiya-update": CustomEvent<HashiyaAnnotation>;
  "hashiya-delete": CustomEvent<HashiyaAnnotation>;
  "hashiya-relation": CustomEvent<HashiyaRelationDetail>;
  "hashiya-change": CustomEvent<HashiyaChangeDetail>;
  "hashiya-error": CustomEvent<HashiyaErrorDetail>;
}

/** Attributes of `<hashiya-annotator>`; changing one updates the widget. */
export interface HashiyaAnnotatorAttributes {
  /** Storage key (`hashiya:v1:doc:<doc-id>`); default: a digest of the text. */
  "doc-id"?: string;
  /** URL of a `.txt` article or a Hashiya JSON export; used instead of the children. */
  src?: string;
  /** Comma-separated label ids in toolbar order; default `person,place,claim`. */
  labels?: string;
  /** Colours of labels, e.g. `organisation:#cde7ff,person:#ffd8a8`. */
  "label-colors"?: string;
  lang?: string;
  dir?: "rtl" | "ltr";
  /** `local` (default) keeps annotations in localStorage; `none` keeps nothing. */
  storage?: "local" | "none";
  /** Present: annotations are shown and can be listed, not changed by the user. */
  readonly?: "" | boolean;
  /** Language of the widget's own buttons and messages. */
  "ui-lang"?: "ar" | "en";
  /**
   * How highlights are drawn: `marks` (inline `<mark>` pieces carrying
   * `data-annotation-id`/`data-label`) or `highlights` (painted with the CSS
   * Custom Highlight API, no element inside the text). Default: measured
   * once per page; engines that re-shape Arabic at element boundaries
   * (WebKit) get `highlights`.
   */
  renderer?: "marks" | "highlights";
  /**
   * The verdicts a claim can be given, in menu order: a JSON array
   * `[{"id": "sound", "ar": "سليم", "en": "Sound", "rating": 5}]` (`en`
   * defaults to `ar`, `ar` to the id; `rating` 1–5 on ClaimReview's scale,
   * left out for verdicts that rate nothing) or comma-separated ids. Default:
   * `true`, `mostly-true`, `misleading`, `false`, `unproven`. A bad list is
   * reported with `hashiya-error` and the verdicts in use stay.
   */
  verdicts?: string;
  /** The article's address (absolute or relative to the page), for `exportClaimReview`; http(s) only. */
  url?: string;
}

export declare class HashiyaAnnotatorElement extends HTMLElement {
  /**
   * Resolves once the widget has loaded its article and annotations (after
   * `hashiya-ready`); rejects if it cannot (a `src` that fails, no text), after
   * `hashiya-error`. A new promise follows a reload (`src`, `doc-id`, … changed).
   */
  readonly ready: Promise<void>;
  /** The annotations in reading order. */
  getAnnotations(): HashiyaAnnotation[];
  /**
   * Replaces every annotation (one undo step). The list carries no links: a
   * claim it keeps (same id) keeps its links to the annotations it keeps.
   * Throws an `Error` naming the bad entry; then nothing changes. Answers
   * what changed, in counts (up to 0.3: the annotations; call
   * `getAnnotations()` for them).
   */
  setAnnotations(list: HashiyaAnnotationInput[]): HashiyaChange;
  /**
   * Adds one annotation and returns it (one undo step). Throws an `Error`
   * for a bad range, an unknown label or verdict, a source that is not
   * http(s), or a verdict or source on anything but a claim.
   */
  addAnnotation(a: HashiyaNewAnnotation): HashiyaAnnotation;
  /** Every claim's links, in reading order of the claims. */
  getRelations(): HashiyaRelation[];
  /**
   * Links a claim to its speaker (a person; a new one replaces the old) or to
   * a person or place it is about, and returns the relation (one undo step).
   * Throws an `Error` for an unknown type, an id that is not in the article,
   * a `from` that is not a claim, the wrong kind of end, or a link that is
   * already there; then nothing changes.
   */
  addRelation(r: HashiyaNewRelation): HashiyaRelation;
  /** Removes a relation; false if there was none with that id. */
  removeRelation(id: string): boolean;
  /** Removes an annotation; false if there was none with that id. */
  removeAnnotation(id: string): boolean;
  /** Where an annotation is drawn, in viewport pixels, whatever the renderer; `[]` for an unknown id. */
  getHighlightRects(id: string): HashiyaRect[];
  /** The renderer in use (see the `renderer` attribute). */
  readonly renderer: "marks" | "highlights";
  /** The article as a Hashiya JSON export (a string, as the file would hold). */
  exportJson(): string;
  /** The annotations as W3C Web Annotations (JSON-LD string). */
  exportW3c(): string;
  /** The annotations as JSONL (one line for the article). */
  exportJsonl(): string;
  /**
   * The claims that have a verdict as schema.org `ClaimReview` JSON-LD (a
   * string holding an array, `[]` when no claim has a verdict): each with
   * `claimReviewed`, `reviewRating` (`alternateName`: the verdict's name in
   * the article's language, Arabic for `lang="ar"`, English otherwise; with
   * `ratingValue`/`bestRating`/`worstRating` when the verdict rates),
   * `url` (the claim's source), `datePublished`, and `itemReviewed`, a
   * `Claim` with its speaker as `author`, its subjects as `about` and the
   * article (with the `url` attribute) as `appearance`.
   */
  exportClaimReview(): string;
  /** Imports Hashiya JSON, JSONL or W3C text (merging). Throws an `Error` for bad input; then nothing changes. */
  importJson(text: string): HashiyaImportResult;
  /** Removes every annotation (one undo step). */
  clear(): void;
  /** Undoes the last change; false if there was nothing to undo. */
  undo(): boolean;
  /** Redoes the last undone change; false if there was nothing to redo. */
  redo(): boolean;

  addEventListener<K extends keyof HashiyaEventMap>(
    type: K,
    listener: (this: HashiyaAnnotatorElement, ev: HashiyaEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject,
    options?: boolean | AddEventListenerOptions,
  ): void;
  removeEventListener<K extends keyof HashiyaEventMap>(
    type: K,
    listener: (this: HashiyaAnnotatorElement, ev: HashiyaEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(
    type: string,
    listener: EventListenerOrEventListenerObject,
    options?: boolean | EventListenerOptions,
  ): void;
}

declare global {
  interface HTMLElementTagNameMap {
    "hashiya-annotator": HashiyaAnnotatorElement;
  }
  interface HTMLElementEventMap extends HashiyaEventMap {}
}
