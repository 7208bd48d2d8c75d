// 10,000 classify calls leave the wasm memory where the first ones put it.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { drawnOne, importModule } from './embed-support.mjs';

test('memory stays flat over 10,000 classify calls', async () => {
  const { createClassifier } = await importModule();
  const classifier = await createClassifier();
  const small = drawnOne(112, 112), large = drawnOne(300, 280), gray = drawnOne(64, 64);
  const grayPixels = { data: gray.data.filter((_, i) => i % 4 === 0), width: 64, height: 64, channels: 1 };
  const inputs = [small, large, grayPixels];
  for (let i = 0; i < 30; ++i) classifier.classify(inputs[i % 3]);
  const warm = classifier.memoryUsage();
  for (let i = 0; i < 10000; ++i) {
    const result = classifier.classify(inputs[i % 3]);
    if (result.digit !== 1) assert.fail(`call ${i}: read ${result.digit}`);
  }
  const after = classifier.memoryUsage();
  console.log(`wasm memory ${warm.wasmMemoryBytes} bytes, heap in use ${warm.heapBytesInUse} after 30 calls; ` +
              `${after.wasmMemoryBytes} and ${after.heapBytesInUse} after 10,030`);
  assert.equal(after.wasmMemoryBytes, warm.wasmMemoryBytes, 'the wasm memory grew');
  assert.equal(after.heapBytesInUse, warm.heapBytesInUse, 'heap blocks leaked');
  classifier.dispose();
});
