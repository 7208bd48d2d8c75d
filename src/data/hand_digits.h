// Hand-drawn digits in the styles people use and MNIST lacks (open 4, crossed 7, hooked 9, flagged 1), as pen strokes.
#pragma once

#include <random>
#include <vector>

#include "preprocess/brush.h"

namespace fcnet {

// How many forms draw_hand_digit knows for `digit` (0-9); for example a 1 as a bar, with a
// flag of any length and angle, with a flag and a foot; a 4 closed in one or two strokes,
// open as an L and a stem, open in one stroke, or open like a u; a 7 plain, crossed, with a
// hooked or curly top.
int hand_digit_forms(int digit);

// One `digit` drawn by hand in `form` (0 to hand_digit_forms(digit) - 1): the form's strokes
// in their natural order, with random proportions, slant and pose, then drawn with a random
// hand's wobble, uneven sampling and loose ends (the doodles' hand, data/hand_drawing.h),
// fitted into [-1, 1]^2 (y down). Depends only on the rng's state. Throws fcnet::Error if the
// digit or the form is out of range.
std::vector<Polyline> draw_hand_digit(std::mt19937_64& rng, int digit, int form);

// draw_hand_digit in a form drawn uniformly from the digit's forms.
std::vector<Polyline> draw_hand_digit(std::mt19937_64& rng, int digit);

}  // namespace fcnet
