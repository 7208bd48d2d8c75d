// Bad input never breaks a page: in headless Chromium, the embed module throws an Error for NaN
// pixels, wrong sizes and channel counts and rejects corrupt models, leaking nothing, and then
// still reads digits; the app survives window.fcnetApp calls with bad arguments.
// (Memory over 10,000 classify calls: embed-memory.test.mjs.)
//
// Needs the built module (FCNET_EMBED_DIST, else dist/: scripts/test-embed.sh) and the built app
// (FCNET_APP_SITE, else build/wasm/site: scripts/build-app.sh). scripts/test-app.sh runs it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';

import { launchChromium } from './embed-browser.mjs';
import { startServer } from './embed-server.mjs';
import { requireDist } from './embed-support.mjs';
import { SITE } from './app-harness.mjs';

let server, browser;

before(async () => {
  assert.ok(existsSync(path.join(SITE, 'index.html')), `${SITE}/index.html is missing: build the app with scripts/build-app.sh`);
  server = await startServer(requireDist(), { '/app/': SITE });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

// A page with its console errors and warnings and uncaught exceptions collected in `problems`
// (except SwiftShader's WebGL performance notes, "GL Driver Message ... GPU stall").
async function openPage(file) {
  const page = await browser.context.newPage();
  const problems = [];
  page.on('console', (message) => {
    if (message.type() === 'warning' && /GL Driver Message/.test(message.text())) return;
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`console.${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  await page.goto(server.url + file);
  return { page, problems };
}

test('NaN pixels, wrong sizes and wrong channel counts throw an Error, leak nothing, and the classifier still reads digits', async () => {
  const { page, problems } = await openPage('embed-demo.html');
  await page.waitForSelector('#demo[data-ready="true"]');
  const outcome = await page.evaluate(async () => {
    const { createClassifier } = await import('./fcnet.js');
    const classifier = await createClassifier();
    const one = new Uint8ClampedArray(56 * 56 * 4);  // a white bar ("1") on black, RGBA
    for (let y = 0; y < 56; ++y) {
      for (let x = 0; x < 56; ++x) {
        const ink = y >= 10 && y < 46 && x >= 26 && x < 30 ? 255 : 0;
        one.set([ink, ink, ink, 255], (y * 56 + x) * 4);
      }
    }
    const image = { data: one, width: 56, height: 56, channels: 4 };
    const nanFloats = new Float32Array(56 * 56 * 4).fill(NaN);
    const bad = {
      'NaN floats': { ...image, data: nanFloats },
      'infinite floats': { ...image, data: new Float32Array(56 * 56 * 4).fill(Infinity) },
      'an Array with NaN': { ...image, data: Array.from(nanFloats) },
      'NaN width': { ...image, width: NaN },
      'infinite height': { ...image, height: Infinity },
      'fractional width': { ...image, width: 55.5 },
      'width as a string': { ...image, width: '56' },
      'one byte short': { ...image, data: one.subarray(1) },
      'one byte long': { ...image, data: new Uint8ClampedArray(one.length + 1) },
      '50,000 x 50,000 pixels in 12 KB': { ...image, width: 50000, height: 50000 },
      'width x height overflowing 32 bits': { ...image, width: 65536, height: 65536, channels: 1 },
      'NaN channels': { ...image, channels: NaN },
      '0 channels': { ...image, channels: 0 },
      '2 channels': { ...image, data: one.subarray(0, 56 * 56 * 2), channels: 2 },
      'no data': { width: 56, height: 56, channels: 4 },
      'a string': 'pixels',
      'null': null,
      'NaN': NaN,
    };
    classifier.classify(image);
    const heapBefore = classifier.memoryUsage().heapBytesInUse;
    const errors = {};
    for (const [name, input] of Object.entries(bad)) {
      try {
        classifier.classify(input);
        errors[name] = 'no error';
      } catch (error) {
        errors[name] = (error instanceof Error ? '' : 'not an Error: ') + error.message;
      }
      try {
        classifier.preprocess(input);
        errors[name + ' (preprocess)'] = 'no error';
      } catch (error) {
        errors[name + ' (preprocess)'] = (error instanceof Error ? '' : 'not an Error: ') + error.message;
      }
    }
    let polarity;
    try {
      classifier.classify(image, { polarity: NaN });
      polarity = 'no error';
    } catch (error) {
      polarity = error.message;
    }
    const heapAfter = classifier.memoryUsage().heapBytesInUse;
    const after = classifier.classify(image);
    classifier.dispose();
    return { errors, polarity, heapBefore, heapAfter, digit: after.digit };
  });
  for (const [name, message] of Object.entries(outcome.errors)) assert.match(message, /^fcnet: \S/, name);
  assert.match(outcome.errors['NaN floats'], /data must be a Uint8Array or Uint8ClampedArray; got \[object Float32Array\]/);
  assert.match(outcome.errors['an Array with NaN'], /got \[object Array\]/);
  assert.match(outcome.errors['NaN width'], /width must be a positive integer; got NaN/);
  assert.match(outcome.errors['infinite height'], /height must be a positive integer; got Infinity/);
  assert.match(outcome.errors['50,000 x 50,000 pixels in 12 KB'], /data holds 12544 bytes; 50000x50000 pixels with 4 channels need 10000000000/);
  assert.match(outcome.errors['width x height overflowing 32 bits'], /need 4294967296/);
  assert.match(outcome.errors['2 channels'], /channels must be 1 \(gray\), 3 \(RGB\) or 4 \(RGBA\); got 2/);
  assert.match(outcome.polarity, /^fcnet: polarity must be/);
  assert.equal(outcome.heapAfter, outcome.heapBefore, 'failed calls leaked heap blocks');
  assert.equal(outcome.digit, 1, 'the classifier still reads the drawn 1');
  assert.deepEqual(problems, []);
  await page.close();
});

test('200 corrupt models reject with an Error, and a good model still loads and reads digits', async () => {
  const { page, problems } = await openPage('embed-demo.html');
  await page.waitForSelector('#demo[data-ready="true"]');
  const outcome = await page.evaluate(async () => {
    const { createClassifier } = await import('./fcnet.js');
    const good = new Uint8Array(await (await fetch('mnist.fcnet')).arrayBuffer());
    let state = 12345;  // a small seeded generator: the same corruptions every run
    const random = (n) => {
      state = (Math.imul(state, 1103515245) + 12345) >>> 0;
      return state % n;
    };
    const models = [new Uint8Array(0), good.slice(0, 8), good.slice(0, 36), good.slice(0, good.length - 1)];
    while (models.length < 200) {
      const kind = random(3);
      if (kind === 0) {  // one to eight flipped bytes, anywhere
        const model = good.slice();
        for (let n = 1 + random(8); n > 0; --n) model[random(model.length)] ^= 1 + random(255);
        models.push(model);
      } else if (kind === 1) {  // cut short
        models.push(good.slice(0, random(good.length)));
      } else {  // the header of a model, then noise
        const model = good.slice(0, 36 + random(4096));
        for (let i = 36; i < model.length; ++i) model[i] = random(256);
        models.push(model);
      }
    }
    const failures = [];
    for (const model of models) {
      try {
        const classifier = await createClassifier({ model });
        classifier.dispose();
        failures.push(`a model of ${model.length} bytes loaded`);
      } catch (error) {
        if (!(error instanceof Error) || !/^fcnet: model buffer: \S/.test(error.message)) {
          failures.push(`a model of ${model.length} bytes: ${error instanceof Error ? '' : 'not an Error: '}${error.message}`);
        }
      }
    }
    const classifier = await createClassifier({ model: good });
    const bar = new Uint8Array(28 * 28);
    for (let y = 4; y < 24; ++y) bar[y * 28 + 14] = bar[y * 28 + 13] = 255;
    const digit = classifier.classify({ data: bar, width: 28, height: 28, channels: 1 }).digit;
    classifier.dispose();
    return { count: models.length, failures, digit };
  });
  assert.equal(outcome.count, 200);
  assert.deepEqual(outcome.failures, []);
  assert.equal(outcome.digit, 1);
  assert.deepEqual(problems, []);
  await page.close();
});

test('the app survives fcnetApp calls with bad arguments and keeps predicting', async () => {
  const { page, problems } = await openPage('app/index.html');
  await page.waitForFunction(() => window.fcnetApp && (window.fcnetApp.ready || window.fcnetApp.error), null,
                             { timeout: 120000 });
  assert.equal(await page.evaluate(() => window.fcnetApp.error), null);
  const outcome = await page.evaluate(() => {
    const api = window.fcnetApp;
    const results = {};
    for (const [name, runs] of Object.entries({ '-1': -1, '0': 0, 'NaN': NaN, 'Infinity': Infinity, "'many'": 'many',
                                               'null': null, '{}': {}, '2**32 + 3': 2 ** 32 + 3, '-(2**31)': -(2 ** 31) })) {
      try {
        const ms = api.benchmark(runs);
        results[name] = typeof ms === 'number' && Number.isFinite(ms) && ms >= 0 ? 'ok' : `returned ${ms}`;
      } catch (error) {
        results[name] = (error instanceof Error ? 'Error: ' : 'not an Error: ') + error.message;
      }
    }
    api.clear();
    return { results, prediction: api.prediction() };
  });
  for (const [name, result] of Object.entries(outcome.results)) assert.match(result, /^(ok|Error: \S)/, `benchmark(${name})`);
  assert.equal(outcome.prediction.empty, true, 'a cleared canvas still predicts "empty"');
  assert.equal(outcome.prediction.probabilities.length, 10);
  assert.deepEqual(problems, []);
  await page.close();
});
