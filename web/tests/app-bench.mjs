// Measures the web app (not a test): load time, classification time in the page, frame rate while
// idle, and the gzip sizes of what the page downloads. Run from web/: node tests/app-bench.mjs
// (after scripts/test-app.sh or scripts/start.sh built build/wasm/site; FCNET_APP_SITE overrides).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

import { DIGITS } from './app-digits.mjs';
import { REPO, SITE, drawStrokes, launchBrowser, openApp, startServer } from './app-harness.mjs';

const kb = (bytes) => `${(bytes / 1024).toFixed(0)} KB`;
const rows = [];
const row = (what, value) => rows.push([what, value]);

for (const [label, file] of [['index.wasm', path.join(SITE, 'index.wasm')], ['index.js', path.join(SITE, 'index.js')],
                             ['index.data (model + font)', path.join(SITE, 'index.data')],
                             ['models/mnist.fcnet', path.join(REPO, 'models/mnist.fcnet')]]) {
  const bytes = readFileSync(file);
  row(`${label}: size / gzip -9`, `${kb(bytes.length)} / ${kb(gzipSync(bytes, { level: 9 }).length)}`);
}

const server = await startServer();
const browser = await launchBrowser();
try {
  const loads = [];
  for (let i = 0; i < 3; i++) {
    const page = await browser.context.newPage();
    loads.push(await openApp(page, server.url));
    await page.close();
  }
  row('navigation -> fcnetApp.ready (3 loads)', loads.map((ms) => `${ms} ms`).join(', '));

  const page = await browser.context.newPage();
  const navigationStart = Date.now();
  await openApp(page, server.url);
  await page.evaluate(() => window.fcnetApp.prediction());
  row('navigation -> first prediction() answered', `${Date.now() - navigationStart} ms`);

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
