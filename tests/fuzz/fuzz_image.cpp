// libFuzzer target: image decoding + preprocess_drawing. The first input byte chooses the path:
// even = decode the rest as an image file, then preprocess it; odd = the rest is a gray float
// image (u16 width, u16 height, then float32 pixels, NaN and infinities included).
// The next 20 bytes are the preprocessing options as float32 (polarity from the mode byte).
#include <cstdint>
#include <cstring>
#include <vector>

#include "core/error.h"
#include "fuzz_support.h"
#include "preprocess/digit_image.h"
#include "preprocess/image_decode.h"

namespace {

// Options from the input: usually the defaults, sometimes arbitrary floats (NaN included).
fcnet::PreprocessOptions options_from(std::uint8_t mode, fcnet_fuzz::Cursor& input) {
    fcnet::PreprocessOptions options;
    options.polarity = static_cast<fcnet::Polarity>((mode >> 1) % 3);
    if (mode & 0x80) {
        options.min_contrast = input.f32();
        options.edge_level = input.f32();
        options.speck_fraction = input.f32();
        options.min_extent_fraction = input.f32();
    }
    return options;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fcnet_fuzz::Cursor input(data, size);
    const std::uint8_t mode = input.byte();
    const fcnet::PreprocessOptions options = options_from(mode, input);
    try {
        if (mode & 1) {
            const int width = input.u16() % 512, height = input.u16() % 512;
            std::vector<float> gray(input.rest_size() / sizeof(float));
            if (!gray.empty()) std::memcpy(gray.data(), input.rest(), gray.size() * sizeof(float));
            if (std::size_t(width) * std::size_t(height) > gray.size()) return 0;  // the caller's contract
            fcnet::preprocess_drawing(gray.data(), width, height, options);
        } else {
            const fcnet::DecodedImage image = fcnet::decode_image_memory(input.rest(), input.rest_size(), "fuzz input");
            fcnet::preprocess_drawing(image.view(), options);
        }
    } catch (const fcnet::Error&) {
    }
    return 0;
}
