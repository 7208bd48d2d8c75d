// Types of fcnet.js, the embeddable handwritten-digit classifier (docs/embed.md).

/** Which side of the gray scale the ink is on; 'detect' lets the image's border decide. */
export type Polarity = 'detect' | 'dark-on-light' | 'light-on-dark';

/** Raw pixels: rows top to bottom, `channels` bytes per pixel, no padding. */
export interface PixelData {
  data: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
  /** 1 = gray, 3 = RGB, 4 = RGBA (straight alpha). Default 4, as in ImageData. */
  channels?: 1 | 3 | 4;
}

/** A canvas with a 2d context: HTMLCanvasElement or OffscreenCanvas (typed by shape, for older DOM libs). */
export interface CanvasLike {
  readonly width: number;
  readonly height: number;
  getContext(contextId: '2d'): { getImageData(sx: number, sy: number, sw: number, sh: number): ImageData } | null;
}

/** A point of a stroke in canvas pixels (any units; y points down): `{ x, y }` or `[x, y]`. */
export type StrokePoint = { x: number; y: number } | readonly [number, number];

/**
 * A drawing given as the pen's strokes (from pointer events), read as the draw-a-digit app reads
 * it: redrawn at MNIST's stroke width whatever pen drew it, and, with the model's pen-path
 * network (the shipped model has one), the pen's path mixed in. Much better than the same drawing
 * as pixels for a digit drawn small with a fat brush. `polarity` does not apply.
 */
export interface StrokesInput {
  /** The strokes in writing order, each the points from pen down to pen up. No strokes, or none
   *  with points, read as an empty drawing. */
  strokes: ReadonlyArray<ReadonlyArray<StrokePoint>>;
  /** The width of the pen that drew them, in the same units. It decides only how a drawing no
   *  longer than the pen (a dot, a blob) is redrawn: as long as the pen was wide. Default 1. */
  penWidth?: number;
}

/** What classify(), preprocess() and learn() read. A canvas is read with getContext('2d').getImageData. */
export type ClassifierInput = ImageData | HTMLCanvasElement | CanvasLike | PixelData | StrokesInput;

export interface ClassifyOptions {
  /** Overrides the classifier's polarity for this call (pixel inputs only). */
  polarity?: Polarity;
}

export interface Prediction {
  /** The most probable digit 0-9, or -1 when nothing was drawn. */
  digit: number;
  /** Its probability, in [0, 1]. */
  confidence: number;
  /** Ten probabilities, digits 0 to 9, summing to 1 (all 0 when nothing was drawn). */
  probabilities: number[];
  /** False when the model rejects the drawing as a digit ("not a digit") or nothing was drawn. */
  isDigit: boolean;
  /** True when nothing was drawn ("draw a digit"). */
  empty: boolean;
}

export interface ModelInfo {
  /** Layer sizes, inputs first: [784, 1600, 832, 11] for the shipped model. */
  architecture: number[];
  /** Hidden-layer activation, e.g. 'relu'. */
  activation: string;
  /** Softmax temperature from calibration (1 = uncalibrated). */
  temperature: number;
  /** Share of the model's test digits whose reported digit (the `digit` classify() returns) was right:
   *  metadata test_digit_accuracy, or for a 10-class model test_accuracy (the same figure there); null
   *  when the model does not record it (a 'not a digit' model from before test_digit_accuracy). The
   *  figure to show as the model's accuracy. */
  digitAccuracy: number | null;
  /** Test accuracy over all the outputs (metadata test_accuracy), or null: the most probable of all the
   *  outputs, so with a 'not a digit' class a test digit read as one counts as wrong and this is lower
   *  than digitAccuracy (the shipped model: 0.9831 against 0.9933; 115 of the 10,000 MNIST test digits
   *  read as 'not a digit'). Kept as before for compatibility; for a 10-class model it equals
   *  digitAccuracy. */
  accuracy: number | null;
  /** Number of weights and biases. */
  parameters: number;
  /** Name of each class: '0' to '9', and 'not a digit' for a model with that 11th class. */
  classNames: string[];
  /** The model's free-form metadata (dataset, epochs, reject_confidence, ...). */
  metadata: Record<string, string>;
}

export interface Classifier {
  /** Classifies one drawing. Throws an Error for a wrong size, channel count or after dispose();
   *  a TypeError for strokes that are not arrays of points, or a coordinate or penWidth that is not
   *  a (positive) finite number; an Error for more than 1,000 strokes or 200,000 points. */
  classify(input: ClassifierInput, options?: ClassifyOptions): Prediction;
  /** The 28x28 image the network sees: 784 floats in [0, 1], row-major, 1 = full ink. */
  preprocess(input: ClassifierInput, options?: ClassifyOptions): Float32Array;
  /** The model's architecture, calibration and metadata (a fresh object each call). */
  info(): ModelInfo;
  /** Diagnostics: the size of this classifier's wasm memory and the heap bytes allocated in it. */
  memoryUsage(): { wasmMemoryBytes: number; heapBytesInUse: number };
  /**
   * Learns that the drawing is `label` (the user's correction): fine-tunes this classifier's own
   * model on it, its distorted copies and the rehearsal sample, and resolves to the new reading.
   * Given strokes, the correction is done when the mixed reading (image and pen path) takes the
   * drawing as `label`; with a rehearsal sample that holds pen paths (`fcnet rehearsal` makes one
   * for a model with a pen-path network, as the shipped sample is), the pen-path network learns too.
   * The first call fetches the rehearsal sample. Rejects for an empty drawing, a label outside
   * 0-9 / 'not-a-digit' (which needs a model with that class) or a missing rehearsal sample.
   */
  learn(input: ClassifierInput, label: DigitLabel, options?: ClassifyOptions): Promise<Prediction>;
  /** How many corrections the current model has learned (kept in exported models). */
  corrections(): number;
  /** Forgets every correction: back to the model the classifier was created with. */
  reset(): void;
  /** The current model as .fcnet bytes (uncompressed, so it takes milliseconds), for
   *  createClassifier({ model }) or `fcnet evaluate`. */
  exportModel(): Uint8Array;
  /** Frees the classifier's wasm instance and memory; calling it again does nothing. */
  dispose(): void;
}

/** What a drawing really is: a digit 0-9, or 'not-a-digit'. */
export type DigitLabel = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 'not-a-digit';

export interface ClassifierOptions {
  /** The .fcnet model: a URL (relative to the page) or its bytes. Default: mnist.fcnet next to fcnet.js. */
  model?: string | URL | ArrayBuffer | ArrayBufferView;
  /** The rehearsal sample learn() fine-tunes with (made by `fcnet rehearsal`): a URL or its bytes.
   *  Default: fcnet-rehearsal.bin next to fcnet.js, fetched at the first learn(). */
  rehearsal?: string | URL | ArrayBuffer | ArrayBufferView;
  /** Default polarity for classify() and preprocess(). Default 'detect'. */
  polarity?: Polarity;
  /** Where fcnet.wasm is, its bytes or a compiled module. Default: fcnet.wasm next to fcnet.js. */
  wasm?: string | URL | ArrayBuffer | ArrayBufferView | WebAssembly.Module;
}

/**
 * Loads the model into a new, independent classifier (its own wasm instance and memory).
 * Rejects with an Error naming the URL and the problem for a missing (HTTP 404), truncated or
 * corrupt model, or one that is not a 784-input digit model (10 classes, or 11 whose last is "not a digit").
 */
export function createClassifier(options?: ClassifierOptions): Promise<Classifier>;

/** emscripten's module factory, for low-level use of the C API (src/embed/embed_api.h). */
export default function createFcnetModule(moduleArg?: object): Promise<unknown>;
