// Measures the web app (not a test): where the start's time goes, the time from navigation to the
// first prediction, classification time in the page, frame rate while idle, and the gzip sizes of
// what the page downloads. Run from web/: node tests/app-bench.mjs [loads]   (default 7 loads)
// (after scripts/test-app.sh or scripts/start.sh built build/wasm/site; FCNET_APP_SITE overrides).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

import { DIGITS } from './app-digits.mjs';
import { REPO, SITE, drawStrokes, launchBrowser, openApp, startServer, timeline } from './app-harness.mjs';

const loads = Number(process.argv[2] ?? 7);
const kb = (bytes) => `${(bytes / 1024).toFixed(0)} KB`;
const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];
const rows = [];
const row = (what, value) => rows.push([what, value]);

for (const [label, file] of [['index.wasm', path.join(SITE, 'index.wasm')], ['index.js', path.join(SITE, 'index.js')],
                             ['index.data (model + font)', path.join(SITE, 'index.data')],
                             ['models/mnist.fcnet', path.join(REPO, 'models/mnist.fcnet')]]) {
  const bytes = readFileSync(file);
  row(`${label}: size / gzip -9`, `${kb(bytes.length)} / ${kb(gzipSync(bytes, { level: 9 }).length)}`);
}

// In the page, before its own scripts: as soon as the app is ready, ask for a prediction (after
// the frame that made it ready) and mark when the answer came.
function markFirstPrediction() {
  window.addEventListener('fcnet-app-ready', () => queueMicrotask(() => {
    window.fcnetApp.prediction();
    performance.mark('fcnet:first-prediction');
  }));
}

const server = await startServer();
const browser = await launchBrowser();
try {
  const timelines = [], outside = [];
  for (let i = 0; i < loads; i++) {
    const page = await browser.context.newPage();
    await page.addInitScript(markFirstPrediction);
    outside.push(await openApp(page, server.url));
    await page.waitForFunction(() => performance.getEntriesByName('fcnet:first-prediction').length > 0);
    timelines.push(await page.evaluate(timeline));
    await page.close();
  }
  const steps = Object.keys(timelines[0]).filter((step) => timelines.every((t) => step in t));
  steps.sort((a, b) => timelines[0][a] - timelines[0][b]);
  steps.forEach((step, i) => {
    const at = median(timelines.map((t) => t[step]));
    const took = i === 0 ? at : median(timelines.map((t) => t[step] - t[steps[i - 1]]));
    row(`  ${step}: at / after the step above (medians of ${loads} loads)`, `${at.toFixed(0)} ms / +${took.toFixed(0)} ms`);
  });
  const firstPrediction = timelines.map((t) => t['fcnet:first-prediction']);
  row('navigation -> first prediction, in the page (each load)',
      firstPrediction.map((ms) => ms.toFixed(0)).join(', ') + ` ms; median ${median(firstPrediction).toFixed(0)} ms`);
  row('navigation -> fcnetApp.ready seen by playwright (each load)',
      outside.join(', ') + ` ms; median ${median(outside)} ms`);

  const page = await browser.context.newPage();
  await openApp(page, server.url);
  const fps = await page.evaluate(() => new Promise((resolve) => {
    let count = 0;
    const start = performance.now();
    const step = () => (performance.now() - start < 2000 ? (count++, requestAnimationFrame(step))
                                                          : resolve(count / ((performance.now() - start) / 1000)));
    requestAnimationFrame(step);
  }));
  row('frames per second, idle (headless, SwiftShader)', fps.toFixed(1));

  const emptyMs = await page.evaluate(() => window.fcnetApp.benchmark(1000));
  row('classify the empty canvas, median of 1000', `${emptyMs.toFixed(3)} ms`);
  await drawStrokes(page, DIGITS[8]);
  const digitMs = await page.evaluate(() => window.fcnetApp.benchmark(1000));
  row('classify a drawn 8 (preprocess 280x280 + forward), median of 1000', `${digitMs.toFixed(3)} ms`);
} finally {
  await browser.close();
  server.stop();
}

const width = Math.max(...rows.map(([what]) => what.length));
for (const [what, value] of rows) console.log(`${what.padEnd(width)}  ${value}`);
