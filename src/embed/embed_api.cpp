// The embeddable module's C API: thin wrappers that check arguments, call the library and
// turn every exception into a returned message.
#include "embed/embed_api.h"

#include <algorithm>
#include <cmath>
#include <cstdarg>
#include <cstdio>
#include <exception>
#include <new>
#include <optional>
#include <utility>
#include <string>
#include <vector>

#ifdef __EMSCRIPTEN__
#include <malloc.h>
#endif

#include "core/error.h"
#include "core/finetune.h"
#include "core/model.h"
#include "io/json_text.h"
#include "io/model_file.h"
#include "io/rehearsal_file.h"
#include "preprocess/digit_image.h"
#include "preprocess/digit_prediction.h"
#include "preprocess/recorded_accuracy.h"
#include "preprocess/stroke_drawing.h"  // kMaxDrawingStrokes, kMaxDrawingPoints
#include "preprocess/stroke_reading.h"

struct fcnet_classifier {
    fcnet::DigitClassifier classifier;    // reads with the current model
    std::string info_json;                // of the current model
    fcnet::Model original;                // the model it was created with, for fcnet_embed_reset
    std::optional<fcnet::Finetuner> finetuner;  // once fcnet_embed_set_rehearsal gave it a sample
    std::vector<std::uint8_t> exported;   // the last fcnet_embed_export's bytes
};

namespace {

std::string last_error;  // the message the last failing call returned

// Runs `action`; returns nullptr, or the message of what it threw (kept in last_error).
template <typename Action>
const char* guarded(Action&& action) {
    try {
        action();
        return nullptr;
    } catch (const std::bad_alloc&) {
        last_error = "out of memory";
    } catch (const std::exception& error) {
        last_error = error.what();
    } catch (...) {
        last_error = "unknown error";
    }
    if (last_error.empty()) last_error = "unknown error";
    return last_error.c_str();
}

// Throws an fcnet::Error with a printf-formatted message: one call's worth of code where a chain
// of string concatenations takes many (the module's size budget, docs/embed.md).
[[noreturn]] __attribute__((format(printf, 1, 2))) void fail(const char* format, ...) {
    char message[200];
    std::va_list arguments;
    va_start(arguments, format);
    std::vsnprintf(message, sizeof message, format, arguments);
    va_end(arguments);
    throw fcnet::Error(message);
}

void check_classifier(const fcnet_classifier* classifier) {
    if (classifier == nullptr) fail("no classifier (null handle)");
}

// The checks every pixel entry point makes before touching `data`, so a wrong size is an
// Error naming the numbers rather than a read past the end of the buffer.
fcnet::PixelBuffer pixel_buffer(const std::uint8_t* data, std::size_t length, int width, int height,
                                int channels) {
    if (width <= 0 || height <= 0) fail("image size %dx%d: width and height must be positive", width, height);
    if (channels != 1 && channels != 3 && channels != 4) {
        fail("image has %d channels; expected 1 (gray), 3 (RGB) or 4 (RGBA)", channels);
    }
    const std::uint64_t expected = std::uint64_t(width) * std::uint64_t(height) * std::uint64_t(channels);
    if (expected != length) {
        fail("image data holds %zu bytes; %dx%d pixels with %d channels need %llu", length, width, height, channels,
             static_cast<unsigned long long>(expected));
    }
    if (data == nullptr) fail("image data is null");
    return fcnet::PixelBuffer{data, width, height, channels};
}

// The checks every stroke entry point makes (embed_api.h) before touching `xy` or `stroke_points`,
// so a wrong count is an Error naming the numbers rather than a read past the end of a buffer;
// then the drawing read by read_strokes, which checks the coordinates and the pen width.
fcnet::StrokeReading read_drawing(const float* xy, std::size_t xy_floats, const int* stroke_points, int strokes,
                                  float pen_width) {
    if (strokes < 0) fail("stroke count %d; expected 0 or more", strokes);
    if (strokes > fcnet::kMaxDrawingStrokes) {
        fail("%d strokes, more than the %d a drawing may have", strokes, fcnet::kMaxDrawingStrokes);
    }
    if (strokes > 0 && stroke_points == nullptr) fail("the strokes' point counts are null");
    std::size_t points = 0;
    for (int s = 0; s < strokes; ++s) {
        if (stroke_points[s] < 0) fail("stroke %d has %d points; expected 0 or more", s, stroke_points[s]);
        points += static_cast<std::size_t>(stroke_points[s]);
        if (points > fcnet::kMaxDrawingPoints) fail("more than the %d points a drawing may have", fcnet::kMaxDrawingPoints);
    }
    if (xy_floats != 2 * points) {
        fail("the coordinates hold %zu floats; %d strokes of %zu points in all need %zu", xy_floats, strokes, points,
             2 * points);
    }
    if (points > 0 && xy == nullptr) fail("the coordinates are null");
    std::vector<fcnet::Polyline> lines(static_cast<std::size_t>(strokes));
    for (int s = 0; s < strokes; ++s) {
        for (int i = 0; i < stroke_points[s]; ++i, xy += 2) lines[std::size_t(s)].push_back({xy[0], xy[1]});
    }
    return fcnet::read_strokes(lines, pen_width);
}

fcnet::PreprocessOptions options_for(int polarity) {
    fcnet::PreprocessOptions options;
    switch (polarity) {
    case FCNET_EMBED_DETECT: options.polarity = fcnet::Polarity::detect; break;
    case FCNET_EMBED_DARK_ON_LIGHT: options.polarity = fcnet::Polarity::dark_on_light; break;
    case FCNET_EMBED_LIGHT_ON_DARK: options.polarity = fcnet::Polarity::light_on_dark; break;
    default:
        fail("polarity %d; expected 0 (detect), 1 (dark on light) or 2 (light on dark)", polarity);
    }
    return options;
}

// ---- JSON for fcnet_embed_info ------------------------------------------------------------
std::string json_number(double value) {
    if (!std::isfinite(value)) return "null";
    char text[32];
    std::snprintf(text, sizeof text, "%.9g", value);
    return text;
}

// A recorded figure as a number, or null when the model records none.
std::string json_number_or_null(const std::optional<double>& value) { return value ? json_number(*value) : "null"; }

std::string info_json(const fcnet::Model& model) {
    const fcnet::Network& network = model.network;
    std::string json = "{\"architecture\":[";
    const std::vector<int> sizes = network.layer_sizes();
    for (std::size_t i = 0; i < sizes.size(); ++i) json += (i ? "," : "") + std::to_string(sizes[i]);
    json += "],\"activation\":" + fcnet::json_string(fcnet::activation_name(network.hidden_activation()));
    json += ",\"temperature\":" + json_number(network.temperature);
    const fcnet::RecordedAccuracy accuracy = fcnet::recorded_accuracy(model);
    json += ",\"accuracy\":" + json_number_or_null(accuracy.all_outputs);
    json += ",\"digitAccuracy\":" + json_number_or_null(accuracy.digits);
    json += ",\"parameters\":" + std::to_string(network.parameter_count());
    json += ",\"classNames\":[";
    for (int i = 0; i < network.classes(); ++i) json += (i ? "," : "") + fcnet::json_string(model.class_name(i));
    json += "],\"metadata\":{";
    bool first = true;
    for (const auto& [key, value] : model.metadata) {
        json += (first ? "" : ",") + fcnet::json_string(key) + ":" + fcnet::json_string(value);
        first = false;
    }
    return json + "}}";
}

}  // namespace

extern "C" {

const char* fcnet_embed_create(const std::uint8_t* bytes, std::size_t size, const char* source,
                               fcnet_classifier** classifier) {
    if (classifier != nullptr) *classifier = nullptr;
    return guarded([&] {
        if (classifier == nullptr) fail("no place for the classifier handle (null)");
        const std::string name = source != nullptr && *source != '\0' ? source : "buffer";
        if (bytes == nullptr && size != 0) throw fcnet::Error(name + ": model bytes are null");
        static const std::uint8_t no_bytes = 0;
        fcnet::Model model = fcnet::deserialize_model(bytes != nullptr ? bytes : &no_bytes, size, name);
        try {
            fcnet::check_digit_model(model);
            const float uniform[fcnet::kDigitClasses] = {0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f};
            fcnet::accepts_as_digit(model, uniform, fcnet::kDigitClasses);  // a bad threshold fails now
            fcnet::corrections(model);  // and so does a bad correction count
        } catch (const fcnet::Error& error) {
            throw fcnet::Error(name + ": " + error.what());
        }
        const std::string info = info_json(model);
        *classifier = new fcnet_classifier{fcnet::DigitClassifier(model), info, std::move(model), {}, {}};
        (*classifier)->classifier.prepare();  // a module's caller awaits creation: its first classify is as fast as any
    });
}

}  // extern "C"

namespace {

// Fills result[FCNET_EMBED_RESULT_FLOATS] from a prediction.
void write_result(const fcnet::DigitPrediction& prediction, float* result) {
    result[FCNET_EMBED_DIGIT] = static_cast<float>(prediction.digit);
    result[FCNET_EMBED_CONFIDENCE] = prediction.confidence;
    result[FCNET_EMBED_IS_DIGIT] = prediction.is_digit ? 1.0f : 0.0f;
    result[FCNET_EMBED_EMPTY] = prediction.empty ? 1.0f : 0.0f;
    for (int i = 0; i < fcnet::kDigitClasses; ++i) result[FCNET_EMBED_PROBABILITIES + i] = prediction.probabilities[i];
}

// Makes `model` the one the classifier reads with.
void use_model(fcnet_classifier& classifier, fcnet::Model model) {
    classifier.info_json = info_json(model);
    classifier.classifier = fcnet::DigitClassifier(std::move(model));
    classifier.classifier.prepare();
}

// The checks both learn entry points make before reading their input.
void check_learner(const fcnet_classifier* classifier, const float* result) {
    check_classifier(classifier);
    if (result == nullptr) fail("no place for the result (null)");
    if (!classifier->finetuner) fail("no rehearsal sample to learn with (fcnet_embed_set_rehearsal)");
}

// Learns that the drawing read as `image` (and, given, its pen's `path`: then the correction is
// done when the mixed reading takes it as `label`) is `label`; fills `result` with the new reading.
void learn(fcnet_classifier& classifier, const fcnet::DigitImage& image, const fcnet::Trajectory* path, int label,
           float* result) {
    if (image.empty) fail("nothing was drawn: there is nothing to learn");
    fcnet::Model model = classifier.classifier.model();
    if (label == FCNET_EMBED_NOT_A_DIGIT && !fcnet::has_rejection_class(model)) {
        fail("this model has no \"not a digit\" class to learn");
    }
    if (label < 0 || label > FCNET_EMBED_NOT_A_DIGIT) {
        fail("label %d; expected 0 to 9, or 10 for not a digit", label);
    }
    const auto seed = static_cast<std::uint64_t>(fcnet::corrections(model)) + 1;
    classifier.finetuner->learn(model, image.pixels.data(), label, seed, path != nullptr ? path->data() : nullptr);
    use_model(classifier, std::move(model));
    write_result(path != nullptr ? classifier.classifier.classify(image, *path) : classifier.classifier.classify(image),
                 result);
}

}  // namespace

extern "C" {

const char* fcnet_embed_classify(fcnet_classifier* classifier, const std::uint8_t* data, std::size_t length,
                                 int width, int height, int channels, int polarity, float* result) {
    return guarded([&] {
        check_classifier(classifier);
        if (result == nullptr) fail("no place for the result (null)");
        const fcnet::PixelBuffer input = pixel_buffer(data, length, width, height, channels);
        write_result(classifier->classifier.classify(input, options_for(polarity)), result);
    });
}

const char* fcnet_embed_preprocess(fcnet_classifier* classifier, const std::uint8_t* data, std::size_t length,
                                   int width, int height, int channels, int polarity, float* pixels) {
    return guarded([&] {
        check_classifier(classifier);
        if (pixels == nullptr) fail("no place for the pixels (null)");
        const fcnet::PixelBuffer input = pixel_buffer(data, length, width, height, channels);
        const fcnet::DigitImage image = fcnet::preprocess_drawing(input, options_for(polarity));
        std::copy(image.pixels.begin(), image.pixels.end(), pixels);
    });
}

const char* fcnet_embed_classify_strokes(fcnet_classifier* classifier, const float* xy, std::size_t xy_floats,
                                         const int* stroke_points, int strokes, float pen_width, float* result) {
    return guarded([&] {
        check_classifier(classifier);
        if (result == nullptr) fail("no place for the result (null)");
        const fcnet::StrokeReading reading = read_drawing(xy, xy_floats, stroke_points, strokes, pen_width);
        write_result(classifier->classifier.classify(reading.image, reading.path), result);
    });
}

const char* fcnet_embed_preprocess_strokes(fcnet_classifier* classifier, const float* xy, std::size_t xy_floats,
                                           const int* stroke_points, int strokes, float pen_width, float* pixels) {
    return guarded([&] {
        check_classifier(classifier);
        if (pixels == nullptr) fail("no place for the pixels (null)");
        const fcnet::StrokeReading reading = read_drawing(xy, xy_floats, stroke_points, strokes, pen_width);
        std::copy(reading.image.pixels.begin(), reading.image.pixels.end(), pixels);
    });
}

const char* fcnet_embed_info(fcnet_classifier* classifier, const char** json) {
    return guarded([&] {
        check_classifier(classifier);
        if (json == nullptr) fail("no place for the info (null)");
        *json = classifier->info_json.c_str();
    });
}

const char* fcnet_embed_heap_in_use(std::size_t* bytes) {
    return guarded([&] {
        if (bytes == nullptr) fail("no place for the byte count (null)");
#ifdef __EMSCRIPTEN__
        *bytes = static_cast<std::size_t>(mallinfo().uordblks);
#else
        *bytes = 0;
#endif
    });
}

const char* fcnet_embed_set_rehearsal(fcnet_classifier* classifier, const std::uint8_t* bytes, std::size_t size,
                                      const char* source) {
    return guarded([&] {
        check_classifier(classifier);
        const std::string name = source != nullptr && *source != '\0' ? source : "rehearsal buffer";
        if (bytes == nullptr) throw fcnet::Error(name + ": rehearsal bytes are null");
        fcnet::RehearsalSample sample = fcnet::deserialize_rehearsal(bytes, size, name);
        const int classes = classifier->original.network.classes();
        if (sample.images.classes > classes) {
            throw fcnet::Error(name + ": a sample of " + std::to_string(sample.images.classes) +
                               " classes for a model of " + std::to_string(classes));
        }
        // With pen paths (a file made for a model with a pen-path network), that network learns
        // from a correction's strokes too, as in the app.
        classifier->finetuner.emplace(std::move(sample));
    });
}

const char* fcnet_embed_learn(fcnet_classifier* classifier, const std::uint8_t* data, std::size_t length, int width,
                              int height, int channels, int polarity, int label, float* result) {
    return guarded([&] {
        check_learner(classifier, result);
        const fcnet::PixelBuffer input = pixel_buffer(data, length, width, height, channels);
        learn(*classifier, fcnet::preprocess_drawing(input, options_for(polarity)), nullptr, label, result);
    });
}

const char* fcnet_embed_learn_strokes(fcnet_classifier* classifier, const float* xy, std::size_t xy_floats,
                                      const int* stroke_points, int strokes, float pen_width, int label, float* result) {
    return guarded([&] {
        check_learner(classifier, result);
        const fcnet::StrokeReading reading = read_drawing(xy, xy_floats, stroke_points, strokes, pen_width);
        learn(*classifier, reading.image, &reading.path, label, result);
    });
}

const char* fcnet_embed_corrections(fcnet_classifier* classifier, int* count) {
    return guarded([&] {
        check_classifier(classifier);
        if (count == nullptr) fail("no place for the count (null)");
        *count = fcnet::corrections(classifier->classifier.model());
    });
}

const char* fcnet_embed_reset(fcnet_classifier* classifier) {
    return guarded([&] {
        check_classifier(classifier);
        use_model(*classifier, classifier->original);
    });
}

const char* fcnet_embed_export(fcnet_classifier* classifier, const std::uint8_t** bytes, std::size_t* size) {
    return guarded([&] {
        check_classifier(classifier);
        if (bytes == nullptr || size == nullptr) fail("no place for the bytes (null)");
        classifier->exported = fcnet::serialize_model(classifier->classifier.model(), fcnet::ModelCompression::none);
        *bytes = classifier->exported.data();
        *size = classifier->exported.size();
    });
}

void fcnet_embed_dispose(fcnet_classifier* classifier) { delete classifier; }

}  // extern "C"
