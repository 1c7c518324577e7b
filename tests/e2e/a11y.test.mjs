// Accessibility (issue 5): axe-core scans of the demo page with annotations,
// the editor open and the list of keys open, in light and dark themes and with
// the UI in English (zero serious or critical violations; every violation is
// printed for the closing note); the polite live region; accessible names of
// highlights; a proper list and toolbar; labels that differ by more than
// colour; the English UI, mirrored and remembered.

import assert from 'node:assert/strict';
import { useApp, appTest } from './lib/browser.mjs';
import { DOC1, art, panelSel, annotate, waitForSelected, markPoint, clickAt } from './lib/app.mjs';
import { axeScan, assertNoSerious, LANG_PREF, markOf } from './lib/keys.mjs';

const env = useApp();

const noneSelected = (page) =>
  page.waitForFunction(() => document.querySelectorAll('mark[data-selected="true"]').length === 0);

/** Three annotations of every label in the first article, one with a note; none selected. */
async function setUp(page) {
  const person = await annotate(page, DOC1, 'جون كيري', 'person');
  const place = await annotate(page, DOC1, 'موسكو', 'place');
  const claim = await annotate(page, DOC1, 'ستتناول التحركات الدولية لتقليص العنف', 'claim');
  const editor = `${panelSel(DOC1)} [data-role="editor"][data-annotation-id="${claim.id}"]`;
  await page.fill(`${editor} textarea[data-role="note"]`, 'بحسب المتحدث');
  await page.click(`${editor} button[data-action="save-note"]`);
  await page.waitForFunction((id) => (document.querySelector(`mark[data-annotation-id="${id}"]`)?.title ?? '').includes('بحسب'), claim.id);
  await page.keyboard.press('Escape');
  await noneSelected(page);
  return { person, place, claim };
}

/** Scans the page in three states: annotations, the editor open, the list of keys open. */
async function scanStates(page, theme, ids) {
  const all = [];
  const scan = async (state) => {
    const name = `${theme}, ${state}`;
    all.push([name, await axeScan(page, name)]);
  };
  await scan('annotations shown');
  await clickAt(page, await markPoint(page, ids.person.id));
  await waitForSelected(page, ids.person.id);
  await page.waitForSelector(`${panelSel(DOC1)} [data-role="editor"][data-annotation-id="${ids.person.id}"]`);
  await scan('editor open');
  await page.click('button[data-action="help"]');
  await page.waitForSelector('[data-role="help"][role="dialog"]');
  await scan('list of keys open');
  await page.keyboard.press('Escape');
  await page.waitForSelector('[data-role="help"]', { state: 'detached' });
  // all scans are printed before any assertion fails
  for (const [name, violations] of all) assertNoSerious(violations, name);
}

appTest(env, 'axe-core, light theme: no serious or critical violations with annotations, the editor and the list of keys', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  // The scanner itself works: a nameless button is a critical violation.
  await page.evaluate(() => {
    const b = document.createElement('button');
    b.id = 'e2e-nameless';
    document.body.append(b);
  });
  const control = await axeScan(page, 'control: a nameless button added on purpose', { log: () => {} });
  assert.ok(control.some((v) => v.id === 'button-name' && v.impact === 'critical'), 'axe-core reports the planted violation');
  await page.evaluate(() => document.getElementById('e2e-nameless').remove());
  const ids = await setUp(page);
  await scanStates(page, 'light', ids);
});

appTest(env, 'axe-core, dark theme: no serious or critical violations with annotations, the editor and the list of keys', async ({ page }) => {
  const lightBg = await page.evaluate(() => getComputedStyle(document.querySelector('main.hashiya')).backgroundColor + '|' + getComputedStyle(document.body).backgroundColor);
  await page.emulateMedia({ colorScheme: 'dark' });
  const darkBg = await page.evaluate(() => getComputedStyle(document.querySelector('main.hashiya')).backgroundColor + '|' + getComputedStyle(document.body).backgroundColor);
  assert.notEqual(darkBg, lightBg, 'the dark theme is applied');
  const ids = await setUp(page);
  await scanStates(page, 'dark', ids);
});

appTest(env, 'axe-core, English UI (light and dark): no serious or critical violations', async ({ page }) => {
  await page.click('button[data-action="ui-lang"]');
  await page.waitForSelector('main.hashiya[lang="en"][dir="ltr"]');
  const ids = await setUp(page);
  await scanStates(page, 'English light', ids);
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.keyboard.press('Escape');
  await noneSelected(page);
  await scanStates(page, 'English dark', ids);
});

appTest(env, 'the polite live region announces an added annotation (Arabic and English UI)', async ({ page }) => {
  const live = '.notice[role="status"][aria-live="polite"]';
  // The live region is on the page before anything changes, so that screen readers watch it.
  assert.equal(await page.locator(live).count(), 1, 'one polite status region from the start');
  await annotate(page, DOC1, 'جون كيري', 'person');
  await page.waitForFunction((sel) => document.querySelector(sel)?.textContent.includes('أضيف شخص: جون كيري'), live);
  await annotate(page, DOC1, 'موسكو', 'place', { via: 'toolbar' });
  await page.waitForFunction((sel) => document.querySelector(sel)?.textContent.includes('أضيف مكان: موسكو'), live);

  await page.click('button[data-action="ui-lang"]');
  await page.waitForSelector('main.hashiya[lang="en"]');
  await annotate(page, DOC1, 'سيرغي لافروف', 'person');
  await page.waitForFunction((sel) => /Added\s+Person:\s*سيرغي لافروف/i.test(document.querySelector(sel)?.textContent ?? ''), live);
});

appTest(env, 'highlights are marks titled with their label and note; the panel is a list; the toolbar a toolbar with pressed states', async ({ page }) => {
  const ids = await setUp(page);
  for (const [a, name] of [[ids.person, 'شخص'], [ids.place, 'مكان']]) {
    const m = await markOf(page, a.id);
    assert.equal(m.title, name, `the ${name} highlight is titled with its label`);
  }
  const claim = await markOf(page, ids.claim.id);
  assert.ok(claim.title.startsWith('ادعاء') && claim.title.includes('بحسب المتحدث'), `label and note: ${claim.title}`);
  const tags = await page.$$eval(`${art(DOC1)} [data-annotation-id]`, (els) => [...new Set(els.map((e) => e.tagName.toLowerCase()))]);
  assert.deepEqual(tags, ['mark'], 'highlights are <mark> elements');

  const list = await page.$eval(`${panelSel(DOC1)} ol.entries`, (ol) => ({
    items: ol.querySelectorAll(':scope > li').length,
    all: ol.querySelectorAll('li[data-annotation-id]').length,
  }));
  assert.deepEqual(list, { items: 3, all: 3 }, 'the panel lists the annotations as <li> children of an <ol>');

  assert.equal(await page.locator('div[role="toolbar"][aria-label]').count() >= 1, true, 'a named toolbar');
  assert.equal(await page.getAttribute('div[role="toolbar"] button[data-action="snap"]', 'aria-pressed'), 'true');
  await clickAt(page, await markPoint(page, ids.place.id));
  await waitForSelected(page, ids.place.id);
  const pressed = await page.$$eval(
    `${panelSel(DOC1)} [data-role="editor"] button[data-action="relabel"]`,
    (bs) => bs.map((b) => [b.dataset.label, b.getAttribute('aria-pressed')]),
  );
  assert.deepEqual(pressed, [['person', 'false'], ['place', 'true'], ['claim', 'false']]);
  // Selected list item is marked current.
  assert.equal(await page.getAttribute(`${panelSel(DOC1)} li[data-annotation-id="${ids.place.id}"]`, 'aria-current'), 'true');
});

appTest(env, 'labels differ by a pattern, not only by colour, in light and dark themes', async ({ page }) => {
  const ids = await setUp(page);
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    const style = (id) =>
      page.$eval(`mark[data-annotation-id="${id}"]`, (m) => {
        const s = getComputedStyle(m);
        return { image: s.backgroundImage, bottom: `${s.borderBottomStyle} ${parseFloat(s.borderBottomWidth)}`, bg: s.backgroundColor };
      });
    const person = await style(ids.person.id);
    const place = await style(ids.place.id);
    const claim = await style(ids.claim.id);
    assert.ok(person.image && person.image !== 'none', `${scheme}: person marks carry a pattern (${person.image})`);
    assert.ok(place.image && place.image !== 'none', `${scheme}: place marks carry a pattern (${place.image})`);
    assert.notEqual(person.image, place.image, `${scheme}: person and place patterns differ`);
    const [bs, bw] = claim.bottom.split(' ');
    assert.ok(bs !== 'none' && Number(bw) >= 2, `${scheme}: claims have a bottom band (${claim.bottom})`);
    assert.ok(!person.bottom.startsWith('solid') || person.bottom !== claim.bottom, `${scheme}: entities do not share the claim band`);
  }
});

/**
 * Contrast of each mark's text against its own background colour laid over
 * whatever is behind it (axe-core leaves marks with a background pattern "to
 * review"), and against the pattern's most opaque colour (read from the computed
 * background-image, where color-mix() is resolved) laid over that background.
 */
function markContrasts(page, ids) {
  return page.evaluate((ids) => {
    const ctx = Object.assign(document.createElement('canvas'), { width: 1, height: 1 }).getContext('2d', { willReadFrequently: true });
    const rgba = (css) => {
      const srgb = css.match(/^color\(srgb ([-\d.e]+) ([-\d.e]+) ([-\d.e]+)(?: \/ ([\d.e]+))?\)$/);
      if (srgb) return [...srgb.slice(1, 4).map((c) => Number(c) * 255), srgb[4] == null ? 1 : Number(srgb[4])];
      const rgb = css.match(/^rgba?\(([\d.]+), ([\d.]+), ([\d.]+)(?:, ([\d.]+))?\)$/);
      if (rgb) return [...rgb.slice(1, 4).map(Number), rgb[4] == null ? 1 : Number(rgb[4])];
      ctx.clearRect(0, 0, 1, 1);
      ctx.fillStyle = '#000';
      ctx.fillStyle = css;
      ctx.fillRect(0, 0, 1, 1);
      const [r, g, b, a] = ctx.getImageData(0, 0, 1, 1).data;
      return [r, g, b, a / 255];
    };
    const over = (top, under) => top.slice(0, 3).map((c, i) => c * top[3] + under[i] * (1 - top[3])).concat(1);
    const lum = ([r, g, b]) => {
      const f = (c) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const ratio = (a, b) => {
      const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
      return (x + 0.05) / (y + 0.05);
    };
    const behind = (el) => {
      const layers = [];
      for (let e = el; e; e = e.parentElement) {
        const c = rgba(getComputedStyle(e).backgroundColor);
        if (c[3] > 0) layers.push(c);
        if (c[3] >= 1) break;
      }
      let bg = [255, 255, 255, 1];
      for (const l of layers.reverse()) bg = over(l, bg);
      return bg;
    };
    const out = {};
    for (const [name, id] of Object.entries(ids)) {
      const m = document.querySelector(`mark[data-annotation-id="${id}"]`);
      const bg = behind(m);
      const fg = over(rgba(getComputedStyle(m).color), bg);
      const image = getComputedStyle(m).backgroundImage;
      // the colour stops of the pattern's gradient; the most opaque is its stroke (or dot)
      const stops = (image.match(/(?:rgba?|color)\([^()]*\)/g) ?? []).map(rgba).filter((c) => c[3] > 0);
      const stroke = stops.sort((p, q) => q[3] - p[3])[0] ?? null;
      const pattern = stroke ? over(stroke, bg) : bg;
      out[name] = {
        text: Math.round(ratio(fg, bg) * 100) / 100,
        overPattern: Math.round(ratio(fg, pattern) * 100) / 100,
        stroke: stroke && [...stroke.slice(0, 3).map(Math.round), Math.round(stroke[3] * 100) / 100],
      };
    }
    return out;
  }, ids);
}

// Where a pattern stroke (person) or dot (place) crosses a glyph, in the dark theme the
// text is below WCAG AA's 4.5:1 — and for place below 3:1 — on those pixels only (a 1 px
// diagonal every 6 px, a dot about 2 px wide every 5 px); on the fill around them it is
// 6.8:1 (person) and 7.1:1 (place). Measured: 3.3:1 and 2.52:1. These floors are asserted
// so that they do not get worse; the light theme meets 4.5:1 over the pattern too.
const OVER_PATTERN_FLOOR = { light: { person: 4.5, place: 4.5, claim: 4.5 }, dark: { person: 3.3, place: 2.5, claim: 4.5 } };

appTest(env, 'highlighted text meets WCAG AA contrast (4.5:1) on its label colour, in light and dark themes', async ({ page }) => {
  const { person, place, claim } = await setUp(page);
  const ids = { person: person.id, place: place.id, claim: claim.id };
  const low = [];
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    const c = await markContrasts(page, ids);
    console.log(`mark contrast [${scheme}]: ${JSON.stringify(c)}`);
    for (const [name, v] of Object.entries(c)) if (v.text < 4.5) low.push(`${scheme} ${name}: ${v.text}`);
    // the patterns' colours come from the CSS: a translucent stroke (person) and dot (place), none on claims
    for (const name of ['person', 'place']) {
      assert.ok(c[name].stroke && c[name].stroke[3] > 0 && c[name].stroke[3] < 1, `${scheme} ${name}: a translucent pattern colour in the computed background-image: ${JSON.stringify(c[name])}`);
    }
    assert.equal(c.claim.stroke, null, `${scheme}: claims have no pattern`);
    assert.notDeepEqual(c.person.stroke, c.place.stroke, `${scheme}: person and place patterns differ in colour`);
    for (const [name, v] of Object.entries(c)) {
      const floor = OVER_PATTERN_FLOOR[scheme][name];
      assert.ok(v.overPattern >= floor, `${scheme} ${name}: text over the pattern ${v.overPattern}:1, below the floor ${floor}:1`);
    }
  }
  assert.deepEqual(low, [], 'marked text below 4.5:1');
});

appTest(env, 'the UI switches to English and back, mirrored, and is remembered across reloads', async (app) => {
  const { page } = app;
  const chrome = () =>
    page.evaluate(() => {
      const main = document.querySelector('main.hashiya');
      const b = (sel) => document.querySelector(sel);
      const x = (sel) => b(sel).getBoundingClientRect().left;
      return {
        dir: main.getAttribute('dir'),
        lang: main.getAttribute('lang'),
        person: b('div[role="toolbar"] button[data-label="person"]').textContent.trim(),
        undo: b('div[role="toolbar"] button[data-action="undo"]').textContent.trim(),
        // the first label button sits at the start side of the toolbar
        personLeftOfClaim: x('div[role="toolbar"] button[data-label="person"]') < x('div[role="toolbar"] button[data-label="claim"]'),
        articleDir: document.querySelector('article[data-doc-id]').getAttribute('dir'),
      };
    });
  let c = await chrome();
  assert.deepEqual([c.dir, c.lang, c.personLeftOfClaim, c.articleDir], ['rtl', 'ar', false, 'rtl']);
  assert.ok(c.person.includes('شخص') && c.undo.includes('تراجع'), JSON.stringify(c));

  await page.click('button[data-action="ui-lang"]');
  await page.waitForSelector('main.hashiya[lang="en"][dir="ltr"]');
  c = await chrome();
  assert.equal(c.person, 'Person');
  assert.equal(c.undo, 'Undo');
  assert.equal(c.personLeftOfClaim, true, 'the English chrome runs left to right');
  assert.equal(c.articleDir, 'rtl', 'the articles stay right to left');
  assert.equal(await page.evaluate((k) => localStorage.getItem(k), LANG_PREF), 'en');

  await app.reload();
  c = await chrome();
  assert.deepEqual([c.dir, c.lang, c.person], ['ltr', 'en', 'Person'], 'English after a reload');
  await page.click('button[data-action="ui-lang"]');
  await page.waitForSelector('main.hashiya[lang="ar"][dir="rtl"]');
  assert.equal(await page.evaluate((k) => localStorage.getItem(k), LANG_PREF), 'ar');
  await app.reload();
  c = await chrome();
  assert.deepEqual([c.dir, c.lang, c.personLeftOfClaim], ['rtl', 'ar', false], 'Arabic after a reload');
});
