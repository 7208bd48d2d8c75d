// A labelled dataset in memory: one sample per row, integer class labels.
#pragma once

#include <string>
#include <vector>

#include "core/tensor.h"

namespace fcnet {

struct Dataset {
    Matrix features;              // samples x features, pixels scaled to [0, 1]
    std::vector<int> labels;      // one per sample, in [0, classes)
    int classes = 0;
    std::vector<std::string> class_names;  // may be empty: then names are "0", "1", ...
    std::string name;             // where it came from, for messages and model metadata

    int size() const { return static_cast<int>(labels.size()); }
    int feature_count() const { return static_cast<int>(features.cols()); }
};

}  // namespace fcnet
