// The C API of the embeddable WebAssembly module: what web/embed/fcnet-api.js calls through wasm.
//
// Conventions, the same for every function:
//   - the return value is nullptr on success, else an error message (valid until the next call
//     into this API); nothing throws and nothing aborts, whatever the arguments;
//   - results go to caller-provided memory (out-parameters), so JavaScript allocates them once;
//   - a classifier handle is used from one thread at a time.
#pragma once

#include <cstddef>
#include <cstdint>

extern "C" {

struct fcnet_classifier;  // a loaded digit model and its scratch space; opaque to callers

// Layout of the float array fcnet_embed_classify fills.
enum {
    FCNET_EMBED_DIGIT = 0,           // the most probable digit, or -1 when nothing was drawn
    FCNET_EMBED_CONFIDENCE = 1,      // its probability
    FCNET_EMBED_IS_DIGIT = 2,        // 1 if the model accepts the drawing as a digit, else 0
    FCNET_EMBED_EMPTY = 3,           // 1 if nothing was drawn, else 0
    FCNET_EMBED_PROBABILITIES = 4,   // ten probabilities, digits 0 to 9 (all 0 when empty)
    FCNET_EMBED_RESULT_FLOATS = 14,  // size of the array
    FCNET_EMBED_PIXELS = 784         // floats fcnet_embed_preprocess writes (28 x 28, row-major)
};

// Which side of the gray scale the ink is on, as fcnet::Polarity.
enum { FCNET_EMBED_DETECT = 0, FCNET_EMBED_DARK_ON_LIGHT = 1, FCNET_EMBED_LIGHT_ON_DARK = 2 };

// Reads a .fcnet model from `size` bytes (the caller keeps them) and checks it is a digit model
// (784 inputs, 10 classes). `source` names the bytes in messages (a URL, "buffer"); may be null.
// On success *classifier is a new handle for fcnet_embed_dispose; on failure it is null.
const char* fcnet_embed_create(const std::uint8_t* bytes, std::size_t size, const char* source,
                               fcnet_classifier** classifier);

// Classifies a drawing: `data` holds `length` bytes, rows top to bottom, `channels` (1 gray,
// 3 RGB, 4 RGBA) bytes per pixel, no padding. Checks length == width * height * channels.
// Fills result[FCNET_EMBED_RESULT_FLOATS] as laid out above.
const char* fcnet_embed_classify(fcnet_classifier* classifier, const std::uint8_t* data, std::size_t length,
                                 int width, int height, int channels, int polarity, float* result);

// The same input checks; fills pixels[FCNET_EMBED_PIXELS] with the 28x28 image the network
// reads ([0, 1], 1 = full ink; all zero when nothing was drawn).
const char* fcnet_embed_preprocess(fcnet_classifier* classifier, const std::uint8_t* data, std::size_t length,
                                   int width, int height, int channels, int polarity, float* pixels);

// ---- drawings given as strokes (preprocess/stroke_reading.h), as the app reads them -----------
// A drawing is `strokes` strokes in writing order; stroke i has stroke_points[i] points (0 or
// more); `xy` holds every point's x, y one after another, stroke after stroke (any units, y down:
// canvas pixels), xy_floats = 2 x all the points. `pen_width`, in the same units, is the width the
// person drew with: a drawing no longer than that (a dot, a blob) is redrawn as long as the pen
// was wide. Checked before anything is read: counts not negative, at most kMaxDrawingStrokes
// strokes and kMaxDrawingPoints points (stroke_drawing.h), xy_floats matching the counts; then,
// by read_strokes, every coordinate finite and the pen width positive and finite. No strokes, or
// no points, read as empty.

// Classifies the drawing: its image redrawn at MNIST's stroke width and, with the model's pen-path
// network, its pen's path mixed in. Fills result[FCNET_EMBED_RESULT_FLOATS] as laid out above.
const char* fcnet_embed_classify_strokes(fcnet_classifier* classifier, const float* xy, std::size_t xy_floats,
                                         const int* stroke_points, int strokes, float pen_width, float* result);

// The same checks; fills pixels[FCNET_EMBED_PIXELS] with the 28x28 image the image network reads.
const char* fcnet_embed_preprocess_strokes(fcnet_classifier* classifier, const float* xy, std::size_t xy_floats,
                                           const int* stroke_points, int strokes, float pen_width, float* pixels);

// *json = {"architecture":[784,...,10],"activation":"relu","temperature":t,"accuracy":a or null,
// "digitAccuracy":d or null,"parameters":n,"classNames":[...],"metadata":{"key":"value",...}};
// owned by the classifier. a and d as preprocess/recorded_accuracy.h tells them apart: over all
// the outputs (metadata test_accuracy) and of the reported digit.
const char* fcnet_embed_info(fcnet_classifier* classifier, const char** json);

// *bytes = the heap bytes allocated now (by every classifier of this wasm instance); for leak
// checks. Under emscripten from the allocator's mallinfo(); natively 0.
const char* fcnet_embed_heap_in_use(std::size_t* bytes);

// ---- learning the user's handwriting (core/finetune.h) -----------------------------------
// The label fcnet_embed_learn takes for "not a digit" (models with that 11th class only).
enum { FCNET_EMBED_NOT_A_DIGIT = 10 };

// Gives the classifier the rehearsal sample it fine-tunes with (a rehearsal file of `size` bytes,
// io/rehearsal_file.h; the caller keeps them). `source` names them in messages; may be null.
const char* fcnet_embed_set_rehearsal(fcnet_classifier* classifier, const std::uint8_t* bytes, std::size_t size,
                                      const char* source);

// Learns that the drawing (the input as for fcnet_embed_classify) is `label`: 0 to 9, or
// FCNET_EMBED_NOT_A_DIGIT; the classifier answers with the fine-tuned model from now on.
// Fills result[FCNET_EMBED_RESULT_FLOATS] with the new reading. Fails, changing nothing, when no
// rehearsal sample was set, nothing was drawn or the label is not one of the model's.
const char* fcnet_embed_learn(fcnet_classifier* classifier, const std::uint8_t* data, std::size_t length, int width,
                              int height, int channels, int polarity, int label, float* result);

// fcnet_embed_learn for a drawing given as strokes (as fcnet_embed_classify_strokes takes them):
// the correction is done when the two networks' mixed reading takes the drawing as `label`. Only
// the image network learns; the pen-path network keeps its weights.
const char* fcnet_embed_learn_strokes(fcnet_classifier* classifier, const float* xy, std::size_t xy_floats,
                                      const int* stroke_points, int strokes, float pen_width, int label, float* result);

// *count = the corrections the current model has learned (its metadata "corrections").
const char* fcnet_embed_corrections(fcnet_classifier* classifier, int* count);

// Returns to the model the classifier was created with (forgets every correction).
const char* fcnet_embed_reset(fcnet_classifier* classifier);

// *bytes, *size = the current model as a .fcnet file, uncompressed (ModelCompression::none: fast);
// owned by the classifier until its next call.
const char* fcnet_embed_export(fcnet_classifier* classifier, const std::uint8_t** bytes, std::size_t* size);

// Frees the classifier; null is allowed and does nothing.
void fcnet_embed_dispose(fcnet_classifier* classifier);

}  // extern "C"
