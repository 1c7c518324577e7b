// examples/yew-host: a Yew app that uses the crate's `hashiya::Annotator`
// component, with no JavaScript of its own. The test command builds it
// (trunk build, see scripts/test.sh); here a reader annotates it with the
// mouse and keys, the app shows what its `on_event` heard, it feeds its own
// list through the `annotations` prop, and a reload keeps the work.

import assert from 'node:assert/strict';
import { test, before, after } from 'node:test';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, startServer } from './lib/server.mjs';
import { launchBrowser, openPage, poll } from './lib/browser.mjs';
import { annotate, marks, waitForCount, panel } from './lib/app.mjs';

const DIST = path.join(REPO_ROOT, 'examples', 'yew-host', 'dist');
const DOC = 'yew-host-story';

let server;
let browser;

before(async () => {
  if (!fs.existsSync(path.join(DIST, 'index.html'))) {
    throw new Error(`No build of the Yew host at ${DIST}: run (cd examples/yew-host && trunk build --offline) first`);
  }
  server = await startServer({ root: DIST });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const heard = (page) => page.$$eval('#heard li', (lis) => lis.map((li) => li.textContent));

async function openHost(session) {
  await session.load(server.url, async (page) => {
    await page.waitForSelector('div.hashiya.widget[data-ready="true"]', { timeout: 30_000 });
    await page.waitForSelector(`article[data-doc-id="${DOC}"] [data-block]`);
  }, 'the Yew host did not show the annotator');
}

test('a Yew app annotates with the component, hears its events, feeds it a list, and keeps the work', async (t) => {
  const session = await openPage(browser);
  const { page } = session;
  try {
    await openHost(session);
    await poll(page, () => [...document.querySelectorAll('#heard li')].some((li) => li.textContent === 'ready yew-host-story: 0'));

    // a reader tags a name with the mouse and the key 1
    const { id } = await annotate(page, DOC, 'جون كيري', 'person');
    assert.deepEqual((await marks(page, DOC)).map((m) => [m.id, m.label, m.text]), [[id, 'person', 'جون كيري']]);
    await poll(page, () => [...document.querySelectorAll('#heard li')].some((li) => li.textContent === 'now 1'));
    const lines = await heard(page);
    assert.ok(lines.some((l) => /^created person «جون كيري» \d+\.\.\d+$/.test(l)), `the app heard the creation: ${lines.join(' | ')}`);

    // the app gives its own list: it replaces the reader's as one step
    await page.click('#feed');
    await waitForCount(page, DOC, 2);
    assert.deepEqual(
      (await marks(page, DOC)).map((m) => [m.id, m.label, m.text]),
      [
        ['host-moscow', 'place', 'موسكو'],
        ['host-lavrov', 'person', 'سيرغي لافروف'],
      ],
      'the host’s annotations, with its own ids, in reading order (موسكو is in the heading)',
    );
    const after = await heard(page);
    assert.ok(after.includes('deleted person «جون كيري»'), `the app heard the deletion: ${after.join(' | ')}`);
    assert.ok(after.some((l) => /^created place «موسكو» 0?\d+\.\.\d+$/.test(l)), 'and the creations');
    assert.equal(after.at(-1), 'now 2');

    // undo is the reader's: Ctrl+Z in the article brings back their own
    await page.focus(`article[data-doc-id="${DOC}"]`);
    await page.keyboard.press('Control+z');
    await waitForCount(page, DOC, 1);
    assert.deepEqual((await marks(page, DOC)).map((m) => m.id), [id], 'undo takes the host’s list back');
    await page.keyboard.press('Control+Shift+z');
    await waitForCount(page, DOC, 2);

    // Storage::Local: a reload keeps them
    await poll(page, (k) => JSON.parse(localStorage.getItem(k) ?? '{"annotations":[]}').annotations.length === 2, `hashiya:v1:doc:${DOC}`);
    await page.reload();
    await page.waitForSelector(`article[data-doc-id="${DOC}"] [data-block]`);
    await waitForCount(page, DOC, 2);
    const shown = await panel(page, DOC);
    t.diagnostic(`panel after reload: ${JSON.stringify(shown).slice(0, 200)}`);
    assert.deepEqual((await marks(page, DOC)).map((m) => m.id), ['host-moscow', 'host-lavrov']);
    assert.ok((await heard(page)).includes('ready yew-host-story: 2'), 'the reloaded app is told what was restored');
    session.assertNoPageErrors();
  } finally {
    await session.close();
  }
});
