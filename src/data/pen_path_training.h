// Training a pen-path network (preprocess/trajectory.h) on real writers' strokes, and the data it is measured on.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/trainer.h"
#include "data/stroke_split.h"
#include "data/strokes.h"

namespace fcnet {

// One character to draw: its strokes (not owned) and its class (0-9, or 10: not a digit).
struct PenPathCharacter {
    const std::vector<Polyline>* strokes = nullptr;
    int label = 0;
};

// Each character drawn `copies` times as training draws strokes (random_rendering: any canvas,
// size, place, pen, small rotations and shears, jitter, resampling), each stroke then run
// backwards, and the strokes' order reversed, with probability `reverse`. Fills `paths` (rows x
// kTrajectoryFeatures) and, when given, `images` with the 28x28 image the app makes of the same
// drawing (rows x 784, preprocess_strokes), and `labels`; character i's copies are rows
// i * copies to i * copies + copies - 1. Drawing r's randomness is the r-th number of `seed`'s
// generator, so the result does not depend on the thread count.
void draw_pen_paths(const std::vector<PenPathCharacter>& characters, int copies, std::uint64_t seed, float reverse,
                    Matrix& paths, Matrix* images, std::vector<int>& labels);

struct PenPathTraining {
    int hidden[2] = {128, 64};  // the network: kTrajectoryFeatures-hidden[0]-hidden[1]-11, relu
    int epochs = 15;            // Adam, learning rate 0.001, cosine schedule, batch 64
    int renders = 6;            // drawings of each training writer's digit
    int letter_renders = 36;    // of each training writer's letter that is not a digit (there are 30 times fewer)
    int generated = 20'000;     // generated doodles, letters and digits, of each
    float reverse = 0.2f;       // see draw_pen_paths
    std::uint64_t seed = 1;     // weights, shuffling, drawings, generated strokes
    std::function<void(const EpochReport&)> on_epoch;  // may be empty
};

// The characters of `collection` whose writers are in `part` (stroke_split.h): digits, and the
// letters that do not pass for digits (is_nondigit_letter) as class 10.
std::vector<PenPathCharacter> pen_path_characters(const StrokeCollection& collection, StrokePart part);

// Trains a pen-path network for 11-class digit models on the training writers' digits and
// letters of `collection` and `options.generated` generated doodles, letters and digits, the
// best epoch chosen and the temperature fitted on the validation writers' (drawn 4 times each).
// Returns the network only: mixing it into a model is the caller's (pixel weight, threshold).
Network train_pen_path(const StrokeCollection& collection, const PenPathTraining& options);

// The digit score (digit_prediction.h) that 99% of the validation writers' digits of
// `collection` reach when `model` reads them as strokes (its pen-path network mixed in), each
// digit drawn 4 times as draw_pen_paths draws them (seed `seed`, nothing reversed).
float pen_path_threshold(const Model& model, const StrokeCollection& collection, std::uint64_t seed);

}  // namespace fcnet
