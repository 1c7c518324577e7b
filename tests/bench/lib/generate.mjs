// Deterministic benchmark documents in the Hashiya JSON export format v1.
//
// The text repeats the body paragraphs of assets/seed-articles.txt (parsed the
// same way the e2e tests parse it) under a heading line; blocks are joined by
// "\n". Annotations lie on word boundaries, are labelled person / place /
// claim, and some claims contain person and place spans (nesting). Offsets are
// code points, quotes equal the text slice, ids are unique. Same seed, same
// document, byte for byte.

import { seedArticles } from '../../e2e/lib/app.mjs';

/** mulberry32: a small, fast, seeded PRNG returning floats in [0, 1). */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const cpLen = (s) => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};
const hasAstral = (s) => /[\uD800-\uDFFF]/.test(s);

const LEADING = /^["«“(\[]+/u;
const TRAILING = /["»”)\].,،:;؛؟!?]+$/u;

/** Words of a line as UTF-16 [start, end), punctuation at either end left out. */
function wordsOf(line) {
  const out = [];
  for (const m of line.matchAll(/\S+/gu)) {
    let s = m.index;
    let e = m.index + m[0].length;
    const lead = m[0].match(LEADING);
    if (lead) s += lead[0].length;
    const trail = line.slice(s, e).match(TRAILING);
    if (trail) e -= trail[0].length;
    if (e > s) out.push([s, e]);
  }
  return out;
}

/** The seed's body paragraphs (no headings, no source lines), in order. */
export function seedParagraphs() {
  return seedArticles().flatMap((a) => a.paragraphs);
}

/**
 * Builds one document of about `codePoints` code points with exactly
 * `annotations` annotations (when the text has room for them).
 * Returns `{ docId, json, text, doc, stats, probe }`; `probe` is a word near
 * the top (in block 2) that carries no annotation of its own, for the add
 * benchmark, as UTF-16 offsets into the article text.
 */
export function generateDocument({ codePoints, annotations, seed = 1, claimShare = 0.2 }) {
  const rand = prng(seed);
  const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
  const paras = seedParagraphs();
  const tag = codePoints >= 1_000_000 ? `${codePoints / 1_000_000}m` : `${Math.round(codePoints / 1000)}k`;
  const docId = `bench-${tag}-${annotations}`;
  const heading = `مقال لقياس الأداء: ${codePoints.toLocaleString('en-US')} محرف و${annotations.toLocaleString('en-US')} توسيم`;

  // Text: heading, then seed paragraphs round and round until the length is reached.
  const lines = [heading];
  let total = cpLen(heading);
  for (let i = 0; total + 1 < codePoints; i++) {
    let p = paras[i % paras.length];
    const room = codePoints - total - 1; // minus the "\n" before this line
    if (cpLen(p) > room) {
      // Cut the last paragraph after a whole word, then pad with dots to the exact length.
      const cut = [...p].slice(0, room).join('');
      const lastSpace = cut.lastIndexOf(' ');
      p = (lastSpace > 0 ? cut.slice(0, lastSpace) : cut).replace(TRAILING, '');
      p += '.'.repeat(Math.max(0, room - cpLen(p)));
    }
    lines.push(p);
    total += 1 + cpLen(p);
  }
  const text = lines.join('\n');

  // Where each line starts, in UTF-16 units and in code points.
  const starts16 = [];
  const startsCp = [];
  {
    let u = 0;
    let c = 0;
    for (const l of lines) {
      starts16.push(u);
      startsCp.push(c);
      u += l.length + 1;
      c += cpLen(l) + 1;
    }
  }
  const toCp = (lineIdx, u16) => {
    const l = lines[lineIdx];
    return startsCp[lineIdx] + (hasAstral(l) ? cpLen(l.slice(0, u16)) : u16);
  };

  // Spread the annotations over the body lines in proportion to their words.
  const body = lines.map((l, i) => ({ i, words: i === 0 ? [] : wordsOf(l) }));
  const totalWords = body.reduce((n, b) => n + b.words.length, 0);
  const anns = [];
  let carry = 0;
  let seenWords = 0;
  let nested = 0;
  for (const b of body) {
    if (!b.words.length) continue;
    seenWords += b.words.length;
    const want = Math.round((annotations * seenWords) / totalWords) - (anns.length - carry) + carry;
    const made = annotateLine(b, want);
    carry = want - made;
  }

  function annotateLine({ i, words }, want) {
    if (want <= 0) return 0;
    const m = words.length;
    // Claims: non-overlapping runs of 4-10 words, about claimShare of the spans.
    let nClaims = Math.min(Math.round(want * claimShare), Math.floor(m / 5));
    const claims = [];
    let w = int(0, 3);
    while (claims.length < nClaims && w + 4 <= m) {
      const len = Math.min(int(4, 10), m - w);
      claims.push([w, w + len - 1]);
      w += len + int(1, 4);
    }
    nClaims = claims.length;
    const inClaim = new Int32Array(m).fill(-1);
    claims.forEach(([a, z], k) => {
      for (let x = a; x <= z; x++) inClaim[x] = k;
    });
    // Entities: single words, sometimes two, never crossing a claim's edge.
    const nEntities = Math.min(want - nClaims, Math.floor(m * 0.6));
    const order = [...Array(m).keys()];
    for (let x = m - 1; x > 0; x--) {
      const y = Math.floor(rand() * (x + 1));
      [order[x], order[y]] = [order[y], order[x]];
    }
    const taken = new Uint8Array(m);
    const entities = [];
    for (const x of order) {
      if (entities.length >= nEntities) break;
      if (taken[x]) continue;
      let z = x;
      if (x + 1 < m && !taken[x + 1] && inClaim[x + 1] === inClaim[x] && rand() < 0.3) z = x + 1;
      // A one-word claim edge would make entity and claim the same span: fine (two labels), but keep them apart.
      taken[x] = 1;
      taken[z] = 1;
      entities.push([x, z, rand() < 0.55 ? 'person' : 'place']);
    }
    const line = lines[i];
    const push = (a, z, label) => {
      const s16 = words[a][0];
      const e16 = words[z][1];
      anns.push({
        label,
        start: toCp(i, s16),
        end: toCp(i, e16),
        quote: line.slice(s16, e16),
      });
    };
    for (const [a, z] of claims) push(a, z, 'claim');
    for (const [a, z, label] of entities) {
      if (inClaim[a] >= 0) nested++;
      push(a, z, label);
    }
    return nClaims + entities.length;
  }

  anns.sort((p, q) => p.start - q.start || q.end - p.end || p.label.localeCompare(q.label));
  const width = String(anns.length).length;
  const annotationsOut = anns.map((a, k) => ({
    id: `${docId}-a${String(k).padStart(width, '0')}`,
    label: a.label,
    start: a.start,
    end: a.end,
    quote: a.quote,
  }));

  const doc = {
    doc_id: docId,
    title: heading,
    lang: 'ar',
    dir: 'rtl',
    text,
    annotations: annotationsOut,
  };
  const exportObj = {
    format: 'hashiya',
    version: 1,
    exported_at: '2026-01-01T00:00:00.000Z',
    documents: [doc],
  };
  const json = JSON.stringify(exportObj);

  // A word in block 2 with no annotation of exactly its span.
  let probe = null;
  {
    const li = Math.min(2, lines.length - 1);
    const ws = wordsOf(lines[li]);
    const exact = new Set(annotationsOut.map((a) => `${a.start}:${a.end}`));
    for (const [s16, e16] of ws.slice(2)) {
      const key = `${toCp(li, s16)}:${toCp(li, e16)}`;
      if (!exact.has(key) && e16 - s16 >= 3) {
        probe = { block: li, start: starts16[li] + s16, end: starts16[li] + e16, word: lines[li].slice(s16, e16) };
        break;
      }
    }
  }

  const counts = { person: 0, place: 0, claim: 0 };
  for (const a of annotationsOut) counts[a.label]++;
  return {
    docId,
    json,
    text,
    doc,
    probe,
    stats: {
      code_points: cpLen(text),
      blocks: lines.length,
      annotations: annotationsOut.length,
      nested_in_claims: nested,
      labels: counts,
      json_bytes: Buffer.byteLength(json, 'utf8'),
    },
  };
}

/**
 * Hashiya JSON that puts `perArticle` annotations on each given article
 * (`[{ docId, text }]`, texts as the app shows them), for the cold-start figure.
 */
export function seedAnnotationsExport(articles, perArticle = 10, seed = 7) {
  const rand = prng(seed);
  const documents = articles.map(({ docId, text }) => {
    const lines = text.split('\n');
    const anns = [];
    let u = 0;
    const cands = [];
    lines.forEach((l, li) => {
      if (li > 0) for (const [s, e] of wordsOf(l)) if (e - s >= 3) cands.push([u + s, u + e]);
      u += l.length + 1;
    });
    const step = Math.max(1, Math.floor(cands.length / perArticle));
    for (let k = 0; k < perArticle && k * step < cands.length; k++) {
      const [s16, e16] = cands[k * step + Math.floor(rand() * Math.min(step, 3))];
      const start = cpLen(text.slice(0, s16));
      const end = start + cpLen(text.slice(s16, e16));
      anns.push({ id: `seed-${docId}-${k}`, label: ['person', 'place', 'claim'][k % 3], start, end, quote: text.slice(s16, e16) });
    }
    return { doc_id: docId, lang: 'ar', dir: 'rtl', text, annotations: anns };
  });
  return JSON.stringify({ format: 'hashiya', version: 1, exported_at: '2026-01-01T00:00:00.000Z', documents });
}
