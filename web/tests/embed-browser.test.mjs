// The embeddable module in headless Chromium: the demo page reads mouse-drawn digits, two
// classifiers with different models share a page, bad models and bad buffers give Errors, and
// nothing reaches the console.
//
// Needs the built module (FCNET_EMBED_DIST) and a second digit model ($FCNET_EMBED_TINY_MODEL,
// a small network scripts/test-embed.sh trains with the CLI), served as /tiny.fcnet.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { launchChromium } from './embed-browser.mjs';
import { startServer } from './embed-server.mjs';
import { repoRoot, requireDist } from './embed-support.mjs';

const tinyModel = process.env.FCNET_EMBED_TINY_MODEL;
let server, browser, snippetDir;

// The "Embed on your site" snippet of docs/embed.md (its first html block), as a page of its own
// with the module under /fcnet/, as the snippet expects.
function writeSnippetPage() {
  const doc = readFileSync(path.join(repoRoot, 'docs/embed.md'), 'utf8');
  const snippet = doc.match(/```html\n([\s\S]*?)```/);
  assert.ok(snippet, 'docs/embed.md has an html snippet');
  snippetDir = mkdtempSync(path.join(tmpdir(), 'fcnet-embed-snippet-'));
  const page = path.join(snippetDir, 'snippet.html');
  writeFileSync(page, `<!doctype html>\n<html><head><meta charset="utf-8"><link rel="icon" href="data:,"></head>\n` +
                      `<body>\n${snippet[1]}</body></html>\n`);
  return page;
}

before(async () => {
  assert.ok(tinyModel, 'set FCNET_EMBED_TINY_MODEL to a second digit model');
  const dist = requireDist();
  server = await startServer(dist, { '/tiny.fcnet': tinyModel, '/fcnet/': dist, '/snippet.html': writeSnippetPage() });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (snippetDir) rmSync(snippetDir, { recursive: true, force: true });
});

// A page with its console errors and uncaught exceptions collected in `problems`.
async function openPage(file) {
  const page = await browser.context.newPage();
  const problems = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`console.${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  await page.goto(server.url + file);
  return { page, problems };
}

// Digits as strokes (polylines) on the 280x280 canvas, drawn the way a person would.
function curve(count, at) {
  return Array.from({ length: count + 1 }, (_, i) => at((2 * Math.PI * i) / count));
}
const strokes = {
  0: [curve(28, (t) => [140 + 55 * Math.sin(t), 140 - 85 * Math.cos(t)])],
  1: [[[150, 50], [145, 140], [138, 232]]],
  2: [[[85, 95], [100, 65], [140, 50], [180, 65], [190, 100], [175, 135], [85, 230], [205, 228]]],
  3: [[[85, 70], [130, 50], [180, 65], [185, 100], [140, 135], [185, 165], [185, 205], [140, 232], [85, 215]]],
  4: [[[120, 50], [85, 160], [200, 160]], [[170, 90], [170, 235]]],
  5: [[[185, 55], [100, 55], [92, 130], [140, 118], [185, 145], [190, 195], [150, 230], [90, 215]]],
  6: [[[175, 50], [120, 100], [95, 160], [105, 215], [145, 232], [185, 205], [185, 165], [145, 140], [100, 165]]],
  7: [[[80, 55], [195, 55], [120, 235]]],
  8: [curve(32, (t) => [140 + 45 * Math.sin(2 * t), 140 - 88 * Math.cos(t)])],
  9: [curve(24, (t) => [135 + 45 * Math.cos(t), 100 - 45 * Math.sin(t)]), [[180, 100], [170, 235]]],
  zigzag: [[[40, 60], [240, 80], [40, 110], [240, 140], [40, 170], [240, 200], [40, 230]]],
};

async function drawDigit(page, digit, canvas = '#demo canvas') {
  const box = await page.locator(canvas).boundingBox();
  const at = ([x, y]) => [box.x + (x * box.width) / 280, box.y + (y * box.height) / 280];
  for (const stroke of strokes[digit]) {
    await page.mouse.move(...at(stroke[0]));
    await page.mouse.down();
    for (const point of stroke.slice(1)) await page.mouse.move(...at(point), { steps: 4 });
    await page.mouse.up();
  }
}

test('the demo page reads digits drawn with the mouse', async () => {
  const { page, problems } = await openPage('embed-demo.html');
  await page.waitForSelector('#demo[data-ready="true"]');
  assert.equal(await page.textContent('[data-out="status"]'), 'Draw a digit');
  const wrong = [];
  for (let digit = 0; digit <= 9; ++digit) {
    await page.click('[data-action="clear"]');
    await drawDigit(page, digit);
    const read = await page.getAttribute('#demo', 'data-digit');
    const status = await page.textContent('[data-out="status"]');
    if (read !== String(digit)) wrong.push(`${digit} read as ${read} (${status})`);
  }
  console.log(`demo: ${10 - wrong.length}/10 drawn digits read correctly${wrong.length ? '; wrong: ' + wrong.join(', ') : ''}`);
  assert.ok(wrong.length <= 2, `only ${10 - wrong.length} of 10 drawn digits read correctly: ${wrong.join('; ')}`);

  // A zigzag scribble is no digit: the shipped model's reject_confidence turns it down.
  await page.click('[data-action="clear"]');
  await drawDigit(page, 'zigzag');
  assert.match(await page.textContent('[data-out="status"]'), /^Not a digit \(best guess \d, \d+\.\d%\)$/);
  assert.equal(await page.textContent('[data-out="digit"]'), '');

  // The reverse colours work too, and Clear empties the result.
  await page.click('[data-action="invert"]');
  await drawDigit(page, 7);
  assert.equal(await page.getAttribute('#demo', 'data-digit'), '7', 'black ink on white');
  await page.click('[data-action="clear"]');
  assert.equal(await page.textContent('[data-out="status"]'), 'Draw a digit');
  assert.deepEqual(problems, []);
  await page.close();
});

test('two classifiers with different models on one page give their own results', async () => {
  const { page, problems } = await openPage('embed-demo.html');
  await page.waitForSelector('#demo[data-ready="true"]');
  const result = await page.evaluate(async () => {
    const { createClassifier } = await import('./fcnet.js');
    const canvas = new OffscreenCanvas(140, 140);
    const context = canvas.getContext('2d', { willReadFrequently: true });  // read back twice
    context.fillStyle = 'black';
    context.fillRect(0, 0, 140, 140);
    context.strokeStyle = 'white';
    context.lineWidth = 12;
    context.beginPath();
    context.moveTo(40, 25); context.lineTo(100, 25); context.lineTo(60, 120);
    context.stroke();
    const image = context.getImageData(0, 0, 140, 140);

    const [shipped, tiny] = await Promise.all([createClassifier(), createClassifier({ model: 'tiny.fcnet' })]);
    const both = { shipped: shipped.classify(image), tiny: tiny.classify(canvas) };
    const infos = { shipped: shipped.info().architecture, tiny: tiny.info().architecture };
    shipped.dispose();
    const alone = await createClassifier({ model: 'tiny.fcnet' });
    const tinyAlone = alone.classify({ data: image.data, width: 140, height: 140, channels: 4 });
    const tinyAfterDispose = tiny.classify(image);
    alone.dispose();
    tiny.dispose();
    return { both, infos, tinyAlone, tinyAfterDispose };
  });
  assert.deepEqual(result.infos.shipped, [784, 1600, 832, 11]);
  assert.notDeepEqual(result.infos.tiny, result.infos.shipped);
  assert.equal(result.both.shipped.digit, 7);
  assert.notDeepEqual(result.both.tiny.probabilities, result.both.shipped.probabilities);
  assert.deepEqual(result.both.tiny, result.tinyAlone, 'a classifier alone gives what it gave next to another');
  assert.deepEqual(result.tinyAfterDispose, result.tinyAlone, 'disposing one classifier leaves the other intact');
  assert.deepEqual(problems, []);
  await page.close();
});

test('a bad model URL rejects with a message naming the URL and the problem', async () => {
  const { page, problems } = await openPage('embed-demo.html');
  await page.waitForSelector('#demo[data-ready="true"]');
  const messages = await page.evaluate(async () => {
    const { createClassifier } = await import('./fcnet.js');
    const attempt = (options) => createClassifier(options).then(() => 'resolved', (error) =>
      (error instanceof Error ? '' : 'not an Error: ') + error.message);
    const corrupt = new Uint8Array(await (await fetch('mnist.fcnet')).arrayBuffer());
    corrupt[5000] ^= 0xff;  // inside the compressed payload
    return {
      missing: await attempt({ model: 'models/no-such.fcnet' }),
      html: await attempt({ model: 'embed-demo.html' }),
      truncated: await attempt({ model: corrupt.slice(0, 500) }),
      corrupt: await attempt({ model: corrupt }),
    };
  });
  assert.match(messages.missing, /^fcnet: model http:\/\/127\.0\.0\.1:\d+\/models\/no-such\.fcnet: HTTP 404/);
  assert.match(messages.html, /^fcnet: model http:\/\/127\.0\.0\.1:\d+\/embed-demo\.html: not an fcnet model file/);
  assert.match(messages.truncated, /^fcnet: model buffer: truncated/);
  assert.match(messages.corrupt, /^fcnet: model buffer: .*corrupt/);
  // The browser itself logs the failed request; nothing else may appear.
  assert.deepEqual(problems.filter((p) => !/404 \(Not Found\)/.test(p)), []);
  assert.equal(problems.length, 1, 'one console line for the 404');
  await page.close();
});

test('wrong-size buffers throw an Error and the page keeps working', async () => {
  const { page, problems } = await openPage('embed-demo.html');
  await page.waitForSelector('#demo[data-ready="true"]');
  const outcome = await page.evaluate(async () => {
    const { createClassifier } = await import('./fcnet.js');
    const classifier = await createClassifier();
    const data = new Uint8ClampedArray(28 * 28 * 4);
    const inputs = [
      { data, width: 28, height: 29, channels: 4 },
      { data, width: 28, height: 28, channels: 2 },
      { data, width: 0, height: 28, channels: 4 },
      { data, width: -28, height: -28, channels: 4 },
      { data: new Uint8ClampedArray(0), width: 0, height: 0, channels: 4 },
      { data: new Float32Array(28 * 28 * 4), width: 28, height: 28, channels: 4 },
      document.createElement('canvas').getContext('webgl2') ? (() => {
        const gl = document.createElement('canvas');
        gl.getContext('webgl2');
        return gl;
      })() : { data, width: 1, height: 1, channels: 4 },
    ];
    const errors = inputs.map((input) => {
      try {
        classifier.classify(input);
        return 'no error';
      } catch (error) {
        return (error instanceof Error ? '' : 'not an Error: ') + error.message;
      }
    });
    const after = classifier.classify(new ImageData(data, 28, 28));
    classifier.dispose();
    return { errors, after };
  });
  assert.equal(outcome.errors.length, 7);
  for (const message of outcome.errors) assert.match(message, /^fcnet: /);
  assert.match(outcome.errors[0], /data holds 3136 bytes; 28x29 pixels with 4 channels need 3248/);
  assert.match(outcome.errors[1], /channels must be 1 \(gray\), 3 \(RGB\) or 4 \(RGBA\)/);
  assert.equal(outcome.after.empty, true);
  await drawDigit(page, 1);
  assert.equal(await page.getAttribute('#demo', 'data-digit'), '1', 'the demo still reads digits');
  assert.deepEqual(problems, []);
  await page.close();
});

test('the "Embed on your site" snippet of docs/embed.md works as written', async () => {
  const { page, problems } = await openPage('snippet.html');
  for (const digit of [7, 1]) {
    await page.click('#clear');
    await drawDigit(page, digit, '#pad');
    await page.waitForFunction((d) => document.getElementById('digit').textContent === String(d), digit, { timeout: 5000 })
      .catch(async () => assert.fail(`the snippet shows "${await page.textContent('#digit')}" for a drawn ${digit}`));
  }
  assert.match(await page.textContent('#confidence'), /^\(\d+\.\d%\)$/);
  assert.deepEqual(problems, []);
  await page.close();
});
