// Classifying a preprocessed drawing with a digit model, and the digit-or-not rule.
#include "preprocess/digit_prediction.h"

#include <algorithm>
#include <cmath>
#include <locale>
#include <sstream>
#include <string>

#include "core/error.h"
#include "core/tensor.h"

namespace fcnet {

bool has_rejection_class(const Model& model) {
    return model.network.classes() == kDigitClasses + 1 && model.class_name(kDigitClasses) == kNotADigitClass;
}

void check_digit_model(const Model& model) {
    const int classes = model.network.classes();
    if (model.network.inputs() != kDigitPixels || (classes != kDigitClasses && !has_rejection_class(model))) {
        std::string found = "the model takes " + std::to_string(model.network.inputs()) + " inputs and gives " +
                            std::to_string(classes) + " classes";
        if (classes == kDigitClasses + 1) found += ", the last named \"" + model.class_name(kDigitClasses) + "\"";
        throw Error(found + "; a digit model takes " + std::to_string(kDigitPixels) + " (28x28 pixels) and gives " +
                    std::to_string(kDigitClasses) + " classes, or " + std::to_string(kDigitClasses + 1) +
                    " whose last is named \"" + kNotADigitClass + "\"");
    }
}

float digit_score(const Model& model, const float* probabilities, int classes) {
    if (classes != kDigitClasses && classes != model.network.classes()) {
        throw Error("digit_score: " + std::to_string(classes) + " probabilities for a model with " +
                    std::to_string(model.network.classes()) + " classes; expected " +
                    std::to_string(kDigitClasses) + " or " + std::to_string(model.network.classes()));
    }
    return *std::max_element(probabilities, probabilities + kDigitClasses);
}

bool accepts_as_digit(const Model& model, const float* probabilities, int classes) {
    const auto entry = model.metadata.find("reject_confidence");
    if (entry == model.metadata.end()) return true;
    std::istringstream text(entry->second);
    text.imbue(std::locale::classic());
    float threshold = 0;
    text >> threshold;
    if (!text || !(text >> std::ws).eof() || !(threshold >= 0.0f && threshold <= 1.0f)) {
        throw Error("the model's metadata reject_confidence is \"" + entry->second +
                    "\"; expected a number in [0, 1]");
    }
    return digit_score(model, probabilities, classes) >= threshold;
}

DigitPrediction classify_digit_image(const Model& model, const DigitImage& image) {
    check_digit_model(model);
    DigitPrediction prediction;
    if (image.empty) return prediction;
    const Eigen::Map<const Matrix> features(image.pixels.data(), 1, kDigitPixels);
    const Matrix probabilities = model.network.predict(features);  // 1 x classes (10, or 11 with "not a digit")
    std::copy(probabilities.data(), probabilities.data() + kDigitClasses, prediction.probabilities.begin());
    const auto best = std::max_element(prediction.probabilities.begin(), prediction.probabilities.end());
    prediction.digit = static_cast<int>(best - prediction.probabilities.begin());
    prediction.confidence = *best;
    prediction.empty = false;
    prediction.is_digit = accepts_as_digit(model, probabilities.data(), static_cast<int>(probabilities.cols()));
    return prediction;
}

DigitPrediction classify_drawing(const Model& model, const PixelBuffer& input, const PreprocessOptions& options) {
    check_digit_model(model);
    return classify_digit_image(model, preprocess_drawing(input, options));
}

}  // namespace fcnet
