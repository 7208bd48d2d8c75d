// Measures the app's cold start (issue 19's target): each load is the first of a fresh Chromium
// profile, so nothing is cached. Every load is checked too: the app must become ready with no
// page or console error, answer "empty" on the empty canvas and read a drawn 1 as a 1; else the
// script exits with status 1. It also prints where the time went: the medians of the start's
// steps (downloads, the app's marks), each ms since navigation began and since the step before.
// Run from web/: node tests/app-cold-load.mjs [profiles]  (default 5)
// after scripts/start.sh or scripts/test-app.sh built build/wasm/site (FCNET_APP_SITE overrides).
import assert from 'node:assert/strict';

import { DIGITS } from './app-digits.mjs';
import { drawStrokes, launchBrowser, openApp, startServer, timeline, watchProblems } from './app-harness.mjs';

const profiles = Number(process.argv[2] ?? 5);
const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];

// In the page, before its own scripts: when the app says it is ready, ms since navigation began.
function markReady() {
  window.addEventListener('fcnet-app-ready', () => { window.fcnetReadyAt = performance.now(); });
}

// One cold load: a new profile, a new browser. Resolves to { inPage, seen, steps } in ms.
async function coldLoad(url) {
  const browser = await launchBrowser();
  try {
    const page = await browser.context.newPage();
    const problems = [];
    watchProblems(page, problems);
    await page.addInitScript(markReady);
    const seen = await openApp(page, url);
    const inPage = await page.evaluate(() => window.fcnetReadyAt);
    const steps = await page.evaluate(timeline);

    const empty = await page.evaluate(() => window.fcnetApp.prediction());
    assert.equal(empty.empty, true, 'the empty canvas must read as empty');
    await drawStrokes(page, DIGITS[1]);
    const drawn = await page.evaluate(() => window.fcnetApp.prediction());
    assert.equal(drawn.digit, 1, `a drawn 1 read as ${JSON.stringify(drawn)}`);
    assert.deepEqual(problems, []);
    return { inPage, seen, steps };
  } finally {
    await browser.close();
  }
}

const server = await startServer();
try {
  const loads = [];
  for (let i = 0; i < profiles; i++) loads.push(await coldLoad(server.url));
  const inPage = loads.map((load) => load.inPage), seen = loads.map((load) => load.seen);
  console.log(`cold loads (fresh profile each), navigation -> fcnetApp.ready:`);
  console.log(`  in the page (performance.now at fcnet-app-ready): ${inPage.map((ms) => ms.toFixed(0)).join(', ')} ms;` +
              ` median ${median(inPage).toFixed(0)} ms`);
  console.log(`  seen by playwright (goto until ready is true):    ${seen.join(', ')} ms; median ${median(seen)} ms`);
  const names = Object.keys(loads[0].steps).filter((name) => loads.every((load) => name in load.steps));
  names.sort((a, b) => loads[0].steps[a] - loads[0].steps[b]);
  console.log(`steps of the start, medians of ${profiles} loads: ms since navigation / since the step above`);
  names.forEach((name, i) => {
    const at = median(loads.map((load) => load.steps[name]));
    const took = i === 0 ? at : median(loads.map((load) => load.steps[name] - load.steps[names[i - 1]]));
    console.log(`  ${name.padEnd(26)} ${at.toFixed(0).padStart(5)} / +${took.toFixed(0)}`);
  });
} finally {
  server.stop();
}
