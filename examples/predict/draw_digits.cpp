// Draws the README's `fcnet predict` example images: fcnet's own hand-drawn digits (data/hand_digits.h) as PNG files.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STB_IMAGE_WRITE_STATIC
#include <stb/stb_image_write.h>

#include "data/hand_digits.h"
#include "data/stroke_render.h"

namespace {

// One example: a digit in one of its hand-drawn forms, from a seed, in one polarity.
struct Example {
    const char* file;
    int digit, form;
    std::uint64_t seed;
    bool light_on_dark;  // as drawn in the app; otherwise dark ink on white, as on paper
};

constexpr Example kExamples[] = {
    {"seven.png", 7, 1, 4, false},  // a crossed 7 on paper
    {"three.png", 3, 0, 2, true},   // a 3 drawn on a screen
};

bool write_example(const Example& example, const std::string& folder) {
    std::mt19937_64 rng(example.seed);
    const std::vector<fcnet::Polyline> strokes = fcnet::draw_hand_digit(rng, example.digit, example.form);
    fcnet::StrokeRendering rendering;
    rendering.canvas_width = rendering.canvas_height = 160;
    rendering.height_fraction = 0.7f;
    rendering.pen_fraction = 0.09f;
    rendering.light_on_dark = example.light_on_dark;
    const fcnet::GrayCanvas canvas = fcnet::render_strokes(strokes, rendering, rng);
    std::vector<std::uint8_t> pixels(canvas.values.size());  // 0 = black, 255 = white
    for (std::size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<std::uint8_t>(std::lround(255 * canvas.values[i]));
    const std::string path = folder + "/" + example.file;
    if (stbi_write_png(path.c_str(), canvas.width, canvas.height, 1, pixels.data(), canvas.width) == 0) {
        std::fprintf(stderr, "draw_digits: cannot write %s\n", path.c_str());
        return false;
    }
    std::printf("wrote %s: a hand-drawn %d\n", path.c_str(), example.digit);
    return true;
}

}  // namespace

// Usage: fcnet_example_digits [FOLDER] (default examples/predict, run from the repository root).
int main(int argc, char** argv) {
    const std::string folder = argc > 1 ? argv[1] : "examples/predict";
    for (const Example& example : kExamples) {
        if (!write_example(example, folder)) return 1;
    }
    return 0;
}
