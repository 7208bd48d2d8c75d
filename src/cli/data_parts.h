// The train / validation / test parts a command works on, split the same way by every command.
#pragma once

#include <cstdint>
#include <string>

#include "core/model.h"
#include "data/split.h"

namespace fcnet::cli {

// Split settings. `test` applies only when the data has no test part of its own
// (an IDX directory with t10k files has one; a single CSV file does not).
struct PartSizes {
    double train = SplitSizes::rest;
    double validation = 0.1;
    double test = 0.1;
    std::uint64_t seed = 1;
    bool stratified = false;
};

struct DataParts {
    Dataset train, validation, test;
};

DataParts load_parts(const std::string& path, const PartSizes& sizes);

// The split a model was trained with, read from its metadata (defaults where absent),
// so calibrate and evaluate see exactly the validation samples training held out.
PartSizes part_sizes_from(const Model& model);
void record_part_sizes(const PartSizes& sizes, Model& model);

// "validation" -> parts.validation etc.; "all" -> every sample. Throws fcnet::Error.
Dataset select_part(DataParts parts, const std::string& name);

}  // namespace fcnet::cli
