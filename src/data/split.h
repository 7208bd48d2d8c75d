// Splitting a dataset into train, validation and test parts; row selection; one-hot labels.
#pragma once

#include <cstdint>
#include <vector>

#include "core/tensor.h"
#include "data/dataset.h"

namespace fcnet {

// How many samples each part gets. Each value is read as:
//   0                   none;
//   in (0, 1)           a fraction of the whole dataset (so 0.1 is 10% of all samples);
//   a whole number >= 1 that many samples (1 is one sample, not 100%);
//   SplitSizes::rest    whatever the other parts leave (at most one part may say so).
// Anything else (a negative number, 2.5) is an error. Fractions become counts by rounding
// the running total of fractions, so fractions that add up to at most 1 always fit.
// Samples no part takes (when no part is `rest`) are left out.
struct SplitSizes {
    static constexpr double rest = -1.0;

    double train = rest;
    double validation = 0.0;
    double test = 0.0;
};

struct Split {
    Dataset train, validation, test;
};

// Shuffles the samples with std::mt19937_64(seed) (the same permutation on every platform
// and standard library), then gives the parts their sizes in the order train, validation,
// test. With `stratified`, each class is shuffled on its own and every part takes from each
// class in proportion to its size (largest-remainder rounding, so each part's size is exact).
// Parts keep the whole dataset's classes and class names; their names get " (train)",
// " (validation)" or " (test)" appended (or are just "train", ... if the dataset has none).
// Throws fcnet::Error if a size is invalid or the sizes add up to more than the dataset holds.
// The train part reuses `data`'s memory: pass it with std::move to save a copy.
Split split_dataset(Dataset data, const SplitSizes& sizes, std::uint64_t seed, bool stratified);

// The dataset made of the given rows of `data`, in that order (rows may repeat). Keeps
// classes, class names and name. Throws fcnet::Error if a row is out of range.
Dataset take_rows(const Dataset& data, const std::vector<int>& rows);

// Appends the samples of `extra` to `data`; its classes, names and name stay `data`'s. Throws
// fcnet::Error if both hold samples and their feature counts differ.
void append_samples(Dataset& data, const Dataset& extra);

// labels.size() x classes, 1 in each label's column and 0 elsewhere. Throws fcnet::Error if
// a label is outside [0, classes).
Matrix one_hot(const std::vector<int>& labels, int classes);

}  // namespace fcnet
