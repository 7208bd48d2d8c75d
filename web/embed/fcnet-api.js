// fcnet-api.js: the public API of the embeddable digit classifier (createClassifier), in JavaScript.
//
// Not a module of its own: the build appends it to emscripten's output (--extern-post-js), after
// `export default createFcnetModule`, so dist/fcnet.js is one ES module holding both. It calls the
// C API of src/embed/embed_api.h; its types are in fcnet.d.ts and its documentation in docs/embed.md.
//
// Sections:
//   1. loading bytes: http(s) with fetch, file: URLs (node) with fs
//   2. the wasm: compiled once per page, instantiated once per classifier
//   3. inputs: ImageData, canvases, { data, width, height, channels }; { strokes, penWidth }
//   4. Classifier and createClassifier (learn: fine-tuning on the user's corrections)

// ==== 1. loading bytes ======================================================================
const FCNET_DEFAULT_MODEL = 'mnist.fcnet';       // next to this file
const FCNET_DEFAULT_REHEARSAL = 'fcnet-rehearsal.bin';  // next to this file; fetched at the first learn()
const FCNET_NOT_A_DIGIT = 10;                    // FCNET_EMBED_NOT_A_DIGIT
const FCNET_POLARITIES = { 'detect': 0, 'dark-on-light': 1, 'light-on-dark': 2 };
const FCNET_RESULT_FLOATS = 14;                  // FCNET_EMBED_RESULT_FLOATS
const FCNET_PIXELS = 784;                        // FCNET_EMBED_PIXELS

// A string URL resolves against the page (browser) or the working directory (node).
function fcnetResolveUrl(url) {
  if (url instanceof URL) return url;
  const base = globalThis.document?.baseURI ?? globalThis.location?.href ??
               (globalThis.process?.cwd ? 'file://' + globalThis.process.cwd() + '/' : undefined);
  return new URL(String(url), base);
}

async function fcnetFetchBytes(url, what) {
  url = fcnetResolveUrl(url);
  if (url.protocol === 'file:' && globalThis.process?.versions?.node) {
    const fsModule = 'node:fs/promises';
    const { readFile } = await import(/* webpackIgnore: true */ /* @vite-ignore */ fsModule);
    try {
      return new Uint8Array(await readFile(url));
    } catch (error) {
      throw new Error(`fcnet: ${what} ${url.href}: ${error.code === 'ENOENT' ? 'file not found' : error.message}`);
    }
  }
  let response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new Error(`fcnet: ${what} ${url.href}: could not be fetched (${error.message})`);
  }
  if (!response.ok) {
    throw new Error(`fcnet: ${what} ${url.href}: HTTP ${response.status}${response.statusText ? ' ' + response.statusText : ''}` +
                    (response.status === 404 ? ' (not found)' : ''));
  }
  return new Uint8Array(await response.arrayBuffer());
}

// An ArrayBuffer, a typed array or DataView, or a URL / string to load from.
async function fcnetBytesOf(source, what) {
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (ArrayBuffer.isView(source)) return new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  if (typeof source === 'string' || source instanceof URL) return fcnetFetchBytes(source, what);
  throw new Error(`fcnet: ${what}: expected a URL, a string or an ArrayBuffer; got ${Object.prototype.toString.call(source)}`);
}

// ==== 2. the wasm ===========================================================================
let fcnetCompiledWasm = null;  // Promise<WebAssembly.Module> for the default fcnet.wasm

async function fcnetCompileBytes(source) {
  const bytes = await fcnetBytesOf(source, 'fcnet wasm');
  try {
    return await WebAssembly.compile(bytes);
  } catch (error) {
    const name = source instanceof URL || typeof source === 'string' ? ' ' + fcnetResolveUrl(source).href : '';
    throw new Error(`fcnet: fcnet wasm${name}: ${error.message}`);
  }
}

function fcnetCompile(wasm) {
  if (wasm instanceof WebAssembly.Module) return Promise.resolve(wasm);
  if (wasm !== undefined) return fcnetCompileBytes(wasm);
  if (!fcnetCompiledWasm) {
    fcnetCompiledWasm = fcnetCompileBytes(new URL('fcnet.wasm', import.meta.url));
    fcnetCompiledWasm.catch(() => { fcnetCompiledWasm = null; });  // a later call may retry
  }
  return fcnetCompiledWasm;
}

// A fresh instance (its own memory) of the compiled module, with emscripten's runtime around it.
function fcnetInstantiate(compiled) {
  let fail;
  const failed = new Promise((resolve, reject) => { fail = reject; });
  const ready = createFcnetModule({
    instantiateWasm(imports, receiveInstance) {
      WebAssembly.instantiate(compiled, imports).then((instance) => receiveInstance(instance, compiled), fail);
      return {};
    },
  });
  return Promise.race([ready, failed]);
}

// ==== 3. inputs =============================================================================
function fcnetCheckSize(name, value) {
  if (!Number.isInteger(value) || value <= 0 || value > 0x7fffffff) {
    throw new Error(`fcnet: ${name} must be a positive integer; got ${value}`);
  }
}

// -> { data: Uint8Array, width, height, channels }, nothing copied where avoidable.
function fcnetPixelsOf(input) {
  if (input === null || typeof input !== 'object') {
    throw new Error(`fcnet: expected ImageData, a canvas or { data, width, height, channels }; got ${input}`);
  }
  if (typeof input.getContext === 'function') {  // HTMLCanvasElement, OffscreenCanvas
    fcnetCheckSize('canvas width', input.width);
    fcnetCheckSize('canvas height', input.height);
    // The page's own context if it has one; else a new one kept in memory, fast to read back.
    const context = input.getContext('2d', { willReadFrequently: true });
    if (!context) throw new Error('fcnet: the canvas has no 2d context (it draws with WebGL?); pass ImageData instead');
    input = context.getImageData(0, 0, input.width, input.height);
  }
  const { data, width, height } = input;
  const channels = input.channels ?? 4;  // ImageData and ImageData-like objects are RGBA
  if (!(data instanceof Uint8Array || data instanceof Uint8ClampedArray)) {
    throw new Error(`fcnet: data must be a Uint8Array or Uint8ClampedArray; got ${Object.prototype.toString.call(data)}`);
  }
  fcnetCheckSize('width', width);
  fcnetCheckSize('height', height);
  if (channels !== 1 && channels !== 3 && channels !== 4) {
    throw new Error(`fcnet: channels must be 1 (gray), 3 (RGB) or 4 (RGBA); got ${channels}`);
  }
  const expected = width * height * channels;
  if (data.length !== expected) {
    throw new Error(`fcnet: data holds ${data.length} bytes; ${width}x${height} pixels with ${channels} ` +
                    `channels need ${expected}`);
  }
  return { data, width, height, channels };
}

function fcnetDescribe(value) {
  return Array.isArray(value) ? `an array of ${value.length}`
       : value && typeof value === 'object' ? Object.prototype.toString.call(value) : String(value);
}

// { strokes: [[{x, y} or [x, y], ...], ...], penWidth (default 1) } -> { xy: Float32Array, points:
// Int32Array (each stroke's count), penWidth }, as the C API takes them.
function fcnetStrokesOf({ strokes, penWidth = 1 }) {
  if (!Number.isFinite(penWidth) || penWidth <= 0) {
    throw new TypeError(`fcnet: penWidth must be a positive finite number (the pen's width); got ${fcnetDescribe(penWidth)}`);
  }
  if (!Array.isArray(strokes)) {
    throw new TypeError(`fcnet: strokes must be an array of strokes, each an array of points; got ${fcnetDescribe(strokes)}`);
  }
  const xy = [], points = new Int32Array(strokes.length);
  strokes.forEach((stroke, s) => {
    if (!Array.isArray(stroke)) {
      throw new TypeError(`fcnet: stroke ${s} must be an array of points ({x, y} or [x, y]); got ${fcnetDescribe(stroke)}`);
    }
    points[s] = stroke.length;
    stroke.forEach((point, i) => {
      const pair = Array.isArray(point) ? point.length === 2 && point : point && typeof point === 'object' && [point.x, point.y];
      if (!pair) throw new TypeError(`fcnet: stroke ${s}, point ${i} must be {x, y} or [x, y]; got ${fcnetDescribe(point)}`);
      pair.forEach((value, axis) => {
        if (!Number.isFinite(value)) {
          throw new TypeError(`fcnet: stroke ${s}, point ${i}: ${'xy'[axis]} must be a finite number; got ${fcnetDescribe(value)}`);
        }
        xy.push(value);
      });
    });
  });
  return { xy: new Float32Array(xy), points, penWidth };
}

function fcnetPolarityCode(polarity) {
  const code = FCNET_POLARITIES[polarity];
  if (code === undefined || !Object.hasOwn(FCNET_POLARITIES, polarity)) {
    throw new Error(`fcnet: polarity must be 'detect', 'dark-on-light' or 'light-on-dark'; got ${polarity}`);
  }
  return code;
}

// ==== 4. Classifier and createClassifier =====================================================
const fcnetUtf8 = new TextDecoder();

class FcnetClassifier {
  #wasm;          // emscripten's Module for this classifier's own instance; null after dispose()
  #handle;        // fcnet_classifier*
  #scratch;       // [handle slot: 4 bytes][result: 14 floats][pixels: 784 floats], allocated once
  #input = 0;     // the input buffer (pixels or strokes), grown when a larger input comes, never shrunk
  #inputCapacity = 0;
  #polarity;
  #rehearsal;     // where the rehearsal sample comes from (URL or bytes)
  #rehearsed = null;  // Promise that resolves once the C side holds the rehearsal sample
  #broken = null; // the message of a wasm trap: the instance cannot be trusted afterwards

  constructor(wasm, handle, scratch, polarity, rehearsal) {
    this.#wasm = wasm;
    this.#handle = handle;
    this.#scratch = scratch;
    this.#polarity = polarity;
    this.#rehearsal = rehearsal;
  }

  classify(input, options = {}) {
    return this.#call(input, options, '_fcnet_embed_classify', 4, fcnetReadResult);
  }

  // Fine-tunes this classifier's model on the drawing, labelled 0-9 or 'not-a-digit'; resolves to
  // the new reading. Fetches the rehearsal sample at the first call.
  async learn(input, label, options = {}) {
    const code = label === 'not-a-digit' ? FCNET_NOT_A_DIGIT : label;
    if (!Number.isInteger(code) || code < 0 || code > FCNET_NOT_A_DIGIT) {
      throw new Error(`fcnet: label must be an integer 0-9 or 'not-a-digit'; got ${label}`);
    }
    await this.#ensureRehearsal();
    return this.#call(input, options, '_fcnet_embed_learn', 4, fcnetReadResult, [code]);
  }

  corrections() {
    const wasm = this.#live();
    this.#check(wasm._fcnet_embed_corrections(this.#handle, this.#scratch));
    return wasm.HEAPU32[this.#scratch >>> 2];
  }

  reset() {
    this.#check(this.#live()._fcnet_embed_reset(this.#handle));
  }

  exportModel() {
    const wasm = this.#live();
    const at = this.#scratch + 4;  // [bytes pointer][size] in the result area
    this.#check(wasm._fcnet_embed_export(this.#handle, this.#scratch, at));
    const pointer = wasm.HEAPU32[this.#scratch >>> 2];
    return wasm.HEAPU8.slice(pointer, pointer + wasm.HEAPU32[at >>> 2]);
  }

  preprocess(input, options = {}) {
    const offset = 4 + 4 * FCNET_RESULT_FLOATS;
    return this.#call(input, options, '_fcnet_embed_preprocess', offset,
                      (heap, at) => heap.slice(at >>> 2, (at >>> 2) + FCNET_PIXELS));
  }

  // The C side's JSON (fcnet_embed_info): digitAccuracy is the reported digit's test accuracy,
  // the one to show; accuracy, over all the outputs, stays as it was for older callers.
  info() {
    const wasm = this.#live();
    this.#check(wasm._fcnet_embed_info(this.#handle, this.#scratch));
    return JSON.parse(fcnetReadString(wasm, wasm.HEAPU32[this.#scratch >>> 2]));
  }

  memoryUsage() {
    const wasm = this.#live();
    this.#check(wasm._fcnet_embed_heap_in_use(this.#scratch));
    return { wasmMemoryBytes: wasm.HEAPU8.length, heapBytesInUse: wasm.HEAPU32[this.#scratch >>> 2] };
  }

  dispose() {
    const wasm = this.#wasm;
    if (!wasm) return;
    this.#wasm = null;  // the instance and its memory go to the garbage collector
    if (this.#broken) return;
    wasm._fcnet_embed_dispose(this.#handle);
    wasm._free(this.#input);
    wasm._free(this.#scratch);
  }

  #live() {
    if (this.#broken) throw new Error(`fcnet: this classifier failed earlier (${this.#broken}); create a new one`);
    if (!this.#wasm) throw new Error('fcnet: this classifier was disposed; create a new one');
    return this.#wasm;
  }

  #check(error) {
    if (error) throw new Error('fcnet: ' + fcnetReadString(this.#wasm, error));
  }

  #ensureRehearsal() {
    if (!this.#rehearsed) {
      this.#rehearsed = (async () => {
        const source = this.#rehearsal;
        const bytes = await fcnetBytesOf(source, 'rehearsal sample');
        const wasm = this.#live();
        const name = source instanceof ArrayBuffer || ArrayBuffer.isView(source) ? 'rehearsal buffer'
                   : 'rehearsal sample ' + fcnetResolveUrl(source).href;
        const bytesPointer = fcnetWriteBytes(wasm, bytes);
        const namePointer = fcnetWriteBytes(wasm, new Uint8Array([...new TextEncoder().encode(name), 0]));
        const error = wasm._fcnet_embed_set_rehearsal(this.#handle, bytesPointer, bytes.length, namePointer);
        wasm._free(bytesPointer);
        wasm._free(namePointer);
        this.#check(error);
      })();
      this.#rehearsed.catch(() => { this.#rehearsed = null; });  // a later learn() may retry
    }
    return this.#rehearsed;
  }

  // Copies the input into the input buffer, runs `entry` (or `entry`_strokes), reads the output at scratch + offset.
  #call(input, options, entry, offset, read, extra = []) {
    const wasm = this.#live();
    const strokes = input && typeof input === 'object' && 'strokes' in input ? fcnetStrokesOf(input) : null;
    const pixels = strokes ? null : fcnetPixelsOf(input);
    const polarity = options.polarity === undefined ? this.#polarity : fcnetPolarityCode(options.polarity);
    try {
      const at = this.#scratch + offset;
      if (strokes) {
        const { xy, points, penWidth } = strokes;
        const buffer = this.#reserve(wasm, xy.byteLength + points.byteLength, `${points.length} strokes`);
        wasm.HEAPF32.set(xy, buffer >>> 2);  // heap views are re-read: memory may have grown
        wasm.HEAP32.set(points, (buffer + xy.byteLength) >>> 2);
        this.#check(wasm[entry + '_strokes'](this.#handle, buffer, xy.length, buffer + xy.byteLength, points.length,
                                             penWidth, ...extra, at));
      } else {
        const { data, width, height, channels } = pixels;
        const buffer = this.#reserve(wasm, data.length, `a ${width}x${height} image`);
        wasm.HEAPU8.set(data, buffer);
        this.#check(wasm[entry](this.#handle, buffer, data.length, width, height, channels, polarity, ...extra, at));
      }
      return read(wasm.HEAPF32, at);
    } catch (error) {
      if (error instanceof WebAssembly.RuntimeError) this.#broken = error.message;
      throw error;
    }
  }

  // The input buffer, grown to hold `bytes` at least.
  #reserve(wasm, bytes, what) {
    if (bytes > this.#inputCapacity) {
      const capacity = Math.max(bytes, Math.ceil(this.#inputCapacity * 1.5));
      const grown = wasm._malloc(capacity);
      if (!grown) throw new Error(`fcnet: out of memory for ${what}`);
      wasm._free(this.#input);
      this.#input = grown;
      this.#inputCapacity = capacity;
    }
    return this.#input;
  }
}

function fcnetReadResult(heap, at) {
  const result = heap.subarray(at >>> 2, (at >>> 2) + FCNET_RESULT_FLOATS);
  return {
    digit: result[0],
    confidence: result[1],
    probabilities: Array.from(result.subarray(4, 14)),
    isDigit: result[2] === 1,
    empty: result[3] === 1,
  };
}

function fcnetReadString(wasm, pointer) {
  const heap = wasm.HEAPU8;
  let end = pointer;
  while (heap[end] !== 0) ++end;
  return fcnetUtf8.decode(heap.subarray(pointer, end));
}

function fcnetWriteBytes(wasm, bytes) {
  const pointer = wasm._malloc(Math.max(bytes.length, 1));
  if (!pointer) throw new Error(`fcnet: out of memory for ${bytes.length} bytes`);
  wasm.HEAPU8.set(bytes, pointer);
  return pointer;
}

async function createClassifier(options = {}) {
  const polarity = fcnetPolarityCode(options.polarity ?? 'detect');
  const model = options.model ?? new URL(FCNET_DEFAULT_MODEL, import.meta.url);
  const source = model instanceof ArrayBuffer || ArrayBuffer.isView(model) ? 'model buffer'
               : 'model ' + fcnetResolveUrl(model).href;  // how messages name it
  const [compiled, modelBytes] = await Promise.all([fcnetCompile(options.wasm), fcnetBytesOf(model, 'model')]);
  const wasm = await fcnetInstantiate(compiled);

  const scratch = wasm._malloc(4 + 4 * FCNET_RESULT_FLOATS + 4 * FCNET_PIXELS);
  const bytesPointer = fcnetWriteBytes(wasm, modelBytes);
  const sourcePointer = fcnetWriteBytes(wasm, new Uint8Array([...new TextEncoder().encode(source), 0]));
  const error = wasm._fcnet_embed_create(bytesPointer, modelBytes.length, sourcePointer, scratch);
  wasm._free(bytesPointer);
  wasm._free(sourcePointer);
  if (error) throw new Error('fcnet: ' + fcnetReadString(wasm, error));  // the instance is dropped
  const rehearsal = options.rehearsal ?? new URL(FCNET_DEFAULT_REHEARSAL, import.meta.url);
  return new FcnetClassifier(wasm, wasm.HEAPU32[scratch >>> 2], scratch, polarity, rehearsal);
}

export { createClassifier };
