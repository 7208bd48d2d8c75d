// Drawings given as strokes ({ strokes, penWidth }): read as natively, better than pixels for a small fat-pen digit, checked, learned.
//
// The drawings are held-out writers' digits from the native fcnet_embed_golden run with a strokes
// folder (src/embed/embed_golden.cpp): $FCNET_EMBED_GOLDEN/golden-strokes.json, with the native
// DigitClassifier's reading of each.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

import { importModule, requireDist } from './embed-support.mjs';

const goldenDir = process.env.FCNET_EMBED_GOLDEN;
const goldenFile = goldenDir && path.join(goldenDir, 'golden-strokes.json');
const skip = !goldenDir ? 'set FCNET_EMBED_GOLDEN (scripts/test-embed.sh does)'
           : !existsSync(goldenFile) ? `${goldenFile} is missing: fcnet_embed_golden had no strokes folder` : false;
const golden = skip ? { drawings: [] } : JSON.parse(readFileSync(goldenFile, 'utf8'));
const { createClassifier } = await importModule();
const tolerance = 1e-5;

// `strokes` scaled so that the longer side of their bounding box is `size` pixels, centred on a
// `side` x `side` canvas: [x, y] pairs.
function placed(strokes, size, side) {
  const all = strokes.flat();
  const xs = all.map((p) => p[0]), ys = all.map((p) => p[1]);
  const [left, top] = [Math.min(...xs), Math.min(...ys)];
  const [width, height] = [Math.max(...xs) - left, Math.max(...ys) - top];
  const scale = size / Math.max(width, height, 1e-6);
  const dx = (side - width * scale) / 2, dy = (side - height * scale) / 2;
  return strokes.map((stroke) => stroke.map(([x, y]) => [dx + (x - left) * scale, dy + (y - top) * scale]));
}

// The strokes drawn as a person's canvas shows them: a round brush `penWidth` wide, white ink on
// black, one gray byte a pixel (a pixel is ink when its centre is within the brush's reach).
function rendered(strokes, penWidth, side) {
  const data = new Uint8Array(side * side);
  const reach = penWidth / 2;
  for (const stroke of strokes) {
    for (let i = 0; i < stroke.length; ++i) {
      const [ax, ay] = stroke[i], [bx, by] = stroke[Math.min(i + 1, stroke.length - 1)];
      const length2 = (bx - ax) ** 2 + (by - ay) ** 2;
      for (let y = Math.max(0, Math.floor(Math.min(ay, by) - reach)); y < Math.min(side, Math.max(ay, by) + reach); ++y) {
        for (let x = Math.max(0, Math.floor(Math.min(ax, bx) - reach)); x < Math.min(side, Math.max(ax, bx) + reach); ++x) {
          const [px, py] = [x + 0.5, y + 0.5];
          const t = length2 ? Math.max(0, Math.min(1, ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / length2)) : 0;
          if ((px - ax - t * (bx - ax)) ** 2 + (py - ay - t * (by - ay)) ** 2 <= reach * reach) data[y * side + x] = 255;
        }
      }
    }
  }
  return { data, width: side, height: side, channels: 1 };
}

const readRight = (reading, label) => reading.digit === label && reading.isDigit;

test('held-out writers\' strokes read the same in wasm as natively', { skip }, async () => {
  const classifier = await createClassifier();
  let worst = { difference: 0 };
  const mismatches = [];
  golden.drawings.forEach((drawing, i) => {
    const reading = classifier.classify({ strokes: drawing.strokes, penWidth: golden.penWidth });
    drawing.probabilities.forEach((p, digit) => {
      const difference = Math.abs(reading.probabilities[digit] - p);
      if (difference > worst.difference) worst = { difference, drawing: i, digit };
    });
    if (reading.digit !== drawing.digit || reading.isDigit !== drawing.isDigit) {
      mismatches.push(`drawing ${i} (${drawing.writer}): wasm ${reading.digit}/${reading.isDigit}, ` +
                      `native ${drawing.digit}/${drawing.isDigit}`);
    }
  });
  classifier.dispose();
  const right = golden.drawings.filter((d) => readRight(d, d.label)).length;
  console.log(`strokes golden: ${golden.drawings.length} drawings, largest probability difference ` +
              `${worst.difference.toExponential(2)}, ${right} read right`);
  assert.ok(golden.drawings.length >= 30, `only ${golden.drawings.length} drawings in ${goldenFile}`);
  assert.deepEqual(mismatches, []);
  assert.ok(worst.difference <= tolerance,
            `drawing ${worst.drawing} digit ${worst.digit}: probabilities differ by ${worst.difference} > ${tolerance}`);
  assert.ok(right >= 0.9 * golden.drawings.length, `${right} of ${golden.drawings.length} read right`);
});

test('a small digit drawn with a fat pen reads right as strokes and wrong as pixels', { skip }, async () => {
  const classifier = await createClassifier();
  const side = 280, size = 40, penWidth = 28;  // a 40-pixel digit, the pen 28 pixels wide, on a 280x280 canvas
  const drawings = golden.drawings.filter((d) => readRight(d, d.label));
  let asStrokes = 0, asPixels = 0;
  for (const drawing of drawings) {
    const strokes = placed(drawing.strokes, size, side);
    asStrokes += readRight(classifier.classify({ strokes, penWidth }), drawing.label);
    asPixels += readRight(classifier.classify(rendered(strokes, penWidth, side)), drawing.label);
  }
  classifier.dispose();
  console.log(`a ${size}-pixel digit, pen ${penWidth} wide: ${asStrokes} of ${drawings.length} read right as strokes, ` +
              `${asPixels} as pixels`);
  assert.ok(asStrokes >= 0.9 * drawings.length, `${asStrokes} of ${drawings.length} read right as strokes`);
  assert.ok(asPixels <= 0.3 * drawings.length, `${asPixels} of ${drawings.length} read right as pixels`);
});

test('strokes that are not arrays of finite points, a bad pen width or too many points throw clearly', async () => {
  const classifier = await createClassifier();
  const seven = { strokes: [[{ x: 40, y: 40 }, { x: 120, y: 42 }, { x: 70, y: 160 }], [[60, 100], [110, 98]]] };
  assert.equal(classifier.classify(seven).empty, false);
  const throwsType = (input, pattern) => assert.throws(() => classifier.classify(input), (error) =>
    error instanceof TypeError && pattern.test(error.message) || assert.fail(`${error.name}: ${error.message}`));
  throwsType({ strokes: 5 }, /^fcnet: strokes must be an array of strokes, each an array of points; got 5$/);
  throwsType({ strokes: [[[1, 2]], { x: 1, y: 2 }] }, /^fcnet: stroke 1 must be an array of points \(\{x, y\} or \[x, y\]\); got \[object Object\]$/);
  throwsType({ strokes: [[[1, 2], [1, 2, 3]]] }, /^fcnet: stroke 0, point 1 must be \{x, y\} or \[x, y\]; got an array of 3$/);
  throwsType({ strokes: [[[1, 2], 7]] }, /^fcnet: stroke 0, point 1 must be \{x, y\} or \[x, y\]; got 7$/);
  throwsType({ strokes: [[{ x: 1 }]] }, /^fcnet: stroke 0, point 0: y must be a finite number; got undefined$/);
  throwsType({ strokes: [[[0, 0]], [[NaN, 1]]] }, /^fcnet: stroke 1, point 0: x must be a finite number; got NaN$/);
  throwsType({ strokes: [[['1', 2]]] }, /x must be a finite number; got 1$/);
  throwsType({ strokes: [[[1, Infinity]]] }, /y must be a finite number; got Infinity$/);
  for (const penWidth of [0, -3, Infinity, NaN, '3', null]) {
    throwsType({ ...seven, penWidth }, /^fcnet: penWidth must be a positive finite number \(the pen's width\); got /);
  }
  assert.throws(() => classifier.classify({ strokes: Array.from({ length: 1001 }, () => [[0, 0]]) }),
                /^Error: fcnet: 1001 strokes, more than the 1000 a drawing may have$/);
  assert.throws(() => classifier.preprocess({ strokes: [Array.from({ length: 200001 }, (_, i) => [i, i])] }),
                /^Error: fcnet: more than the 200000 points a drawing may have$/);
  await assert.rejects(classifier.learn({ strokes: 'seven' }, 7), TypeError);
  assert.equal(classifier.classify(seven).empty, false, 'the classifier keeps working');
  classifier.dispose();
});

test('no strokes, or strokes without points, read as an empty drawing', async () => {
  const classifier = await createClassifier();
  for (const strokes of [[], [[], []]]) {
    assert.deepEqual(classifier.classify({ strokes }),
                     { digit: -1, confidence: 0, probabilities: Array(10).fill(0), isDigit: false, empty: true });
    assert.ok(classifier.preprocess({ strokes, penWidth: 5 }).every((p) => p === 0));
  }
  await assert.rejects(classifier.learn({ strokes: [] }, 3), /nothing was drawn: there is nothing to learn/);
  classifier.dispose();
});

test('preprocess of strokes is the 28x28 image of the strokes redrawn at MNIST\'s width', async () => {
  const classifier = await createClassifier();
  const bar = (x) => [[x, 20], [x, 220]];
  const thin = classifier.preprocess({ strokes: [bar(100)], penWidth: 2 });
  const fat = classifier.preprocess({ strokes: [bar(30)], penWidth: 40 });  // elsewhere, a fatter pen: the same image
  assert.equal(thin.length, 784);
  assert.deepEqual(fat, thin);
  assert.ok(thin.some((p) => p > 0.9));
  classifier.dispose();
});

test('learn() with strokes makes a misread drawing read as its label; exportModel round-trips', { skip }, async () => {
  const rehearsal = readFileSync(path.join(requireDist(), 'fcnet-rehearsal.bin'));
  const learner = await createClassifier({ rehearsal });
  const one = golden.drawings.find((d) => d.label === 1 && readRight(d, 1));
  assert.ok(one, 'a held-out 1 read right');
  const drawing = { strokes: one.strokes, penWidth: golden.penWidth };
  const before = learner.classify(drawing);
  assert.equal(before.digit, 1);

  let reading;
  for (let i = 0; i < 3 && reading?.digit !== 7; ++i) reading = await learner.learn(drawing, 7);
  assert.equal(reading.digit, 7, 'the 1 reads as 7 within three corrections');
  assert.deepEqual(learner.classify(drawing), reading);

  const exported = learner.exportModel();
  const imported = await createClassifier({ model: exported });
  assert.deepEqual(imported.classify(drawing), reading);
  assert.equal(imported.corrections(), learner.corrections());
  assert.deepEqual(imported.exportModel(), exported, 'export, import, export: the same bytes');
  learner.reset();
  assert.deepEqual(learner.classify(drawing), before);
  for (const classifier of [learner, imported]) classifier.dispose();
});
