// The test accuracies a digit model's metadata records, told apart: the reported digit's and over all the outputs.
#pragma once

#include <optional>

#include "core/model.h"

namespace fcnet {

// What a digit model file says about its test accuracy (the metadata `fcnet train` and
// `fcnet calibrate` record, src/cli/calibration_step.h), as the app's model panel and the
// module's info() report it. A key that is missing or holds no number counts as not recorded.
struct RecordedAccuracy {
    // The share of the test digits whose reported digit (the most probable of the ten: what
    // predict, the app and the module show) was right: metadata "test_digit_accuracy", or for
    // a 10-class model "test_accuracy", the same figure there. Empty for a model with a
    // "not a digit" class from before test_digit_accuracy was recorded.
    std::optional<double> digits;
    // Metadata "test_accuracy": the most probable of all the model's outputs; with a
    // "not a digit" class a test digit read as one counts as wrong.
    std::optional<double> all_outputs;
    int outputs = 0;  // how many: 10, or 11 with "not a digit"
};

RecordedAccuracy recorded_accuracy(const Model& model);

}  // namespace fcnet
