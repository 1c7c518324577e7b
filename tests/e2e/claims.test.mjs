// A fact-checker's claim record, driven the way a checker works: tag a person
// and a claim with the mouse, accept the suggested speaker with Enter, link by
// clicking a highlight or by keys (S / A, Tab, Enter), set a verdict and a
// source, reload, delete the person and undo, and refuse a `javascript:` link.

import assert from 'node:assert/strict';
import { useApp, appTest, waitReady, poll } from './lib/browser.mjs';
import {
  DOC1, art, panelSel, annotate, markPoint, clickAt, stored, waitForNotice, dismissNotice, waitForSelected,
  waitForCount, downloadFrom, docText, cpSpan, importText,
} from './lib/app.mjs';

const env = useApp();

const KIRBY = 'جون كيربي';
const KERRY = 'جون كيري';
const MOSCOW = 'موسكو';
// in the same sentence as «وقال المتحدث … جون كيربي إن …»
const CLAIM = 'المباحثات بشأن الصراع في سورية ستتناول التحركات الدولية';

const entry = (id) => `${panelSel(DOC1)} li[data-annotation-id="${id}"]`;
const editor = `${panelSel(DOC1)} [data-role="claim-record"]`;

/** The speaker the panel names under claim `id` (null when none). */
const listedSpeaker = (page, id) =>
  page.$eval(entry(id), (li) => li.querySelector('[data-role="speaker"]')?.textContent ?? null);

/** Waits until the panel names `name` (or nobody, for null) as the speaker of `id`. */
async function waitForSpeaker(page, id, name) {
  await poll(page, ([sel, name]) => {
    const s = document.querySelector(sel)?.querySelector('[data-role="speaker"]')?.textContent ?? null;
    return name === null ? s === null : !!s && s.includes(name);
  }, [entry(id), name]);
}

/** The `data-link` of each mark of annotation `id` (what it is to the selected claim). */
const linkRoles = (page, id) =>
  page.$$eval(`${art(DOC1)} mark[data-annotation-id="${id}"]`, (ms) => [...new Set(ms.map((m) => m.dataset.link ?? null))]);

/** Tags Kirby and the claim after him, and accepts the suggested speaker with Enter. */
async function claimWithSpeaker(page) {
  const person = await annotate(page, DOC1, KIRBY, 'person');
  const claim = await annotate(page, DOC1, CLAIM, 'claim');
  await waitForNotice(page, 'info', /Suggested speaker/);
  await page.keyboard.press('Enter');
  await waitForSpeaker(page, claim.id, KIRBY);
  return { person, claim };
}

/** The claim's record as stored in localStorage. */
async function storedClaim(page, id) {
  const rec = await stored(page, DOC1);
  return rec.annotations.find((a) => a.id === id).claim ?? {};
}

appTest(env, 'a claim tagged after its speaker suggests them; Enter links, the panel and the text show it, a reload keeps it', async ({ page }) => {
  const person = await annotate(page, DOC1, KIRBY, 'person');
  const claim = await annotate(page, DOC1, CLAIM, 'claim');
  const n = await waitForNotice(page, 'info', /Suggested speaker: جون كيربي/);
  assert.match(n.text, /القائل المقترح/, 'the suggestion is told in Arabic first');
  assert.equal(await listedSpeaker(page, claim.id), null, 'nothing is linked before the user says so');
  await page.keyboard.press('Enter');
  await waitForSpeaker(page, claim.id, KIRBY);
  assert.match(await page.$eval(entry(claim.id), (li) => li.querySelector('[data-role="speaker"]').textContent), /^قال: /);
  // the selected claim shows its speaker in the text, by the outline's style (not colour alone)
  assert.deepEqual(await linkRoles(page, person.id), ['speaker']);
  const outline = await page.$eval(`${art(DOC1)} mark[data-annotation-id="${person.id}"]`, (m) => getComputedStyle(m).outlineStyle);
  assert.equal(outline, 'dashed');
  const record = await storedClaim(page, claim.id);
  assert.deepEqual(record.relations.map((r) => [r.type, r.to]), [['speaker', person.id]]);
  await page.reload();
  await waitReady(page);
  await waitForSpeaker(page, claim.id, KIRBY);
});

appTest(env, 'any key but Enter ignores a suggestion; a click links what fits, a wrong click is refused, keys walk the nearest first', async ({ page }) => {
  const kerry = await annotate(page, DOC1, KERRY, 'person');
  const moscow = await annotate(page, DOC1, MOSCOW, 'place');
  await annotate(page, DOC1, KIRBY, 'person');
  const claim = await annotate(page, DOC1, CLAIM, 'claim');
  await waitForNotice(page, 'info', /Suggested speaker/);
  await page.keyboard.press('Escape');
  await poll(page, (sel) => !/Suggested speaker/.test(document.querySelector(sel)?.title ?? ''), '[data-role="notice"]');
  await page.waitForSelector(editor);
  assert.equal(await listedSpeaker(page, claim.id), null, 'Escape links nothing');
  await waitForSelected(page, claim.id);

  // by click: the button, then a place (refused, still linking), then a person
  await page.click(`${editor} button[data-action="link-speaker"]`);
  await waitForNotice(page, 'info', /Click a person/);
  assert.equal(await page.getAttribute(`${editor} button[data-action="link-speaker"]`, 'aria-pressed'), 'true');
  await clickAt(page, await markPoint(page, moscow.id));
  await waitForNotice(page, 'error', /ends at a person/);
  assert.equal(await page.getAttribute(`${editor} button[data-action="link-speaker"]`, 'aria-pressed'), 'true', 'still linking');
  await clickAt(page, await markPoint(page, kerry.id));
  await waitForSpeaker(page, claim.id, KERRY);
  await waitForSelected(page, claim.id);

  // by keys: A, then Tab to the nearest person or place, Enter
  await page.keyboard.press('a');
  await waitForNotice(page, 'info', /person or place the claim is about/);
  await page.keyboard.press('Tab');
  await page.waitForSelector(`${art(DOC1)} mark[data-link="candidate"]`);
  const candidate = await page.$eval(`${art(DOC1)} mark[data-link="candidate"]`, (m) => m.dataset.annotationId);
  await page.keyboard.press('Enter');
  await poll(page, (sel) => document.querySelectorAll(`${sel} [data-role="about-row"] .linked`).length === 1, editor);
  const about = await page.$eval(`${editor} [data-role="about-row"] .linked`, (el) => el.dataset.annotationId);
  assert.equal(about, candidate, 'Enter links the candidate Tab showed');
  // nearest to the claim first: Kirby (in the claim's sentence) before Kerry and Moscow
  assert.equal(await page.$eval(`${art(DOC1)} mark[data-annotation-id="${about}"]`, (m) => m.textContent), KIRBY);
  assert.deepEqual(await linkRoles(page, moscow.id), [null], 'an unlinked place is not marked');
});

appTest(env, 'verdict and source: a javascript: link is refused and nothing is stored; the filter shows claims by verdict', async ({ page }) => {
  await annotate(page, DOC1, KERRY, 'person');
  const claim = await annotate(page, DOC1, CLAIM, 'claim');
  await page.waitForSelector(editor);
  await page.selectOption(`${editor} select[data-field="verdict"]`, 'misleading');
  await page.waitForSelector(`${entry(claim.id)} .verdict[data-verdict="misleading"]`);
  assert.equal((await page.textContent(`${entry(claim.id)} .verdict`)).trim(), 'مضلل');
  assert.equal((await storedClaim(page, claim.id)).verdict, 'misleading');

  await dismissNotice(page);
  await page.fill(`${editor} input[data-field="source"]`, 'javascript:alert(1)');
  await page.press(`${editor} input[data-field="source"]`, 'Enter');
  await page.locator(`${editor} input[data-field="source"]`).blur();
  await waitForNotice(page, 'error', /only http:\/\/ and https:\/\/ links/);
  assert.equal((await storedClaim(page, claim.id)).source, undefined, 'nothing stored');
  assert.equal(await page.locator(`${entry(claim.id)} a`).count(), 0);

  const url = 'https://example.org/تحقق?id=7';
  await page.fill(`${editor} input[data-field="source"]`, url);
  await page.locator(`${editor} input[data-field="source"]`).blur();
  const link = page.locator(`${entry(claim.id)} a[data-role="source"]`);
  await link.waitFor();
  assert.deepEqual(
    await link.evaluate((a) => [a.href, a.target, a.rel]),
    [new URL(url).href, '_blank', 'noopener noreferrer'],
  );
  assert.equal((await storedClaim(page, claim.id)).source, url);

  await page.selectOption(`${panelSel(DOC1)} select[data-action="filter"]`, 'verdict:misleading');
  await waitForCount(page, DOC1, 1);
  await page.selectOption(`${panelSel(DOC1)} select[data-action="filter"]`, 'verdict:false');
  await waitForCount(page, DOC1, 0);
  await page.selectOption(`${panelSel(DOC1)} select[data-action="filter"]`, 'all');
  await waitForCount(page, DOC1, 2);
});

appTest(env, 'deleting the speaker deletes the link in the same step; one undo brings both back', async ({ page }) => {
  const { person, claim } = await claimWithSpeaker(page);
  await page.keyboard.press('Escape');
  await clickAt(page, await markPoint(page, person.id));
  await waitForSelected(page, person.id);
  await page.keyboard.press('Delete');
  await waitForCount(page, DOC1, 1);
  await waitForSpeaker(page, claim.id, null);
  assert.equal((await storedClaim(page, claim.id)).relations, undefined, 'the stored claim lost its link');
  await page.keyboard.press('Control+z');
  await waitForCount(page, DOC1, 2);
  await waitForSpeaker(page, claim.id, KIRBY);
  const relations = (await storedClaim(page, claim.id)).relations;
  assert.deepEqual(relations.map((r) => r.to), [person.id]);
});

appTest(env, 'the Hashiya JSON export (version 2) carries relations, verdicts and sources', async ({ page }) => {
  const { person, claim } = await claimWithSpeaker(page);
  await page.selectOption(`${editor} select[data-field="verdict"]`, 'false');
  await page.waitForSelector(`${entry(claim.id)} .verdict[data-verdict="false"]`);
  const { text } = await downloadFrom(page, 'div[role="toolbar"] button[data-action="export-json"]');
  const data = JSON.parse(text);
  assert.equal(data.version, 2);
  const doc = data.documents.find((d) => d.doc_id === DOC1);
  const c = doc.annotations.find((a) => a.id === claim.id);
  assert.equal(c.verdict, 'false');
  assert.equal(c.source, null);
  assert.equal(doc.annotations.find((a) => a.id === person.id).verdict, null);
  assert.deepEqual(doc.relations.map((r) => [r.type, r.from, r.to]), [['speaker', claim.id, person.id]]);
});

appTest(env, 'W3C and JSONL exports carry the link; the ClaimReview download names the claim, its speaker, verdict and source', async ({ page }) => {
  const { person, claim } = await claimWithSpeaker(page);
  await page.selectOption(`${editor} select[data-field="verdict"]`, 'false');
  await page.fill(`${editor} input[data-field="source"]`, 'https://example.org/checks/1');
  await page.locator(`${editor} input[data-field="source"]`).blur();
  await page.waitForSelector(`${entry(claim.id)} a[data-role="source"]`);

  const w3c = JSON.parse((await downloadFrom(page, 'div[role="toolbar"] button[data-action="export-w3c"]')).text);
  const items = w3c.first.items;
  const link = items.find((a) => a.motivation === 'linking');
  assert.ok(link, 'the relation is an annotation of its own');
  assert.deepEqual(link.target.map((t) => (t.source ?? t.id ?? t).split(':').pop()), [claim.id, person.id]);
  const claimItem = items.find((a) => (a.id ?? '').endsWith(claim.id));
  assert.ok(claimItem.body.some((b) => b.purpose === 'assessing' && b.value === 'false'), JSON.stringify(claimItem.body));

  const jsonl = (await downloadFrom(page, 'div[role="toolbar"] button[data-action="export-jsonl"]')).text;
  const line = jsonl.trim().split('\n').map((l) => JSON.parse(l)).find((l) => l.doc_id === DOC1);
  assert.deepEqual(line.relations.map((r) => [r.from_id, r.to_id, r.type]), [[claim.id, person.id, 'speaker']]);

  const { filename, text } = await downloadFrom(page, 'div[role="toolbar"] button[data-action="export-claimreview"]');
  assert.equal(filename, 'hashiya-claimreview.json');
  const reviews = JSON.parse(text);
  assert.equal(reviews.length, 1, 'one review per claim with a verdict');
  const r = reviews[0];
  assert.equal(r['@type'], 'ClaimReview');
  assert.equal(r.claimReviewed, CLAIM);
  assert.equal(r.itemReviewed.author.name, KIRBY);
  assert.equal(r.reviewRating.alternateName, 'زائف', 'named in the chrome\'s language');
  assert.equal(r.reviewRating.ratingValue, 1);
  assert.equal(r.url, 'https://example.org/checks/1');
});

appTest(env, 'a doccano file with entities and relations imports its speaker link; a speaker that is not a person is refused', async ({ page }) => {
  const text = await docText(page, DOC1);
  const person = cpSpan(text, KIRBY);
  const claim = cpSpan(text, CLAIM);
  const place = cpSpan(text, MOSCOW);
  const doccano = (to) => JSON.stringify({
    text,
    entities: [
      { id: 11, label: 'PER', start_offset: person.start, end_offset: person.end },
      { id: 12, label: 'CLAIM', start_offset: claim.start, end_offset: claim.end },
      { id: 13, label: 'LOC', start_offset: place.start, end_offset: place.end },
    ],
    relations: [{ id: 5, from_id: 12, to_id: to, type: 'speaker' }],
  });
  await importText(page, doccano(13));
  await waitForNotice(page, 'error', /speaker link ends at a person/);
  await waitForCount(page, DOC1, 0);
  await importText(page, doccano(11));
  await waitForCount(page, DOC1, 3);
  const ids = await page.$$eval(`${panelSel(DOC1)} li[data-label="claim"]`, (lis) => lis.map((li) => li.dataset.annotationId));
  await waitForSpeaker(page, ids[0], KIRBY);
});
