// A trained model as saved to disk: the network plus what a user needs to read its output.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/network.h"

namespace fcnet {

// How a model file stores the weights and biases (docs/model-format.md).
enum class WeightStorage {
    float32,  // format version 1: exact
    float16,  // format version 2: half the size, each value rounded to IEEE binary16
    int8,     // format version 3: a quarter of the size, weights as int8 times a per-output scale
};

struct Model {
    Network network;
    WeightStorage weight_storage = WeightStorage::float32;  // kept when a loaded model is saved again
    std::vector<std::string> class_names;         // one per output; empty means "0".."N-1"
    std::map<std::string, std::string> metadata;  // dataset, epochs, seed, metrics at save time

    std::string class_name(int index) const {
        return index < static_cast<int>(class_names.size()) ? class_names[index]
                                                            : std::to_string(index);
    }
};

}  // namespace fcnet
