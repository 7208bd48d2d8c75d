// The module stays small: fcnet.js + fcnet.wasm at most 150 KB after gzip -9 (the model excluded),
// KB counted as 1,000 bytes, the stricter reading.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

import { requireDist } from './embed-support.mjs';

const limit = 150 * 1000;

test('fcnet.js + fcnet.wasm fit in 150 KB gzipped', () => {
  const dist = requireDist();
  const sizes = Object.fromEntries(['fcnet.js', 'fcnet.wasm'].map((file) =>
    [file, gzipSync(readFileSync(path.join(dist, file)), { level: 9 }).length]));
  const total = sizes['fcnet.js'] + sizes['fcnet.wasm'];
  console.log(`gzip -9: fcnet.js ${sizes['fcnet.js']} B, fcnet.wasm ${sizes['fcnet.wasm']} B, total ${total} B`);
  assert.ok(total <= limit, `${total} bytes gzipped, over the ${limit}-byte budget`);
});
