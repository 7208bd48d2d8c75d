// The wasm module against native classify_drawing: same probabilities (1e-5), same digits, same accuracy.
//
// The golden vectors come from the native fcnet_embed_golden (src/embed/embed_golden.cpp):
// $FCNET_EMBED_GOLDEN names the folder holding golden-inputs.bin and golden.json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { importModule } from './embed-support.mjs';

const goldenDir = process.env.FCNET_EMBED_GOLDEN;
const tolerance = 1e-5;

test('wasm probabilities match the native ones on MNIST test digits', async () => {
  assert.ok(goldenDir, 'set FCNET_EMBED_GOLDEN to the folder fcnet_embed_golden wrote');
  const golden = JSON.parse(readFileSync(path.join(goldenDir, 'golden.json'), 'utf8'));
  const inputs = readFileSync(path.join(goldenDir, 'golden-inputs.bin'));
  const size = golden.width * golden.height * golden.channels;
  assert.equal(inputs.length, golden.count * size, 'golden-inputs.bin size');

  const { createClassifier } = await importModule();
  const classifier = await createClassifier();
  let worst = { difference: 0, sample: -1 };
  let correct = 0;
  const digitMismatches = [];
  for (let i = 0; i < golden.count; ++i) {
    const data = new Uint8Array(inputs.buffer, inputs.byteOffset + i * size, size);
    const result = classifier.classify({ data, width: golden.width, height: golden.height, channels: golden.channels });
    for (let c = 0; c < 10; ++c) {
      const difference = Math.abs(result.probabilities[c] - golden.probabilities[i][c]);
      if (difference > worst.difference) worst = { difference, sample: i, digit: c };
    }
    if (result.digit !== golden.digits[i]) digitMismatches.push(`sample ${i}: wasm ${result.digit}, native ${golden.digits[i]}`);
    correct += result.digit === golden.labels[i];
  }
  classifier.dispose();
  const accuracy = correct / golden.count;
  console.log(`golden: ${golden.count} samples, largest probability difference ${worst.difference.toExponential(2)}` +
              ` (sample ${worst.sample}), wasm accuracy ${accuracy}, native ${golden.accuracy}`);
  assert.deepEqual(digitMismatches, [], 'digits differ between wasm and native');
  assert.ok(worst.difference <= tolerance,
            `sample ${worst.sample} digit ${worst.digit}: probabilities differ by ${worst.difference} > ${tolerance}`);
  assert.equal(accuracy, golden.accuracy, 'accuracy differs between wasm and native');
  assert.ok(accuracy >= 0.9, `accuracy ${accuracy} on the first ${golden.count} MNIST test digits is too low`);
});
