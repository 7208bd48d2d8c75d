// The draw-a-digit app in headless Chromium: drawn digits are recognised, non-digits rejected,
// Clear and Undo work, the model panel labels its accuracies as `fcnet info` does, and the page
// logs no errors. Run from web/: node --test tests/app.test.mjs (scripts/test-app.sh builds the
// app first; the native fcnet command, build/native/fcnet or $FCNET_CLI, must be built).
// Screenshots go to test-artifacts/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';

import { DIGITS, DOODLES, NOT_DIGITS, PEOPLE_DIGITS, SMALL_THREE } from './app-digits.mjs';
import { REPO, drawStrokes, drawStrokesByTouch, frames, launchBrowser, openApp, startServer, watchProblems } from './app-harness.mjs';

const ARTIFACTS = path.join(REPO, 'test-artifacts');
// A picture of the app with the digit below drawn; copy it to assets/app-screenshot.png (the
// README's picture) when the app's look changes. Tests never write into tracked files.
const README_SCREENSHOT = path.join(ARTIFACTS, 'app-screenshot.png');
const SCREENSHOT_DIGIT = '4';

let server, browser, page;
const pageProblems = [];  // page errors and console errors, checked by the last test

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await startServer();
  browser = await launchBrowser();
  page = await browser.context.newPage();
  watchProblems(page, pageProblems);
  await openApp(page, server.url);
});

after(async () => {
  await browser?.close();
  server?.stop();
});

const prediction = () => page.evaluate(() => window.fcnetApp.prediction());
const clear = async () => {
  await page.evaluate(() => window.fcnetApp.clear());
  await frames(page);
};

test('the empty canvas asks for a digit: empty, no digit, all probabilities zero', async () => {
  const p = await prediction();
  assert.equal(p.empty, true);
  assert.equal(p.isDigit, false);
  assert.equal(p.digit, -1);
  assert.deepEqual(p.probabilities, new Array(10).fill(0));
});

test('the canvas widget is a square inside the window', async () => {
  const rect = await page.evaluate(() => window.fcnetApp.canvasRect());
  const viewport = page.viewportSize();
  assert.ok(rect.width > 200 && rect.width === rect.height, JSON.stringify(rect));
  assert.ok(rect.x >= 0 && rect.y >= 0 && rect.x + rect.width <= viewport.width &&
            rect.y + rect.height <= viewport.height, JSON.stringify(rect));
});

// The shipped model as `fcnet info` reads it (src/cli/model_history.cpp): "98.47"-style percentages
// over all the outputs and of the reported digit (null: not recorded), and whether it has "not a digit".
function shippedModelByCli() {
  const cli = process.env.FCNET_CLI || path.join(REPO, 'build/native/fcnet');
  assert.ok(existsSync(cli), `${cli}: build the native fcnet command first (scripts/test.sh does), or set FCNET_CLI`);
  const text = execFileSync(cli, ['info', '--model', path.join(REPO, 'models/mnist.fcnet')], { encoding: 'utf8' });
  const percentage = (key) => text.match(new RegExp(`([0-9.]+)% \\(${key}\\)`))?.[1] ?? null;
  return { accuracy: percentage('test_accuracy'), digitAccuracy: percentage('test_digit_accuracy'),
           notADigit: /^classes .*not a digit$/m.test(text) };
}

test('the model panel shows the reported digit\'s test accuracy, and the one over all outputs labelled so', async () => {
  const rows = await page.evaluate(() => window.fcnetApp.modelPanel());
  const cli = shippedModelByCli();
  const value = (label) => rows.find((row) => row.label === label)?.value;
  assert.ok(cli.notADigit && cli.accuracy, 'the shipped model has "not a digit" and records test_accuracy');
  assert.deepEqual(rows.map((row) => row.label),
                   ['layers', 'weights', 'test digit accuracy', 'over all 11 outputs', 'temperature', 'reject below']);
  assert.equal(value('test digit accuracy'), cli.digitAccuracy ? `${cli.digitAccuracy}%` : 'not recorded');
  assert.equal(value('over all 11 outputs'), `${cli.accuracy}%`);
});

test('at least 9 of the 10 hand-drawn digits are recognised', async () => {
  const results = [];
  for (const [digit, strokes] of Object.entries(DIGITS)) {
    await clear();
    await drawStrokes(page, strokes);
    const p = await prediction();
    results.push({ drawn: Number(digit), read: p.digit, confidence: p.confidence.toFixed(3), isDigit: p.isDigit });
    await page.screenshot({ path: path.join(ARTIFACTS, `app-digit-${digit}.png`) });
    if (digit === SCREENSHOT_DIGIT) await page.screenshot({ path: README_SCREENSHOT });
  }
  console.log(results.map((r) => `${r.drawn} -> ${r.read} (${r.confidence}${r.isDigit ? '' : ', not a digit'})`).join('\n'));
  const correct = results.filter((r) => r.drawn === r.read && r.isDigit);
  const wrong = results.filter((r) => !correct.includes(r)).map((r) => r.drawn);
  assert.ok(correct.length >= 9, `recognised ${correct.length} of 10; wrong: ${wrong.join(', ')}`);
});

test('the ten probabilities add up to at most one and the confidence is the largest', async () => {
  await clear();
  await drawStrokes(page, DIGITS[3]);
  const p = await prediction();
  const sum = p.probabilities.reduce((a, b) => a + b, 0);  // the rest is p(not a digit)
  assert.ok(sum <= 1 + 1e-4 && sum > 0.9, `sum ${sum}`);
  assert.equal(p.confidence, Math.max(...p.probabilities));
  assert.equal(p.digit, p.probabilities.indexOf(p.confidence));
});

test('shapes and scribbles that are no digit ("#", "*", a zigzag, a spiral) are "not a digit"', async () => {
  for (const [name, strokes] of Object.entries(NOT_DIGITS)) {
    await clear();
    await drawStrokes(page, strokes);
    const p = await prediction();
    await page.screenshot({ path: path.join(ARTIFACTS, `app-not-a-digit-${name}.png`) });
    assert.equal(p.empty, false, name);
    assert.equal(p.isDigit, false, `${name} was read as ${p.digit} with confidence ${p.confidence.toFixed(3)}`);
  }
});

test('styles people draw are read right: a flagged 1, a crossed 7, an open 4, a hooked 9', async () => {
  for (const [name, strokes] of Object.entries(PEOPLE_DIGITS)) {
    await clear();
    await drawStrokes(page, strokes);
    const p = await prediction();
    await page.screenshot({ path: path.join(ARTIFACTS, `app-people-${name.replace(' ', '-')}.png`) });
    const want = Number(name.at(-1));
    assert.ok(p.digit === want && p.isDigit,
              `${name} was read as ${p.digit} (${p.confidence.toFixed(3)}${p.isDigit ? '' : ', not a digit'})`);
  }
});

test('doodles (a house of five lines, a heart, a smiley) are "not a digit"', async () => {
  for (const [name, strokes] of Object.entries(DOODLES)) {
    await clear();
    await drawStrokes(page, strokes);
    const p = await prediction();
    await page.screenshot({ path: path.join(ARTIFACTS, `app-doodle-${name}.png`) });
    assert.equal(p.empty, false, name);
    assert.equal(p.isDigit, false, `${name} was read as ${p.digit} with confidence ${p.confidence.toFixed(3)}`);
  }
});

test('a small 3 drawn near a corner with the default brush is read as 3', async () => {
  await clear();
  await drawStrokes(page, SMALL_THREE);
  const p = await prediction();
  await page.screenshot({ path: path.join(ARTIFACTS, 'app-small-3.png') });
  assert.ok(p.digit === 3 && p.isDigit, `read as ${p.digit} (${p.confidence.toFixed(3)}${p.isDigit ? '' : ', not a digit'})`);
});

test('undo removes the last stroke: a 7 without its slant is no longer a 7', async () => {
  await clear();
  const [bar, slant] = DIGITS[7];
  await drawStrokes(page, [bar]);
  const barOnly = await prediction();
  await drawStrokes(page, [slant]);
  const seven = await prediction();
  assert.equal(seven.digit, 7);
  assert.notDeepEqual(barOnly.probabilities, seven.probabilities);

  await page.keyboard.press('Control+z');  // the canvas has focus since the mouse drew on it
  await frames(page, 2);
  assert.deepEqual(await prediction(), barOnly, 'Ctrl+Z gives back the one-stroke prediction');

  await page.keyboard.press('Backspace');
  await frames(page, 2);
  assert.equal((await prediction()).empty, true, 'Backspace undid the last stroke left');
});

test('clear empties the canvas: the C key and fcnetApp.clear()', async () => {
  await clear();
  await drawStrokes(page, DIGITS[2]);
  assert.equal((await prediction()).empty, false);
  await page.keyboard.press('c');
  await frames(page, 2);
  assert.equal((await prediction()).empty, true, 'after the C key');

  await drawStrokes(page, DIGITS[5]);
  assert.equal((await prediction()).empty, false);
  await clear();
  const p = await prediction();
  assert.equal(p.empty, true, 'after fcnetApp.clear()');
  assert.equal(p.digit, -1);
});

test('on a HiDPI phone-sized screen the canvas is sharp and a finger draws', async () => {
  const phone = await launchBrowser({ deviceScaleFactor: 2, viewport: { width: 400, height: 800 } });
  try {
    const phonePage = await phone.context.newPage();
    watchProblems(phonePage, pageProblems, ' (phone)');
    await openApp(phonePage, server.url);
    const canvas = await phonePage.evaluate(() => {
      const element = document.getElementById('canvas');
      return { width: element.width, height: element.height, cssWidth: element.clientWidth, cssHeight: element.clientHeight };
    });
    assert.deepEqual(canvas, { width: 800, height: 1600, cssWidth: 400, cssHeight: 800 },
                     'the backing store is the CSS size times devicePixelRatio');
    await drawStrokesByTouch(phonePage, DIGITS[7]);
    const p = await phonePage.evaluate(() => window.fcnetApp.prediction());
    await phonePage.screenshot({ path: path.join(ARTIFACTS, 'app-phone-touch-7.png') });
    assert.equal(p.digit, 7);
    assert.equal(await phonePage.evaluate(() => window.scrollY), 0, 'the page did not scroll');
  } finally {
    await phone.close();
  }
});

test('the page logged no errors', () => {
  assert.deepEqual(pageProblems, []);
});
