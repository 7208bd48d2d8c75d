// Benchmark of the embeddable module (not a test): gzip sizes, and median classify / preprocess
// times over 1,000 calls (medians of batches of 10) in node and in headless Chromium, where a
// canvas input's time is also split into getImageData and the rest.
//
//   node web/tests/embed-bench.mjs            (FCNET_EMBED_DIST: the built module, default dist/)
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

import { launchChromium } from './embed-browser.mjs';
import { startServer } from './embed-server.mjs';
import { requireDist } from './embed-support.mjs';

const calls = 1000;
const dist = requireDist();

// Runs in node and in the page alike (passed to page.evaluate as a function).
async function measure({ moduleUrl, calls }) {
  const { createClassifier } = await import(moduleUrl);
  const classifier = await createClassifier();
  const drawing = (side) => {
    const data = new Uint8ClampedArray(side * side * 4);
    for (let y = 0; y < side; ++y) {
      for (let x = 0; x < side; ++x) {
        const p = (y * side + x) * 4;
        const u = x / side - 0.5, v = y / side - 0.5;
        const ring = Math.abs(Math.hypot(u / 0.6, v) - 0.32) < 0.05;  // a "0"
        data[p] = data[p + 1] = data[p + 2] = ring ? 255 : 0;
        data[p + 3] = 255;
      }
    }
    return { data, width: side, height: side, channels: 4 };
  };
  // Batches of 10 calls: a browser's performance.now() may be as coarse as 100 us.
  const median = (action) => {
    for (let i = 0; i < 20; ++i) action();
    const batch = 10, times = [];
    for (let i = 0; i < calls / batch; ++i) {
      const start = performance.now();
      for (let j = 0; j < batch; ++j) action();
      times.push((performance.now() - start) / batch);
    }
    times.sort((a, b) => a - b);
    return times[times.length >> 1];
  };
  // A second of calls first: the engine compiles hot wasm functions again, optimised, in the
  // background, and on a busy machine that takes a while.
  const warmUp = drawing(280);
  for (const start = performance.now(); performance.now() - start < 1000;) classifier.classify(warmUp);
  const results = {};
  for (const side of [28, 112, 280]) {
    const input = drawing(side);
    results[`classify ${side}x${side}`] = median(() => classifier.classify(input));
    results[`preprocess ${side}x${side}`] = median(() => classifier.preprocess(input));
  }
  if (globalThis.document) {  // the browser's own inputs: ImageData and a canvas
    for (const side of [28, 280]) {
      const image = new ImageData(drawing(side).data, side, side);
      const canvas = document.createElement('canvas');
      canvas.width = canvas.height = side;
      const context = canvas.getContext('2d', { willReadFrequently: true });
      context.putImageData(image, 0, 0);
      results[`classify ImageData ${side}`] = median(() => classifier.classify(image));
      results[`classify canvas ${side}`] = median(() => classifier.classify(canvas));
      results[`  of which getImageData ${side}`] = median(() => context.getImageData(0, 0, side, side));
    }
  }
  classifier.dispose();
  return results;
}

function print(where, results) {
  for (const [what, ms] of Object.entries(results)) {
    console.log(`${where.padEnd(9)} ${what.padEnd(28)} median ${(ms * 1000).toFixed(0).padStart(6)} us`);
  }
}

for (const file of ['fcnet.js', 'fcnet.wasm', 'mnist.fcnet']) {
  const bytes = readFileSync(path.join(dist, file));
  console.log(`${file.padEnd(12)} ${String(statSync(path.join(dist, file)).size).padStart(8)} B, ` +
              `gzip -9 ${String(gzipSync(bytes, { level: 9 }).length).padStart(8)} B`);
}

print('node', await measure({ moduleUrl: path.join(dist, 'fcnet.js'), calls }));

const server = await startServer(dist);
const browser = await launchChromium();
try {
  const page = await browser.context.newPage();
  await page.goto(server.url + 'embed-demo.html');
  print('chromium', await page.evaluate(measure, { moduleUrl: server.url + 'fcnet.js', calls }));
} finally {
  await browser.close();
  await server.close();
}
