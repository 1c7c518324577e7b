// A host app as a web developer writes one: it imports the npm package,
// listens to every event and can call every method. The test bundles it with
// Vite and with esbuild, and type-checks it with tsc (--noEmit, strict).
import 'hashiya';
import type {
  HashiyaAnnotation,
  HashiyaAnnotatorElement,
  HashiyaChangeDetail,
  HashiyaDocument,
  HashiyaEventMap,
  HashiyaImportResult,
  HashiyaRect,
  HashiyaRelation,
} from 'hashiya';

interface Heard {
  type: keyof HashiyaEventMap;
  detail: unknown;
}

declare global {
  interface Window {
    heard: Heard[];
    useEveryMethod: () => Promise<Record<string, unknown>>;
  }
}

window.heard = [];
// typed through HTMLElementTagNameMap: no cast
const el: HashiyaAnnotatorElement | null = document.querySelector('hashiya-annotator');
if (!el) throw new Error('the page has no <hashiya-annotator>');
const log = document.getElementById('events');

const kinds: (keyof HashiyaEventMap)[] = [
  'hashiya-ready',
  'hashiya-create',
  'hashiya-update',
  'hashiya-delete',
  'hashiya-relation',
  'hashiya-change',
  'hashiya-error',
];
for (const type of kinds) {
  el.addEventListener(type, (e) => {
    window.heard.push({ type, detail: e.detail });
    log?.append(`${type}\n`);
  });
}
// the details are typed per event
el.addEventListener('hashiya-create', (e) => {
  const a: HashiyaAnnotation = e.detail;
  log?.append(`  ${a.label} «${a.quote}» ${a.start}..${a.end}\n`);
});
el.addEventListener('hashiya-change', (e) => {
  const change: HashiyaChangeDetail = e.detail;
  log?.append(`  ${change.count} now: +${change.created} ~${change.updated} -${change.deleted}${change.bulk ? ' (bulk)' : ''}\n`);
  // still the whole document too (0.1 hosts), built when first read
  const doc: HashiyaDocument = e.detail;
  document.title = `${doc.annotations.length} annotations`;
});
el.addEventListener('hashiya-relation', (e) => {
  const r: HashiyaRelation = e.detail.relation;
  log?.append(`  ${e.detail.action} ${r.type}\n`);
});
el.addEventListener('hashiya-error', (e) => {
  log?.append(`  ${e.detail.source}: ${e.detail.message}\n`);
});

/** Calls every method once, on spans at the article's start. */
async function useEveryMethod(w: HashiyaAnnotatorElement): Promise<Record<string, unknown>> {
  await w.ready;
  const before: HashiyaAnnotation[] = w.getAnnotations();
  const person = w.addAnnotation({ start: 0, end: 3, label: 'person' });
  const claim = w.addAnnotation({
    start: 4,
    end: 12,
    label: 'claim',
    note: 'from the npm host',
    verdict: 'false',
    source: 'https://example.org/check',
  });
  const relation: HashiyaRelation = w.addRelation({ type: 'speaker', from: claim.id, to: person.id });
  const relations = w.getRelations().length;
  const rects: HashiyaRect[] = w.getHighlightRects(person.id);
  const renderer: 'marks' | 'highlights' = w.renderer;
  const exports = [w.exportJson(), w.exportW3c(), w.exportJsonl(), w.exportClaimReview()].map((s) => s.length > 0);
  const unlinked: boolean = w.removeRelation(relation.id);
  const removed: boolean = w.removeAnnotation(claim.id);
  const undone: boolean = w.undo();
  const redone: boolean = w.redo();
  const saved = w.exportJson();
  w.clear();
  const imported: HashiyaImportResult = w.importJson(saved);
  const set = w.setAnnotations(before).count;
  return { relations, rects: rects.length, renderer, exports, unlinked, removed, undone, redone, imported: imported.added, set, after: w.getAnnotations().length };
}

window.useEveryMethod = () => useEveryMethod(el);
