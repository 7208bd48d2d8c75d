// Fitting a model's temperature on validation data and describing the change, for train and calibrate.
#pragma once

#include <string>

#include "core/model.h"
#include "data/dataset.h"

namespace fcnet::cli {

// Fits the temperature on `validation`, stores it in the model, and returns lines like
// "validation: NLL 0.0812 -> 0.0650, ECE 1.20% -> 0.31%, accuracy 98.10% (unchanged)"
// for the validation data and, when not empty, the `test` data.
std::string calibrate_model(Model& model, const Dataset& validation, const Dataset& test);

}  // namespace fcnet::cli
