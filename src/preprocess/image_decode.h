// Decoding PNG, JPEG and BMP files into pixels for preprocess_drawing (through stb_image).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "preprocess/pixel_buffer.h"

namespace fcnet {

// Images with a side longer than this are refused from their header, before any allocation.
constexpr int kMaxImageSide = 16384;
// Image files larger than this are refused before they are read.
constexpr std::uint64_t kMaxImageFileBytes = std::uint64_t{256} << 20;

struct DecodedImage {
    std::vector<std::uint8_t> pixels;  // row-major, `channels` bytes per pixel
    int width = 0, height = 0;
    int channels = 0;                  // 1 (gray), 3 (RGB) or 4 (RGBA; gray + alpha becomes RGBA)

    PixelBuffer view() const { return PixelBuffer{pixels.data(), width, height, channels}; }
};

// Throws fcnet::Error naming the file and the reason: it cannot be read, it is not a PNG, JPEG
// or BMP, it is corrupt or truncated, a side exceeds kMaxImageSide, or it has more than
// kMaxDrawingPixels pixels.
DecodedImage decode_image_file(const std::string& path);
// The same for bytes in memory; `source` names them in error messages.
DecodedImage decode_image_memory(const std::uint8_t* bytes, std::size_t size, const std::string& source);

}  // namespace fcnet
