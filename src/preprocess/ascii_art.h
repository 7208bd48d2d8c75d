// A 28x28 digit image drawn with characters, for terminals and logs.
#pragma once

#include <string>

#include "preprocess/digit_image.h"

namespace fcnet {

// 28 lines of 56 characters (two per pixel, so the digit looks square in a terminal), each
// ending in '\n', using the ramp " .:-=+*#%@" from no ink to full ink.
std::string ascii_art(const DigitImage& image);

}  // namespace fcnet
