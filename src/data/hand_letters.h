// Hand-drawn letters that do not pass for digits (no o O l I s S z Z b g q), as pen strokes: "not a digit" for the model.
#pragma once

#include <random>
#include <string>
#include <vector>

#include "preprocess/brush.h"

namespace fcnet {

// The letters draw_hand_letter draws: a-z and A-Z without kDigitLikeLetters (data/stroke_split.h).
const std::string& hand_letters();

// One `letter` written by hand, in one of its common forms (print or joined, one stroke or
// several, for example a single- or double-storey a, a y with a straight or a hooked tail, a J
// with or without its top bar), with random proportions, slant and pose, drawn with a random
// hand (data/hand_drawing.h) and fitted into [-1, 1]^2 (y down). Depends only on the rng's
// state. Throws fcnet::Error for a character not in hand_letters().
std::vector<Polyline> draw_hand_letter(std::mt19937_64& rng, char letter);

}  // namespace fcnet
