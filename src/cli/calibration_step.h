// Fitting a model's temperature on validation data and describing the change, for train and calibrate.
#pragma once

#include <string>

#include "core/metrics.h"
#include "core/model.h"
#include "data/dataset.h"

namespace fcnet::cli {

// Share of validation samples whose confidence must reach the rejection threshold.
constexpr double kAcceptedShare = 0.99;

// Fits the temperature on `validation` and stores it in the model, with the metadata
// "reject_confidence": the calibrated confidence that kAcceptedShare of the validation
// samples reach (inputs below it are reported as "not a digit" / out of distribution). When
// the model has a class named "not a digit" (fcnet train --nondigits), the threshold is fitted
// on the validation digits only, and a sample's confidence is its largest digit probability
// (softmax over all outputs, so probability given to "not a digit" lowers it).
// Returns lines like
// "validation NLL 0.0812 -> 0.0650   ECE 1.20% -> 0.31%   accuracy 98.10% (unchanged)"
// for the validation data and, when not empty, the `test` data.
std::string calibrate_model(Model& model, const Dataset& validation, const Dataset& test);

// Scores `test` at the model's temperature and records in its metadata (what `fcnet info` and
// the module's info() report) "test_data" (the part's name and size), "test_accuracy" (the
// argmax over all the model's outputs: with a "not a digit" class, a digit read as one counts as
// wrong), "test_nll", "test_ece" and, with that class, "test_digit_accuracy": the share of the
// test digits whose most probable digit, the one predict, the app and the module report, is right.
Evaluation record_test_scores(Model& model, const Dataset& test);

}  // namespace fcnet::cli
