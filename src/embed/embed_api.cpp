// The embeddable module's C API: thin wrappers that check arguments, call the library and
// turn every exception into a returned message.
#include "embed/embed_api.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <locale>
#include <utility>
#include <new>
#include <sstream>
#include <string>
#include <vector>

#ifdef __EMSCRIPTEN__
#include <malloc.h>
#endif

#include "core/error.h"
#include "core/model.h"
#include "io/model_file.h"
#include "preprocess/digit_image.h"
#include "preprocess/digit_prediction.h"

struct fcnet_classifier {
    fcnet::DigitClassifier classifier;
    std::string info_json;  // built once, at creation
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
std::string json_string(const std::string& text) {
    std::string out = "\"";
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (byte < 0x20) {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\u%04x", byte);
            out += escaped;
        } else {
            out += c;  // UTF-8 passes through unchanged
        }
    }
    return out + "\"";
}

std::string json_number(double value) {
    if (!std::isfinite(value)) return "null";
    char text[32];
    std::snprintf(text, sizeof text, "%.9g", value);
    return text;
}

// The model's metadata "test_accuracy" as a number, or null when absent or not a number.
std::string accuracy_json(const fcnet::Model& model) {
    const auto entry = model.metadata.find("test_accuracy");
    if (entry == model.metadata.end()) return "null";
    std::istringstream text(entry->second);
    text.imbue(std::locale::classic());
    double accuracy = 0;
    text >> accuracy;
    return text && (text >> std::ws).eof() ? json_number(accuracy) : "null";
}

std::string info_json(const fcnet::Model& model) {
    const fcnet::Network& network = model.network;
    std::string json = "{\"architecture\":[";
    const std::vector<int> sizes = network.layer_sizes();
    for (std::size_t i = 0; i < sizes.size(); ++i) json += (i ? "," : "") + std::to_string(sizes[i]);
    json += "],\"activation\":" + json_string(fcnet::activation_name(network.hidden_activation()));
    json += ",\"temperature\":" + json_number(network.temperature);
    json += ",\"accuracy\":" + accuracy_json(model);
    json += ",\"parameters\":" + std::to_string(network.parameter_count());
    json += ",\"classNames\":[";
    for (int i = 0; i < network.classes(); ++i) json += (i ? "," : "") + json_string(model.class_name(i));
    json += "],\"metadata\":{";
    bool first = true;
    for (const auto& [key, value] : model.metadata) {
        json += (first ? "" : ",") + json_string(key) + ":" + json_string(value);
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
        } catch (const fcnet::Error& error) {
            throw fcnet::Error(name + ": " + error.what());
        }
        const std::string info = info_json(model);
        *classifier = new fcnet_classifier{fcnet::DigitClassifier(std::move(model)), info};
    });
}

const char* fcnet_embed_classify(fcnet_classifier* classifier, const std::uint8_t* data, std::size_t length,
                                 int width, int height, int channels, int polarity, float* result) {
    return guarded([&] {
        check_classifier(classifier);
        if (result == nullptr) throw fcnet::Error("no place for the result (null)");
        const fcnet::PixelBuffer input = pixel_buffer(data, length, width, height, channels);
        const fcnet::DigitPrediction prediction = classifier->classifier.classify(input, options_for(polarity));
        result[FCNET_EMBED_DIGIT] = static_cast<float>(prediction.digit);
        result[FCNET_EMBED_CONFIDENCE] = prediction.confidence;
        result[FCNET_EMBED_IS_DIGIT] = prediction.is_digit ? 1.0f : 0.0f;
        result[FCNET_EMBED_EMPTY] = prediction.empty ? 1.0f : 0.0f;
        for (int i = 0; i < fcnet::kDigitClasses; ++i) {
            result[FCNET_EMBED_PROBABILITIES + i] = prediction.probabilities[i];
        }
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

void fcnet_embed_dispose(fcnet_classifier* classifier) { delete classifier; }

}  // extern "C"
