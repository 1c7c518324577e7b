// A fact-checker's claims through the JS API of <hashiya-annotator>: links
// from a claim to its speaker and subjects (getRelations, addRelation,
// removeRelation, hashiya-relation), a claim's verdict and source through
// addAnnotation and setAnnotations, links dropped with their person and
// brought back by undo, bad input throwing and changing nothing, the
// ClaimReview export, and the `verdicts` and `url` attributes.

import assert from 'node:assert/strict';
import { seedArticles, cpSpan, cpSlice, STORAGE_PREFIX } from './lib/app.mjs';
import { useHost, hostTest } from './lib/host/session.mjs';
import { hostPage, widget, blocksHtml } from './lib/host/pages.mjs';
import { wMarks, waitCount, hashiyaStorage, waitStored } from './lib/host/widget.mjs';
import { events, waitEvents, clearEvents } from './lib/host/recorder.mjs';
import { call, callThrows } from './lib/host/api.mjs';
import { poll } from './lib/browser.mjs';

const SEED = seedArticles();
const W_BLOCKS = [SEED[1].heading, SEED[1].paragraphs[0], SEED[1].paragraphs[1]];
const W_TEXT = W_BLOCKS.join('\n');
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const RELATION_KEYS = ['created_at', 'from', 'id', 'to', 'type', 'updated_at'];
const HOST_VERDICTS = JSON.stringify([
  { id: 'sound', ar: 'سليم', en: 'Sound', rating: 5 },
  { id: 'odd', ar: 'غريب' },
]);

const env = useHost({
  pages: {
    '/claims.html': (c) => hostPage({ script: c.bundle, body: widget({ id: 'w', 'doc-id': 'claims-doc', lang: 'ar' }, blocksHtml(W_BLOCKS)) }),
    '/attrs.html': (c) =>
      hostPage({
        script: c.bundle,
        body:
          widget({ id: 'v', 'doc-id': 'verdicts-doc', storage: 'none', verdicts: HOST_VERDICTS, url: '/news/42.html?from=home' }, blocksHtml(W_BLOCKS)) +
          widget({ id: 'bad', 'doc-id': 'bad-doc', storage: 'none', verdicts: '[{"id": "x", "rating": 9}]', url: 'javascript:alert(1)' }, blocksHtml(W_BLOCKS)),
      }),
  },
});

/** The code point span of the `occurrence`-th `needle` in the widget's text. */
const span = (needle, occurrence = 0) => cpSpan(W_TEXT, needle, { occurrence });

/** The cast of every test: two persons, a place and a claim, added through the API. */
async function cast(page, host = '#w') {
  const add = (needle, label, occurrence = 0, extra = {}) => call(page, host, 'addAnnotation', { ...span(needle, occurrence), label, ...extra });
  return {
    kerry: await add('كيري', 'person', 2),
    zarif: await add('محمد جواد ظريف', 'person'),
    russia: await add('روسيا', 'place'),
    claim: await add('صبرنا ليس بلا حدود', 'claim'),
  };
}

/** Asserts a relation has the export shape and says what is expected. */
function checkRelation(r, { type, from, to }) {
  assert.deepEqual(Object.keys(r).sort(), RELATION_KEYS, `relation shape: ${JSON.stringify(r)}`);
  assert.deepEqual({ type: r.type, from: r.from, to: r.to }, { type, from, to });
  assert.ok(typeof r.id === 'string' && r.id.length > 0);
  assert.match(r.created_at, ISO);
  assert.match(r.updated_at, ISO);
}

/** The hashiya-relation events recorded, as [action, relation id]. */
const relationEvents = async (page, host = 'w') => (await events(page, { type: 'hashiya-relation', host })).map((e) => [e.detail.action, e.detail.relation.id]);

/** The last hashiya-change's document. */
const lastChange = async (page, host = 'w') => (await events(page, { type: 'hashiya-change', host })).at(-1)?.detail;

/** Everything that must stay the same when a call is refused. */
async function snapshot(page) {
  const doc = JSON.parse(await call(page, '#w', 'exportJson'));
  delete doc.exported_at;
  return {
    doc,
    relations: await call(page, '#w', 'getRelations'),
    marks: await wMarks(page, '#w'),
    stored: (await hashiyaStorage(page))[STORAGE_PREFIX + 'claims-doc'] ?? null,
  };
}

/** Waits until the stored record of `docId` mentions `text` (an id): the last change is written. */
async function waitStoredWith(page, docId, text) {
  try {
    await poll(page, ([k, t]) => (localStorage.getItem(k) ?? '').includes(t), [STORAGE_PREFIX + docId, text], { timeout: 10_000 });
  } catch {
    throw new Error(`localStorage ${STORAGE_PREFIX + docId} never held ${text}: ${JSON.stringify(await hashiyaStorage(page))}`);
  }
}

/** Sets (or with null removes) an attribute of widget `host`. */
const setAttr = (page, host, name, value) =>
  page.evaluate(([h, n, v]) => (v === null ? document.querySelector(h).removeAttribute(n) : document.querySelector(h).setAttribute(n, v)), [host, name, value]);

hostTest(env, 'addRelation links a claim to its speaker and subjects; getRelations, removeRelation, and hashiya-relation tell each change', '/claims.html', async ({ page }) => {
  const { kerry, zarif, russia, claim } = await cast(page);
  assert.deepEqual(await call(page, '#w', 'getRelations'), [], 'no links yet');
  await clearEvents(page);

  const speaker = await call(page, '#w', 'addRelation', { type: 'speaker', from: claim.id, to: kerry.id });
  checkRelation(speaker, { type: 'speaker', from: claim.id, to: kerry.id });
  const about = await call(page, '#w', 'addRelation', { type: 'about', from: claim.id, to: russia.id });
  checkRelation(about, { type: 'about', from: claim.id, to: russia.id });
  assert.notEqual(speaker.id, about.id);
  assert.deepEqual(await call(page, '#w', 'getRelations'), [speaker, about]);

  // Told before the call returns: a relation event each, the claim updated, the document last.
  const relEvents = await events(page, { type: 'hashiya-relation', host: 'w' });
  assert.deepEqual(relEvents.map((e) => e.detail), [{ action: 'create', relation: speaker }, { action: 'create', relation: about }]);
  assert.ok(relEvents.every((e) => e.bubbles && e.composed && e.isCustom), 'hashiya-relation is a bubbling, composed CustomEvent');
  const updates = await events(page, { type: 'hashiya-update', host: 'w' });
  assert.deepEqual(updates.map((e) => e.detail.id), [claim.id, claim.id], 'the claim that holds the links is updated');
  assert.equal((await events(page, { host: 'w' })).at(-1).type, 'hashiya-change', 'hashiya-change comes last');
  assert.deepEqual((await lastChange(page)).relations, [speaker, about], 'hashiya-change carries the relations');

  const exported = JSON.parse(await call(page, '#w', 'exportJson'));
  assert.equal(exported.version, 2);
  assert.deepEqual(exported.documents[0].relations, [speaker, about], 'exportJson carries the same relations');
  await waitStoredWith(page, 'claims-doc', about.id);
  assert.ok(JSON.stringify(await hashiyaStorage(page)).includes(speaker.id), 'the links are stored with the article');

  // A new speaker replaces the old one: told as a deletion and a creation.
  await clearEvents(page);
  const other = await call(page, '#w', 'addRelation', { type: 'speaker', from: claim.id, to: zarif.id });
  checkRelation(other, { type: 'speaker', from: claim.id, to: zarif.id });
  assert.deepEqual(await call(page, '#w', 'getRelations'), [about, other]);
  assert.deepEqual(await relationEvents(page), [['delete', speaker.id], ['create', other.id]]);

  // removeRelation: true once, then false; an unknown id is false.
  await clearEvents(page);
  assert.equal(await call(page, '#w', 'removeRelation', about.id), true);
  assert.deepEqual(await call(page, '#w', 'getRelations'), [other]);
  assert.deepEqual(await relationEvents(page), [['delete', about.id]]);
  assert.deepEqual((await lastChange(page)).relations, [other]);
  assert.equal(await call(page, '#w', 'removeRelation', about.id), false, 'a removed relation is gone');
  assert.equal(await call(page, '#w', 'removeRelation', 'no-such-relation'), false);

  // Each link is one undo step, and undo brings back the same relation.
  await clearEvents(page);
  assert.equal(await call(page, '#w', 'undo'), true);
  assert.deepEqual(await call(page, '#w', 'getRelations'), [about, other]);
  assert.deepEqual(await relationEvents(page), [['create', about.id]]);
  assert.equal(await call(page, '#w', 'redo'), true);
  assert.deepEqual(await call(page, '#w', 'getRelations'), [other]);

  // Deleting the claim takes its links with it.
  await clearEvents(page);
  assert.equal(await call(page, '#w', 'removeAnnotation', claim.id), true);
  assert.deepEqual(await call(page, '#w', 'getRelations'), []);
  assert.deepEqual(await relationEvents(page), [['delete', other.id]]);
});

hostTest(env, 'deleting a linked person drops the link in the same step; undo brings both back, redo drops them again', '/claims.html', async ({ page }) => {
  const { kerry, russia, claim } = await cast(page);
  const speaker = await call(page, '#w', 'addRelation', { type: 'speaker', from: claim.id, to: kerry.id });
  const about = await call(page, '#w', 'addRelation', { type: 'about', from: claim.id, to: russia.id });
  await waitCount(page, '#w', 4);
  await clearEvents(page);

  assert.equal(await call(page, '#w', 'removeAnnotation', kerry.id), true);
  assert.deepEqual(await call(page, '#w', 'getRelations'), [about], 'the link to the deleted person is gone, the other stays');
  const told = (await events(page, { host: 'w' })).map((e) => [e.type, e.detail.id ?? e.detail.relation?.id ?? null]);
  assert.deepEqual(
    told,
    [['hashiya-delete', kerry.id], ['hashiya-update', claim.id], ['hashiya-relation', speaker.id], ['hashiya-change', null]],
    'one change: the person deleted, the claim updated, the link deleted, then the document',
  );
  assert.equal((await events(page, { type: 'hashiya-relation', host: 'w' }))[0].detail.action, 'delete');
  assert.deepEqual((await lastChange(page)).relations, [about]);
  await waitCount(page, '#w', 3);

  await clearEvents(page);
  assert.equal(await call(page, '#w', 'undo'), true, 'one undo');
  await waitCount(page, '#w', 4);
  assert.deepEqual(await call(page, '#w', 'getRelations'), [speaker, about], 'undo brings back the person and the same link');
  assert.ok((await events(page, { type: 'hashiya-create', host: 'w' })).some((e) => e.detail.id === kerry.id));
  assert.deepEqual(await relationEvents(page), [['create', speaker.id]]);

  assert.equal(await call(page, '#w', 'redo'), true);
  assert.deepEqual(await call(page, '#w', 'getRelations'), [about]);
  assert.ok(!(await call(page, '#w', 'getAnnotations')).some((a) => a.id === kerry.id));
});

hostTest(env, 'bad relations, verdicts and sources throw a clear Error and change nothing', '/claims.html', async ({ page }) => {
  const { kerry, russia, claim } = await cast(page);
  const link = await call(page, '#w', 'addRelation', { type: 'about', from: claim.id, to: russia.id });
  await waitStored(page, 'claims-doc', 4);
  await waitStoredWith(page, 'claims-doc', link.id);
  const before = await snapshot(page);
  const list = await call(page, '#w', 'getAnnotations');
  const newClaim = { ...span('محدود جدا'), label: 'claim' };
  await clearEvents(page);

  const bad = [
    // [method, args, what the message must name]
    ['addRelation', [{ type: 'author', from: claim.id, to: kerry.id }], /unknown relation type "author"/],
    ['addRelation', [{ type: 'speaker', from: claim.id }], /missing field `to`/],
    ['addRelation', [{ from: claim.id, to: kerry.id }], /missing field `type`/],
    ['addRelation', [{ type: 'speaker', from: claim.id, to: 'no-such-id' }], /no annotation "no-such-id"/],
    ['addRelation', [{ type: 'speaker', from: claim.id, to: russia.id }], /person.*place/],
    ['addRelation', [{ type: 'about', from: kerry.id, to: russia.id }], /not a claim/],
    ['addRelation', [{ type: 'about', from: claim.id, to: claim.id }], /itself/],
    ['addRelation', [{ type: 'about', from: claim.id, to: russia.id }], /already/],
    ['addRelation', [{ type: 'speaker', from: 7, to: kerry.id }], /addRelation takes/],
    ['addRelation', [null], /addRelation takes/],
    ['addRelation', [], /addRelation takes/],
    ['addAnnotation', [{ ...newClaim, source: 'javascript:alert(1)' }], /http/],
    ['addAnnotation', [{ ...newClaim, source: 'data:text/html,<b>x</b>' }], /http/],
    ['addAnnotation', [{ ...newClaim, verdict: 'pants-on-fire' }], /verdict "pants-on-fire"/],
    ['addAnnotation', [{ ...span('واشنطن'), label: 'place', verdict: 'false' }], /claim/],
    ['addAnnotation', [{ ...span('واشنطن'), label: 'place', source: 'https://example.org/' }], /claim/],
    ['setAnnotations', [[...list, { ...newClaim, source: 'javascript:alert(1)' }]], /list\[4\]\.source/],
    ['setAnnotations', [[...list, { ...newClaim, verdict: 'pants-on-fire' }]], /list\[4\]\.verdict.*pants-on-fire/],
    ['setAnnotations', [[{ ...list[0], verdict: 'false' }, ...list.slice(1)]], /list\[0\]\.verdict/],
  ];
  for (const [method, args, names] of bad) {
    const what = `${method}(${JSON.stringify(args).slice(1, -1).slice(0, 80)})`;
    const message = await callThrows(page, '#w', method, ...args);
    assert.match(message, names, `${what}: the message says what is wrong: ${message}`);
    assert.deepEqual(await snapshot(page), before, `${what} changed nothing`);
  }
  assert.deepEqual(await events(page, { host: 'w' }), [], 'no events for refused input');
});

hostTest(env, 'a verdict and a source through addAnnotation (one undo step) and setAnnotations', '/claims.html', async ({ page }) => {
  const { kerry, russia } = await cast(page);
  assert.deepEqual([kerry.verdict, kerry.source], [null, null], 'annotations carry verdict and source, null when unset');
  await clearEvents(page);

  const checked = await call(page, '#w', 'addAnnotation', {
    ...span('محدود جدا'),
    label: 'claim',
    verdict: 'misleading',
    source: '  https://example.org/checks/42?lang=ar  ',
  });
  assert.deepEqual(
    { label: checked.label, quote: checked.quote, verdict: checked.verdict, source: checked.source },
    { label: 'claim', quote: 'محدود جدا', verdict: 'misleading', source: 'https://example.org/checks/42?lang=ar' },
    'the source is kept trimmed',
  );
  assert.equal(cpSlice(W_TEXT, checked.start, checked.end), 'محدود جدا');
  const told = await events(page, { host: 'w' });
  assert.deepEqual(told.map((e) => e.type), ['hashiya-create', 'hashiya-change'], 'one creation, told once');
  assert.deepEqual(told[0].detail, checked);
  await waitCount(page, '#w', 5);
  // The user is told of it as of any added claim (not as of an import).
  const shown = await poll(
    page,
    () => {
      const text = document.querySelector('#w').shadowRoot.querySelector('[data-role="notice"] span')?.textContent ?? '';
      return /محدود جدا|استُورد/.test(text) && text;
    },
    null,
    { timeout: 5_000 },
  );
  assert.match(shown, /^أضيف ادعاء: محدود جدا/, `the widget's message: ${shown}`);

  assert.equal(await call(page, '#w', 'undo'), true);
  await waitCount(page, '#w', 4);
  assert.ok(!(await call(page, '#w', 'getAnnotations')).some((a) => a.id === checked.id), 'one undo takes the claim with its verdict away');
  assert.equal(await call(page, '#w', 'redo'), true);
  const back = (await call(page, '#w', 'getAnnotations')).find((a) => a.id === checked.id);
  assert.deepEqual([back.verdict, back.source], ['misleading', 'https://example.org/checks/42?lang=ar']);

  // setAnnotations: a verdict changed, a new claim with its own, the link kept.
  const link = await call(page, '#w', 'addRelation', { type: 'about', from: checked.id, to: russia.id });
  await clearEvents(page);
  const list = await call(page, '#w', 'getAnnotations');
  assert.deepEqual(await call(page, '#w', 'setAnnotations', list), { doc_id: 'claims-doc', count: list.length, created: 0, updated: 0, deleted: 0, bulk: false }, 'setAnnotations(getAnnotations()) answers that nothing changed');
  assert.deepEqual(await call(page, '#w', 'getAnnotations'), list, 'and keeps everything');
  assert.deepEqual(await call(page, '#w', 'getRelations'), [link], 'and keeps the links, which the list does not carry');
  assert.deepEqual(await events(page, { host: 'w' }), [], 'and changes nothing');

  const edited = list.map((a) => (a.id === checked.id ? { ...a, verdict: 'false', source: 'http://example.org/other' } : a));
  const fresh = { ...span('صبر واشنطن'), label: 'claim', verdict: 'true', source: null };
  assert.deepEqual(await call(page, '#w', 'setAnnotations', [...edited, fresh]), { doc_id: 'claims-doc', count: list.length + 1, created: 1, updated: 1, deleted: 0, bulk: false });
  const set = await call(page, '#w', 'getAnnotations');
  const after = set.find((a) => a.id === checked.id);
  assert.deepEqual([after.verdict, after.source], ['false', 'http://example.org/other']);
  const made = set.find((a) => a.quote === 'صبر واشنطن');
  assert.deepEqual([made.label, made.verdict, made.source], ['claim', 'true', null]);
  assert.deepEqual(await call(page, '#w', 'getRelations'), [link], 'the kept claim keeps its link');
  assert.ok((await events(page, { type: 'hashiya-update', host: 'w' })).some((e) => e.detail.id === checked.id && e.detail.verdict === 'false'));

  // A list without the place (or with it turned into a claim) drops the link.
  await clearEvents(page);
  await call(page, '#w', 'setAnnotations', set.filter((a) => a.id !== russia.id));
  assert.deepEqual(await call(page, '#w', 'getRelations'), []);
  assert.deepEqual(await relationEvents(page), [['delete', link.id]]);
  assert.equal(await call(page, '#w', 'undo'), true);
  assert.deepEqual(await call(page, '#w', 'getRelations'), [link], 'setAnnotations is one undo step, links included');
  await call(page, '#w', 'setAnnotations', set.map((a) => (a.id === russia.id ? { ...a, label: 'claim' } : a)));
  assert.deepEqual(await call(page, '#w', 'getRelations'), [], 'a link never ends at the wrong kind of annotation');
});

hostTest(env, 'the verdicts and url attributes: a host\'s verdict list, taken in place; a bad list or url is reported and changes nothing', '/attrs.html', async ({ page }) => {
  // The bad widget told the host at start, and kept the built-in verdicts.
  const errors = await waitEvents(page, 'hashiya-error', 'bad', 2);
  const messages = errors.map((e) => e.detail.message).join(' | ');
  assert.ok(errors.every((e) => e.detail.source === 'widget' && /[\u0600-\u06ff]/.test(e.detail.message_ar)), messages);
  assert.match(messages, /verdicts\[0\].*rating/, 'the bad verdict list is named');
  assert.match(messages, /url.*http/, 'the bad url is named');
  const dflt = await call(page, '#bad', 'addAnnotation', { ...span('محدود جدا'), label: 'claim', verdict: 'unproven' });
  assert.equal(dflt.verdict, 'unproven', 'the built-in verdicts stay');
  assert.equal((await events(page, { type: 'hashiya-error', host: 'v' })).length, 0, 'the good widget reported nothing');

  // The host's verdicts are the ones on offer.
  const sound = await call(page, '#v', 'addAnnotation', { ...span('محدود جدا'), label: 'claim', verdict: 'sound' });
  assert.equal(sound.verdict, 'sound');
  assert.match(await callThrows(page, '#v', 'addAnnotation', { ...span('صبرنا ليس بلا حدود'), label: 'claim', verdict: 'false' }), /verdict "false"/, 'a built-in verdict the host left out is refused');

  // Changed in place: no reload (storage="none" would lose the annotation), the new list applies.
  await clearEvents(page);
  await setAttr(page, '#v', 'verdicts', 'checked, unchecked');
  const other = await call(page, '#v', 'addAnnotation', { ...span('صبرنا ليس بلا حدود'), label: 'claim', verdict: 'unchecked' });
  assert.equal(other.verdict, 'unchecked');
  assert.match(await callThrows(page, '#v', 'addAnnotation', { ...span('روسيا'), label: 'claim', verdict: 'sound' }), /verdict "sound"/);
  assert.deepEqual((await call(page, '#v', 'getAnnotations')).map((a) => a.id).sort(), [sound.id, other.id].sort(), 'nothing was reloaded');
  assert.equal((await events(page, { type: 'hashiya-ready', host: 'v' })).length, 0, 'no new hashiya-ready');

  // A bad list given later is reported; the list in use stays.
  await setAttr(page, '#v', 'verdicts', 'a, a');
  const [err] = await waitEvents(page, 'hashiya-error', 'v');
  assert.match(err.detail.message, /verdicts.*twice/);
  const still = await call(page, '#v', 'addAnnotation', { ...span('روسيا'), label: 'claim', verdict: 'checked' });
  assert.equal(still.verdict, 'checked');

  // url changes in place too; a bad one is reported.
  await setAttr(page, '#v', 'url', 'https://news.example/other');
  await setAttr(page, '#v', 'url', 'ftp://news.example/x');
  const urlErrors = (await events(page, { type: 'hashiya-error', host: 'v' })).filter((e) => /url/.test(e.detail.message));
  assert.equal(urlErrors.length, 1, 'only the ftp url is refused');
  assert.equal((await events(page, { type: 'hashiya-ready', host: 'v' })).length, 0, 'still no reload');
  assert.equal((await call(page, '#v', 'getAnnotations')).length, 3);
});

hostTest(env, 'a verdicts or labels attribute set by a script applies before its next line runs', '/attrs.html', async ({ page }) => {
  const seen = await page.evaluate(async ([sp, rp]) => {
    const el = document.querySelector('#v');
    await el.ready;
    el.setAttribute('verdicts', 'fresh, stale');
    el.setAttribute('labels', 'person,place,claim,organisation');
    const claim = el.addAnnotation({ ...sp, label: 'claim', verdict: 'fresh' });
    const org = el.addAnnotation({ ...rp, label: 'organisation' });
    return [claim.verdict, org.label];
  }, [span('محدود جدا'), span('روسيا')]);
  assert.deepEqual(seen, ['fresh', 'organisation']);
});

hostTest(env, 'exportClaimReview: one schema.org ClaimReview per claim with a verdict, with its speaker, subjects, source and the article\'s url', '/attrs.html', async ({ page, url }) => {
  const kerry = await call(page, '#v', 'addAnnotation', { ...span('كيري', 2), label: 'person' });
  const russia = await call(page, '#v', 'addAnnotation', { ...span('روسيا'), label: 'place' });
  const sound = await call(page, '#v', 'addAnnotation', { ...span('صبرنا ليس بلا حدود'), label: 'claim', verdict: 'sound', source: 'https://checks.example/42' });
  await call(page, '#v', 'addAnnotation', { ...span('صبر واشنطن'), label: 'claim' });
  await call(page, '#v', 'addAnnotation', { ...span('محدود جدا'), label: 'claim', verdict: 'odd' });
  await call(page, '#v', 'addRelation', { type: 'speaker', from: sound.id, to: kerry.id });
  await call(page, '#v', 'addRelation', { type: 'about', from: sound.id, to: russia.id });

  const text = await call(page, '#v', 'exportClaimReview');
  assert.equal(typeof text, 'string', 'a string, as the other exports');
  const reviews = JSON.parse(text);
  assert.deepEqual(reviews.map((r) => r.claimReviewed), ['محدود جدا', 'صبرنا ليس بلا حدود'], 'the claims with a verdict, in reading order');
  const articleUrl = new URL('/news/42.html?from=home', url).href;
  const [odd, review] = reviews;
  assert.equal(review['@context'], 'https://schema.org');
  assert.equal(review['@type'], 'ClaimReview');
  assert.deepEqual(review.reviewRating, { '@type': 'Rating', alternateName: 'سليم', ratingValue: 5, bestRating: 5, worstRating: 1 }, 'the host\'s verdict, named in the article\'s language');
  assert.equal(review.url, 'https://checks.example/42', 'the claim\'s source is the review\'s url');
  assert.deepEqual(review.itemReviewed.author, { '@type': 'Person', name: 'كيري' });
  assert.deepEqual(review.itemReviewed.about, [{ '@type': 'Place', name: 'روسيا' }]);
  assert.deepEqual(review.itemReviewed.appearance, { '@type': 'CreativeWork', headline: W_BLOCKS[0], url: articleUrl, inLanguage: 'ar' }, 'the url attribute, made absolute');
  assert.match(review.datePublished, /^\d{4}-\d{2}-\d{2}$/);
  assert.deepEqual(odd.reviewRating, { '@type': 'Rating', alternateName: 'غريب' }, 'a verdict without a rating rates nothing');
  assert.equal(odd.url, undefined, 'no source, no url');

  // url changes in place; the bad widget, whose url was refused, says nothing of where the article is.
  await setAttr(page, '#v', 'url', 'https://news.example/kerry');
  assert.equal(JSON.parse(await call(page, '#v', 'exportClaimReview'))[1].itemReviewed.appearance.url, 'https://news.example/kerry');
  await call(page, '#bad', 'addAnnotation', { ...span('محدود جدا'), label: 'claim', verdict: 'false' });
  const [plain] = JSON.parse(await call(page, '#bad', 'exportClaimReview'));
  assert.equal(plain.itemReviewed.appearance.url, undefined);
  assert.equal(plain.reviewRating.alternateName, 'زائف', 'a built-in verdict by its Arabic name');
});
