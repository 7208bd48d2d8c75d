// Formatting of results for the terminal and as JSON: evaluation tables, model summaries.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "core/metrics.h"
#include "core/model.h"

namespace fcnet::cli {

// The classification report (per class and averages), accuracy, NLL, ECE and confusion matrix.
std::string evaluation_table(const Evaluation& evaluation, const Model& model);
nlohmann::json evaluation_json(const Evaluation& evaluation, const Model& model);

// Architecture, parameter count, temperature, normalisation, class names, where the model came
// from and its test scores (cli/model_history.h, each said plainly), then the other metadata.
std::string model_summary(const Model& model);

// A number as metadata stores it: "%.6g".
std::string format_number(double value);

// "784-256-128-10"
std::string architecture_string(const Network& network);

}  // namespace fcnet::cli
