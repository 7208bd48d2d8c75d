// Classifying a drawing with a digit model: preprocessing, probabilities, and whether it is a digit at all.
#pragma once

#include <array>

#include "core/model.h"
#include "preprocess/digit_image.h"

namespace fcnet {

constexpr int kDigitClasses = 10;

struct DigitPrediction {
    int digit = -1;                                   // the most probable class; -1 when empty
    float confidence = 0;                             // its probability (with the model's temperature)
    std::array<float, kDigitClasses> probabilities{}; // all zero when empty
    bool is_digit = false;                            // accepted by accepts_as_digit
    bool empty = true;                                // nothing was drawn
};

// preprocess_drawing, then classify_digit_image.
DigitPrediction classify_drawing(const Model& model, const PixelBuffer& input, const PreprocessOptions& options = {});

// An empty image gives empty = true, is_digit = false, digit = -1. Otherwise the network's
// probabilities (softmax of logits / temperature), digit = their argmax, confidence = their
// maximum and is_digit from accepts_as_digit. Throws fcnet::Error if the model does not take
// 784 inputs or does not give 10 classes.
DigitPrediction classify_digit_image(const Model& model, const DigitImage& image);

// Throws fcnet::Error unless the model takes 784 inputs (28x28 pixels) and gives 10 classes.
void check_digit_model(const Model& model);

// The rule that tells a digit from a scribble: the largest probability must reach the model's
// metadata "reject_confidence" (a number in [0, 1]); a model without that key accepts
// everything. Throws fcnet::Error if the key holds something that is not such a number.
bool accepts_as_digit(const Model& model, const float* probabilities, int classes);

}  // namespace fcnet
