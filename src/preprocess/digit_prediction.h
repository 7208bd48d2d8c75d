// Classifying a drawing with a digit model: preprocessing, probabilities, and whether it is a digit at all.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/model.h"
#include "core/predictor.h"
#include "preprocess/digit_image.h"
#include "preprocess/trajectory.h"

namespace fcnet {

constexpr int kDigitClasses = 10;
// The name of the optional 11th class of a digit model: trained on non-digits, it takes
// probability away from the ten digits.
constexpr const char* kNotADigitClass = "not a digit";

struct DigitPrediction {
    int digit = -1;                                   // the most probable digit; -1 when empty
    float confidence = 0;                             // its probability (with the model's temperature)
    std::array<float, kDigitClasses> probabilities{}; // the digits' entries of the softmax; all zero when empty
                                                      // (they sum to 1 - p(not a digit) with a rejection class)
    bool is_digit = false;                            // accepted by accepts_as_digit
    bool empty = true;                                // nothing was drawn
};

// preprocess_drawing, then classify_digit_image.
DigitPrediction classify_drawing(const Model& model, const PixelBuffer& input, const PreprocessOptions& options = {});

// An empty image gives empty = true, is_digit = false, digit = -1. Otherwise the network's
// probabilities (softmax of logits / temperature over all its classes), of which the ten
// digits' entries are kept; digit = their argmax, confidence = their maximum (digit_score)
// and is_digit from accepts_as_digit. Throws fcnet::Error if check_digit_model does.
DigitPrediction classify_digit_image(const Model& model, const DigitImage& image);

// A digit model made ready to classify one drawing after another (the app, the embed module):
// the same answers as classify_digit_image, through a Predictor, without allocating per call.
// The Predictor (a second copy of the weights) is built by prepare() or by the first drawing,
// so that a page can show itself before paying for it: an empty canvas needs no network.
class DigitClassifier {
public:
    explicit DigitClassifier(Model model);  // throws fcnet::Error like check_digit_model and rejection_threshold
    const Model& model() const { return model_; }
    // Hands the model over to a caller that is done with this classifier (it cannot classify after).
    Model take_model() && { return std::move(model_); }

    // Builds the Predictor now if it is not built yet.
    void prepare();
    bool prepared() const { return predictor_.has_value(); }

    // classify_digit_image's answer. With `raw`, also the same reading at temperature 1 (the
    // uncalibrated softmax, is_digit still decided on the calibrated one) from the same logits.
    DigitPrediction classify(const DigitImage& image, DigitPrediction* raw = nullptr);
    // A drawing given as strokes: its image and its pen's path (trajectory_features of the same
    // strokes). With a pen-path network (Model::pen_path), the reading of stroke_logits, accepted
    // from stroke_threshold (raw: both networks' logits mixed at temperature 1); without one, the
    // image's, as above.
    DigitPrediction classify(const DigitImage& image, const Trajectory& path, DigitPrediction* raw = nullptr);
    DigitPrediction classify(const PixelBuffer& input, const PreprocessOptions& options = {});

private:
    // The reading of logits_ / temperature (one sample's), accepted from `threshold`; with `raw`,
    // also the reading of raw_logits_ at temperature 1.
    DigitPrediction read_logits(float temperature, float threshold, DigitPrediction* raw);

    Model model_;
    std::optional<Predictor> predictor_, path_predictor_;  // from model_ and its pen-path network, once prepared
    float threshold_;                            // rejection_threshold(model_)
    std::vector<float> logits_, raw_logits_, path_logits_, probabilities_;  // one sample's, reused
};

// Throws fcnet::Error unless the model takes 784 inputs (28x28 pixels) and gives either 10
// classes (the digits) or 11 whose last is named kNotADigitClass (a rejection class).
void check_digit_model(const Model& model);

// True if the model's 11th class is kNotADigitClass.
bool has_rejection_class(const Model& model);

// How much `probabilities` look like a digit: the largest of the ten digits' entries. They are
// one sample's softmax over all the model's classes, or only its first ten entries (as in
// DigitPrediction); with a rejection class its share is taken from the digits, so a non-digit
// scores low even when the model is sure it is no digit in particular. Throws fcnet::Error if
// `classes` is neither 10 nor the model's class count.
float digit_score(const Model& model, const float* probabilities, int classes);

// The rule that tells a digit from a scribble: digit_score must reach the model's metadata
// "reject_confidence" (a number in [0, 1]); a model without that key accepts everything.
// Throws fcnet::Error if the key holds something that is not such a number.
bool accepts_as_digit(const Model& model, const float* probabilities, int classes);

// That threshold: the model's "reject_confidence", or 0 when it has none. Throws as above.
float rejection_threshold(const Model& model);

// `text` as a number in the "C" locale's notation (how fcnet writes metadata: "0.475418"), with
// optional white space around it; false for anything else. strtod, not a string stream: the
// embeddable module then links no iostreams (docs/embed.md, its size).
bool parse_number(const std::string& text, double& value);

}  // namespace fcnet
