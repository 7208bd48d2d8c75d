// The three training configurations every benchmark (C++, NumPy, PyTorch) runs.
#pragma once

#include <vector>

namespace fcnet::bench {

struct Config {
    const char* name;        // layer sizes joined by '-'
    std::vector<int> sizes;  // inputs, hidden..., classes
    int batch;
};

inline const std::vector<Config> kTrainingConfigs = {
    {"784-128-10", {784, 128, 10}, 64},
    {"784-256-128-10", {784, 256, 128, 10}, 128},
    {"784-512-256-10", {784, 512, 256, 10}, 256},
};

}  // namespace fcnet::bench
