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
      raw_logits_(logits_.size()),
      path_logits_(logits_.size()),
      probabilities_(logits_.size()) {}

void DigitClassifier::prepare() {
    if (!predictor_) predictor_.emplace(model_.network);
    if (model_.pen_path && !path_predictor_) path_predictor_.emplace(model_.pen_path->network);
}

DigitPrediction DigitClassifier::read_logits(float temperature, float threshold, DigitPrediction* raw) {
    const int classes = static_cast<int>(logits_.size());
    softmax_at(logits_, temperature, probabilities_);
    const DigitPrediction calibrated = reading(model_, probabilities_.data(), classes, threshold);
    if (raw != nullptr) {
        softmax_at(raw_logits_, 1.0f, probabilities_);
        *raw = reading(model_, probabilities_.data(), classes, threshold);
        raw->is_digit = calibrated.is_digit;
    }
    return calibrated;
}

DigitPrediction DigitClassifier::classify(const DigitImage& image, DigitPrediction* raw) {
    if (image.empty) {
        if (raw != nullptr) *raw = {};
        return {};
    }
    prepare();
    predictor_->logits(image.pixels.data(), logits_.data());
    raw_logits_ = logits_;
    return read_logits(predictor_->temperature(), threshold_, raw);
}

DigitPrediction DigitClassifier::classify(const DigitImage& image, const Trajectory& path, DigitPrediction* raw) {
    if (!model_.pen_path) return classify(image, raw);
    if (image.empty) {
        if (raw != nullptr) *raw = {};
        return {};
    }
    prepare();
    const PenPathNetwork& pen = *model_.pen_path;
    if (path_predictor_->inputs() != kTrajectoryFeatures || path_predictor_->classes() != predictor_->classes()) {
        throw Error("the model's pen-path network is " + std::to_string(path_predictor_->inputs()) + " -> " +
                    std::to_string(path_predictor_->classes()) + "; a drawing's path has " +
                    std::to_string(kTrajectoryFeatures) + " features and the model " +
                    std::to_string(predictor_->classes()) + " classes");
    }
    predictor_->logits(image.pixels.data(), logits_.data());  // z
    path_predictor_->logits(path.data(), path_logits_.data());  // z_path
    const float w = pen.pixel_weight;
    for (std::size_t c = 0; c < logits_.size(); ++c) {  // as stroke_logits, and at temperature 1
        raw_logits_[c] = w * logits_[c] + (1 - w) * path_logits_[c];
        logits_[c] = w * logits_[c] / predictor_->temperature() + (1 - w) * path_logits_[c] / path_predictor_->temperature();
    }
    return read_logits(1.0f, pen.reject_confidence, raw);
}

DigitPrediction DigitClassifier::classify(const PixelBuffer& input, const PreprocessOptions& options) {
    return classify(preprocess_drawing(input, options));
}

}  // namespace fcnet
