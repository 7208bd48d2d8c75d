// The "not a digit" class: generated non-digits added to a digit dataset's train and validation parts.
#pragma once

#include <cstdint>

#include "cli/data_parts.h"

namespace fcnet::cli {

// Adds `count` generated non-digits (make_nondigit_set with `seed`) as a new last class named
// kNotADigitClass ("not a digit", preprocess/digit_prediction.h): the digits keep their labels
// and get the names "0", "1", ... when they had none. The non-digits are shared between train and validation in the proportion of those
// parts' sizes; the test part keeps only digits (it measures digit accuracy) but counts the new
// class too. Throws fcnet::Error if the data is not 28x28 images or `count` is negative.
void add_nondigit_class(DataParts& parts, int count, std::uint64_t seed);

}  // namespace fcnet::cli
