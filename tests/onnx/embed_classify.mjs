// Loads a .fcnet model into the embeddable module (dist/fcnet.js) and classifies the first N MNIST test digits with it.
// Usage: node embed_classify.mjs MODEL.fcnet MNIST_DIR COUNT MIN_ACCURACY   (FCNET_EMBED_DIST: the module's folder, default dist/)
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const [modelPath, mnistDir, countText, minAccuracyText] = process.argv.slice(2);
if (!minAccuracyText) {
  console.error('usage: node embed_classify.mjs MODEL.fcnet MNIST_DIR COUNT MIN_ACCURACY');
  process.exit(2);
}
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dist = path.resolve(process.env.FCNET_EMBED_DIST ?? path.join(repoRoot, 'dist'));
if (!fs.existsSync(path.join(dist, 'fcnet.js'))) throw new Error(`${dist}/fcnet.js is missing: build it with scripts/build-module.sh`);

function readIdx(name) {
  const plain = path.join(mnistDir, name);
  return fs.existsSync(plain) ? fs.readFileSync(plain) : zlib.gunzipSync(fs.readFileSync(plain + '.gz'));
}
const images = readIdx('t10k-images-idx3-ubyte');
const labels = readIdx('t10k-labels-idx1-ubyte');
const count = Number(countText);

const { createClassifier } = await import(path.join(dist, 'fcnet.js'));
const classifier = await createClassifier({ model: fs.readFileSync(modelPath), polarity: 'light-on-dark' });
const info = classifier.info();
let correct = 0;
for (let i = 0; i < count; i++) {
  const data = images.subarray(16 + i * 784, 16 + (i + 1) * 784);
  const prediction = classifier.classify({ data, width: 28, height: 28, channels: 1 });
  assert.equal(prediction.probabilities.length, 10);
  correct += prediction.digit === labels[8 + i] ? 1 : 0;
}
classifier.dispose();
const accuracy = correct / count;
console.log(`embeddable module with ${path.basename(modelPath)} (${info.architecture.join("-")}): ` +
            `${correct}/${count} MNIST test digits right (${(100 * accuracy).toFixed(1)}%, at least ${100 * Number(minAccuracyText)}% required)`);
assert.ok(accuracy >= Number(minAccuracyText), `accuracy ${accuracy} below ${minAccuracyText}`);
