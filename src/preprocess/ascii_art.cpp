// Drawing a digit image with a ramp of ten characters.
#include "preprocess/ascii_art.h"

#include <algorithm>
#include <cmath>

namespace fcnet {

std::string ascii_art(const DigitImage& image) {
    static constexpr char kRamp[] = " .:-=+*#%@";
    constexpr int kLevels = sizeof kRamp - 1;
    std::string art;
    art.reserve(kDigitSide * (2 * kDigitSide + 1));
    for (int y = 0; y < kDigitSide; ++y) {
        for (int x = 0; x < kDigitSide; ++x) {
            const float ink = image.pixels[y * kDigitSide + x];
            const int level = std::clamp(static_cast<int>(std::lround(ink * (kLevels - 1))), 0, kLevels - 1);
            art.append(2, kRamp[level]);
        }
        art += '\n';
    }
    return art;
}

}  // namespace fcnet
