// Classifying a preprocessed drawing with a digit model, and the digit-or-not rule.
#include "preprocess/digit_prediction.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string>
#include <utility>

#include "core/error.h"
#include "core/loss.h"
#include "core/tensor.h"

namespace fcnet {

namespace {

// The reading of one sample's softmax over all the model's classes, accepted as a digit when
// its digit_score reaches `threshold` (rejection_threshold of the model).
DigitPrediction reading(const Model& model, const float* probabilities, int classes, float threshold) {
    DigitPrediction prediction;
    std::copy(probabilities, probabilities + kDigitClasses, prediction.probabilities.begin());
    const auto best = std::max_element(prediction.probabilities.begin(), prediction.probabilities.end());
    prediction.digit = static_cast<int>(best - prediction.probabilities.begin());
    prediction.confidence = *best;
    prediction.empty = false;
    prediction.is_digit = digit_score(model, probabilities, classes) >= threshold;
    return prediction;
}

// softmax(logits / temperature) of one sample, into `probabilities` (same length).
void softmax_at(const std::vector<float>& logits, float temperature, std::vector<float>& probabilities) {
    Eigen::Map<Matrix> scores(probabilities.data(), 1, static_cast<Eigen::Index>(probabilities.size()));
    scores = Eigen::Map<const Matrix>(logits.data(), 1, static_cast<Eigen::Index>(logits.size())) / temperature;
    softmax_rows(scores);
}

}  // namespace

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

float rejection_threshold(const Model& model) {
    const auto entry = model.metadata.find("reject_confidence");
    if (entry == model.metadata.end()) return 0.0f;
    double threshold = 0;
    if (!parse_number(entry->second, threshold) || !(threshold >= 0.0 && threshold <= 1.0)) {
        throw Error("the model's metadata reject_confidence is \"" + entry->second +
                    "\"; expected a number in [0, 1]");
    }
    return static_cast<float>(threshold);
}

bool parse_number(const std::string& text, double& value) {
    const char* begin = text.c_str();
    char* end = nullptr;
    value = std::strtod(begin, &end);
    if (end == begin) return false;
    while (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r') ++end;
    return end == begin + text.size();
}

bool accepts_as_digit(const Model& model, const float* probabilities, int classes) {
    return digit_score(model, probabilities, classes) >= rejection_threshold(model);
}

DigitPrediction classify_digit_image(const Model& model, const DigitImage& image) {
    check_digit_model(model);
    DigitPrediction prediction;
    if (image.empty) return prediction;
    const Eigen::Map<const Matrix> features(image.pixels.data(), 1, kDigitPixels);
    const Matrix probabilities = model.network.predict(features);  // 1 x classes (10, or 11 with "not a digit")
    return reading(model, probabilities.data(), static_cast<int>(probabilities.cols()), rejection_threshold(model));
}

DigitPrediction classify_drawing(const Model& model, const PixelBuffer& input, const PreprocessOptions& options) {
    check_digit_model(model);
    return classify_digit_image(model, preprocess_drawing(input, options));
}

DigitClassifier::DigitClassifier(Model model)
    : model_((check_digit_model(model), std::move(model))),
      threshold_(rejection_threshold(model_)),
      logits_(static_cast<std::size_t>(model_.network.classes())),
      probabilities_(logits_.size()) {}

void DigitClassifier::prepare() {
    if (!predictor_) predictor_.emplace(model_.network);
}

DigitPrediction DigitClassifier::classify(const DigitImage& image, DigitPrediction* raw) {
    if (image.empty) {
        if (raw != nullptr) *raw = {};
        return {};
    }
    prepare();
    const int classes = static_cast<int>(logits_.size());
    predictor_->logits(image.pixels.data(), logits_.data());
    softmax_at(logits_, predictor_->temperature(), probabilities_);
    const DigitPrediction calibrated = reading(model_, probabilities_.data(), classes, threshold_);
    if (raw != nullptr) {
        softmax_at(logits_, 1.0f, probabilities_);
        *raw = reading(model_, probabilities_.data(), classes, threshold_);
        raw->is_digit = calibrated.is_digit;
    }
    return calibrated;
}

DigitPrediction DigitClassifier::classify(const PixelBuffer& input, const PreprocessOptions& options) {
    return classify(preprocess_drawing(input, options));
}

}  // namespace fcnet
