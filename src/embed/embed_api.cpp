// The embeddable module's C API: thin wrappers that check arguments, call the library and
// turn every exception into a returned message.
#include "embed/embed_api.h"

#include <algorithm>
#include <cmath>
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

void check_classifier(const fcnet_classifier* classifier) {
    if (classifier == nullptr) throw fcnet::Error("no classifier (null handle)");
}

// The checks every pixel entry point makes before touching `data`, so a wrong size is an
// Error naming the numbers rather than a read past the end of the buffer.
fcnet::PixelBuffer pixel_buffer(const std::uint8_t* data, std::size_t length, int width, int height,
                                int channels) {
    if (width <= 0 || height <= 0) {
        throw fcnet::Error("image size " + std::to_string(width) + "x" + std::to_string(height) +
                           ": width and height must be positive");
    }
    if (channels != 1 && channels != 3 && channels != 4) {
        throw fcnet::Error("image has " + std::to_string(channels) +
                           " channels; expected 1 (gray), 3 (RGB) or 4 (RGBA)");
    }
    const std::uint64_t expected = std::uint64_t(width) * std::uint64_t(height) * std::uint64_t(channels);
    if (expected != length) {
        throw fcnet::Error("image data holds " + std::to_string(length) + " bytes; " + std::to_string(width) +
                           "x" + std::to_string(height) + " pixels with " + std::to_string(channels) +
                           " channels need " + std::to_string(expected));
    }
    if (data == nullptr) throw fcnet::Error("image data is null");
    return fcnet::PixelBuffer{data, width, height, channels};
}

fcnet::PreprocessOptions options_for(int polarity) {
    fcnet::PreprocessOptions options;
    switch (polarity) {
    case FCNET_EMBED_DETECT: options.polarity = fcnet::Polarity::detect; break;
    case FCNET_EMBED_DARK_ON_LIGHT: options.polarity = fcnet::Polarity::dark_on_light; break;
    case FCNET_EMBED_LIGHT_ON_DARK: options.polarity = fcnet::Polarity::light_on_dark; break;
    default:
        throw fcnet::Error("polarity " + std::to_string(polarity) +
                           "; expected 0 (detect), 1 (dark on light) or 2 (light on dark)");
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
        if (classifier == nullptr) throw fcnet::Error("no place for the classifier handle (null)");
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

}  // namespace

extern "C" {

const char* fcnet_embed_classify(fcnet_classifier* classifier, const std::uint8_t* data, std::size_t length,
                                 int width, int height, int channels, int polarity, float* result) {
    return guarded([&] {
        check_classifier(classifier);
        if (result == nullptr) throw fcnet::Error("no place for the result (null)");
        const fcnet::PixelBuffer input = pixel_buffer(data, length, width, height, channels);
        write_result(classifier->classifier.classify(input, options_for(polarity)), result);
    });
}

const char* fcnet_embed_preprocess(fcnet_classifier* classifier, const std::uint8_t* data, std::size_t length,
                                   int width, int height, int channels, int polarity, float* pixels) {
    return guarded([&] {
        check_classifier(classifier);
        if (pixels == nullptr) throw fcnet::Error("no place for the pixels (null)");
        const fcnet::PixelBuffer input = pixel_buffer(data, length, width, height, channels);
        const fcnet::DigitImage image = fcnet::preprocess_drawing(input, options_for(polarity));
        std::copy(image.pixels.begin(), image.pixels.end(), pixels);
    });
}

const char* fcnet_embed_info(fcnet_classifier* classifier, const char** json) {
    return guarded([&] {
        check_classifier(classifier);
        if (json == nullptr) throw fcnet::Error("no place for the info (null)");
        *json = classifier->info_json.c_str();
    });
}

const char* fcnet_embed_heap_in_use(std::size_t* bytes) {
    return guarded([&] {
        if (bytes == nullptr) throw fcnet::Error("no place for the byte count (null)");
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
        fcnet::Dataset sample = fcnet::deserialize_rehearsal(bytes, size, name);
        const int classes = classifier->original.network.classes();
        if (sample.classes > classes) {
            throw fcnet::Error(name + ": a sample of " + std::to_string(sample.classes) + " classes for a model of " +
                               std::to_string(classes));
        }
        classifier->finetuner.emplace(std::move(sample));
    });
}

const char* fcnet_embed_learn(fcnet_classifier* classifier, const std::uint8_t* data, std::size_t length, int width,
                              int height, int channels, int polarity, int label, float* result) {
    return guarded([&] {
        check_classifier(classifier);
        if (result == nullptr) throw fcnet::Error("no place for the result (null)");
        if (!classifier->finetuner) throw fcnet::Error("no rehearsal sample to learn with (fcnet_embed_set_rehearsal)");
        const fcnet::PixelBuffer input = pixel_buffer(data, length, width, height, channels);
        const fcnet::DigitImage image = fcnet::preprocess_drawing(input, options_for(polarity));
        if (image.empty) throw fcnet::Error("nothing was drawn: there is nothing to learn");
        fcnet::Model model = classifier->classifier.model();
        if (label == FCNET_EMBED_NOT_A_DIGIT && !fcnet::has_rejection_class(model)) {
            throw fcnet::Error("this model has no \"not a digit\" class to learn");
        }
        if (label < 0 || label > FCNET_EMBED_NOT_A_DIGIT) {
            throw fcnet::Error("label " + std::to_string(label) + "; expected 0 to 9, or 10 for not a digit");
        }
        const auto seed = static_cast<std::uint64_t>(fcnet::corrections(model)) + 1;
        classifier->finetuner->learn(model, image.pixels.data(), label, seed);
        use_model(*classifier, std::move(model));
        write_result(classifier->classifier.classify(image), result);
    });
}

const char* fcnet_embed_corrections(fcnet_classifier* classifier, int* count) {
    return guarded([&] {
        check_classifier(classifier);
        if (count == nullptr) throw fcnet::Error("no place for the count (null)");
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
        if (bytes == nullptr || size == nullptr) throw fcnet::Error("no place for the bytes (null)");
        classifier->exported = fcnet::serialize_model(classifier->classifier.model(), fcnet::ModelCompression::none);
        *bytes = classifier->exported.data();
        *size = classifier->exported.size();
    });
}

void fcnet_embed_dispose(fcnet_classifier* classifier) { delete classifier; }

}  // extern "C"
