// Hand-designed pen strokes for each digit 0-9, two or three styles each, the way people draw them on screens.
#pragma once

#include <array>
#include <vector>

#include "preprocess/brush.h"

namespace fcnet {

// One way to draw a digit: its strokes in drawing order, in a box 1 high with x around 0.5
// (about 0.2 to 0.8), y pointing down.
using DigitStyle = std::vector<Polyline>;

// Two or three styles for each digit (index = digit); for example a 1 as a bar, with a flag or
// with serifs, a 4 closed in one stroke or open, a 5 with its flag drawn first or last, a 7
// plain, crossed or hooked, an 8 as two rings or one stroke crossing itself. Built on first use.
const std::array<std::vector<DigitStyle>, 10>& digit_styles();

}  // namespace fcnet
