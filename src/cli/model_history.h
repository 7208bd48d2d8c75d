// Where a model came from and how it scored, as train, calibrate and ensemble record it and `fcnet info` tells it.
#pragma once

#include <string>

#include "core/model.h"

namespace fcnet::cli {

// Today's date (UTC) as metadata records it: "2026-12-06".
std::string today();

// One line: "trained        2026-12-04", or for an ensemble when `fcnet ensemble` built it and
// of how many models. An ensemble written before "built" was recorded carries its first member's
// "trained" date, and the line says so instead of passing it off as the ensemble's.
std::string origin_summary(const Model& model);

// The test scores train and calibrate recorded (record_test_scores), each with what it measures
// and on which data; "" when none were recorded. With a "not a digit" class, the two accuracies
// are told apart: over all the outputs (a digit read as "not a digit" is wrong) and of the digit
// predict, the app and the module report.
std::string test_scores_summary(const Model& model);

// True for the metadata keys the two summaries above describe (model_summary lists the rest).
bool summarised_key(const std::string& key);

}  // namespace fcnet::cli
