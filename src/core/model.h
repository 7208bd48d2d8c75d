// A trained model as saved to disk: the network plus what a user needs to read its output.
#pragma once

#include <map>
#include <optional>
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

// A second network that reads the pen's path of a drawing given as strokes (preprocess/trajectory.h).
// A reader that has the strokes mixes the two: softmax(w z / T + (1 - w) z_path / T_path), where z
// and T are the main network's logits and temperature and z_path and T_path this network's.
struct PenPathNetwork {
    Network network;              // path features -> the main network's classes, with its own temperature
    float pixel_weight = 1;       // w, in (0, 1]
    float reject_confidence = 0;  // the digit score a drawing given as strokes must reach, in [0, 1]
};

struct Model {
    Network network;
    WeightStorage weight_storage = WeightStorage::float32;  // kept when a loaded model is saved again
    std::vector<std::string> class_names;         // one per output; empty means "0".."N-1"
    std::map<std::string, std::string> metadata;  // dataset, epochs, seed, metrics at save time
    std::optional<PenPathNetwork> pen_path;       // stored with the same weight storage as `network`

    std::string class_name(int index) const {
        return index < static_cast<int>(class_names.size()) ? class_names[index]
                                                            : std::to_string(index);
    }
};

}  // namespace fcnet
