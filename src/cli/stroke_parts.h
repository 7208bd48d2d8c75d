// Real pen strokes and hand-drawn doodles, rendered like drawings, added to a digit dataset's train and validation parts.
#pragma once

#include <cstdint>
#include <string>

#include "cli/data_parts.h"

namespace fcnet::cli {

struct StrokeTraining {
    std::string folder;       // a folder laid out like ../shared/data/strokes; empty: no strokes
    int renders = 2;          // renderings of each train / validation digit (random canvas, size, pen, place)
    int letter_renders = 2;   // renderings of each train / validation letter (there are 12 times fewer)
    int doodles = 0;          // hand-drawn shapes (data/doodles.h) added to "not a digit"
    int hand_digits = 0;      // generated hand-drawn digits (data/hand_digits.h) in the styles MNIST lacks
    int hand_letters = 0;     // generated hand-drawn letters (data/hand_letters.h) added to "not a digit"
    std::uint64_t seed = 3;   // of the renderings and doodles; `fcnet evaluate --strokes` uses others
};

// Adds `renders` renderings of each digit whose writer is in the train part (stroke_part_of) to
// parts.train, and of each validation writer's digit to parts.validation: each rendering is a
// random_rendering reaching the network as an image or as strokes, in turn. With a "not a digit"
// class (add_nondigit_class first), the UJI letters that do not pass for digits
// (is_nondigit_letter) join it the same way, by writer, `letter_renders` times each, and so do `doodles` doodles, shared
// between train and validation like the other non-digits, and so are `hand_letters` generated
// letters (hand_letters() in turn) and `hand_digits` generated digits (the ten in turn, each in a
// random form). Test writers are never read.
// Returns a one-line summary. Throws fcnet::Error if the folder cannot be read, the data is not
// 28x28, or doodles or generated letters are asked for without a "not a digit" class.
std::string add_stroke_parts(DataParts& parts, const StrokeTraining& options);

}  // namespace fcnet::cli
