// Runs an ONNX model with ONNX Runtime (onnxruntime-node) on the first N MNIST test images and writes its output as CSV.
// Usage: node ort_probabilities.mjs MODEL.onnx MNIST_DIR COUNT OUT.csv [SAMPLE_SHAPE, e.g. 1,28,28; default: 784]
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import ort from 'onnxruntime-node';

const [modelPath, mnistDir, countText, outPath, sampleShape] = process.argv.slice(2);
if (!outPath) {
  console.error('usage: node ort_probabilities.mjs MODEL.onnx MNIST_DIR COUNT OUT.csv');
  process.exit(2);
}

// t10k-images-idx3-ubyte(.gz): 16-byte header (magic, count, rows, cols), then one byte per pixel.
function readImages(dir) {
  const plain = path.join(dir, 't10k-images-idx3-ubyte');
  const bytes = fs.existsSync(plain) ? fs.readFileSync(plain) : zlib.gunzipSync(fs.readFileSync(plain + '.gz'));
  if (bytes.readUInt32BE(0) !== 0x803) throw new Error(`${plain}: not an IDX image file`);
  return { count: bytes.readUInt32BE(4), pixels: bytes.readUInt32BE(8) * bytes.readUInt32BE(12), data: bytes.subarray(16) };
}

const images = readImages(mnistDir);
const count = Math.min(Number(countText), images.count);
const features = new Float32Array(count * images.pixels);
for (let i = 0; i < features.length; i++) features[i] = images.data[i] / 255;  // as fcnet's IDX reader: [0, 1]

const session = await ort.InferenceSession.create(modelPath);
const shape = sampleShape ? sampleShape.split(',').map(Number) : [images.pixels];
const input = new ort.Tensor('float32', features, [count, ...shape]);
const result = await session.run({ [session.inputNames[0]]: input });
const output = result[session.outputNames[0]];
const classes = output.dims[1];
const lines = [];
for (let r = 0; r < count; r++) lines.push(Array.from(output.data.subarray(r * classes, (r + 1) * classes)).join(','));
fs.writeFileSync(outPath, lines.join('\n') + '\n');
