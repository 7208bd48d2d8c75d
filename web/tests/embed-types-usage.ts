// Compiled by embed-types.test.mjs (tsc --noEmit): the declarations in web/embed/fcnet.d.ts describe the API as used.
import createFcnetModule, { createClassifier, Classifier, Prediction, ModelInfo, StrokesInput } from '../embed/fcnet';
async function main(canvas: HTMLCanvasElement, off: { width: number; height: number; getContext(id: "2d"): CanvasRenderingContext2D | null }, image: ImageData) {
  const clf: Classifier = await createClassifier({ model: '/m.fcnet', polarity: 'detect' });
  const a: Prediction = clf.classify(canvas);
  const b = clf.classify(off, { polarity: 'light-on-dark' });
  const c = clf.classify(image);
  const d = clf.classify({ data: new Uint8Array(4), width: 1, height: 1, channels: 4 });
  const p: Float32Array = clf.preprocess({ data: new Uint8ClampedArray(1), width: 1, height: 1, channels: 1 });
  const drawing: StrokesInput = { strokes: [[{ x: 10, y: 5 }, { x: 12, y: 40 }], [[4, 20], [20, 20]]], penWidth: 23 };
  const e: Prediction = clf.classify(drawing);
  const q: Float32Array = clf.preprocess({ strokes: [] });
  await clf.learn({ strokes: [[[1, 2]]] }, 3);
  // @ts-expect-error: a point is {x, y} or [x, y]
  clf.classify({ strokes: [[[1, 2, 3]]] });
  const info: ModelInfo = clf.info();
  const shown: number | null = info.digitAccuracy ?? info.accuracy;
  const n: number = info.architecture[0] + a.digit + b.confidence + c.probabilities[0] + (d.isDigit ? 1 : 0) + p[0] + e.digit + q[0];
  clf.memoryUsage().heapBytesInUse;
  const learned: Prediction = await clf.learn(canvas, 7);
  await clf.learn(image, 'not-a-digit', { polarity: 'dark-on-light' });
  // @ts-expect-error: a label is 0-9 or 'not-a-digit'
  await clf.learn(image, 'seven');
  const corrections: number = clf.corrections() + learned.digit;
  clf.reset();
  const bytes: Uint8Array = clf.exportModel();
  await createClassifier({ model: bytes, rehearsal: new ArrayBuffer(8) });
  clf.dispose();
  await createClassifier({ model: new ArrayBuffer(8), wasm: new URL('https://../embed/fcnet.wasm') });
  await createFcnetModule();
  return n + corrections + (shown ?? 0);
}
main;
