// The data options train and calibrate share: "not a digit" sources and pen strokes added to the MNIST-like parts.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>

#include "cli/data_parts.h"
#include "cli/nondigit_class.h"
#include "cli/stroke_parts.h"
#include "core/model.h"

namespace fcnet::cli {

struct TrainingData {
    int nondigits = 0;                // generated "not a digit" samples added to train + validation
    std::uint64_t nondigit_seed = 2;  // `fcnet evaluate --nondigits` measures on another seed (7160000001)
    NondigitImages nondigit_images;   // pictures from another dataset in the "not a digit" class
    StrokeTraining strokes;           // real pen strokes and doodles, rendered like drawings

    bool nondigit_class() const { return nondigits > 0 || nondigit_images.count > 0; }
};

// Registers --nondigits, --nondigit-seed, --nondigit-images, --nondigit-image-count, --strokes and
// the stroke options on `command`.
void add_training_data_options(CLI::App* command, TrainingData& data);

// Adds the "not a digit" class and the pen strokes `data` asks for to `parts` (train and
// validation alike, so a command given the training command's options sees the same
// validation part). Returns the one-line stroke summary, or "" without strokes.
std::string add_training_data(DataParts& parts, const TrainingData& data);

// Records the options in the model's metadata ("nondigits", "strokes", ...).
void record_training_data(const TrainingData& data, Model& model);

}  // namespace fcnet::cli
