// A borrowed view of an input image (gray, RGB or RGBA bytes) and which way round its ink is.
#pragma once

#include <cstdint>

namespace fcnet {

// Rows top to bottom, pixels left to right, `channels` bytes per pixel, no padding:
// byte (y * width + x) * channels + c. The pixels stay owned by the caller.
struct PixelBuffer {
    const std::uint8_t* data = nullptr;
    int width = 0, height = 0;
    int channels = 0;  // 1 = gray, 3 = RGB, 4 = RGBA (straight, not premultiplied, alpha)
};

// Which side of the gray scale the ink is on. `detect` lets the image's border decide.
enum class Polarity { detect, dark_on_light, light_on_dark };

}  // namespace fcnet
