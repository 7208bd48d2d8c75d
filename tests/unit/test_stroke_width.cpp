// Unit tests for stroke-width normalisation (preprocess/stroke_width.h) and drawings given as strokes (preprocess/stroke_drawing.h).
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "data/load.h"
#include "preprocess/brush.h"
#include "preprocess/digit_image.h"
#include "preprocess/stroke_drawing.h"
#include "preprocess/stroke_width.h"
#include "support/test_support.h"

using namespace fcnet;

namespace {

// A "4" drawn in two strokes in a unit box (y down): the open-top kind people draw.
std::vector<Polyline> four() {
    return {{{0.55f, 0.0f}, {0.1f, 0.65f}, {0.95f, 0.65f}}, {{0.7f, 0.3f}, {0.7f, 1.0f}}};
}

// `strokes` (unit box) drawn `height` pixels tall with a `pen`-pixel brush, at (left, top) of a side x side canvas.
GrayCanvas draw(const std::vector<Polyline>& strokes, int side, float left, float top, float height, float pen) {
    GrayCanvas canvas(side, side, 0.0f);
    for (const Polyline& stroke : strokes) {
        Polyline placed;
        for (const CanvasPoint& p : stroke) placed.push_back({left + p.x * height, top + p.y * height});
        stroke_polyline(canvas, placed, pen, 1.0f);
    }
    return canvas;
}

InkImage ink_of(const GrayCanvas& canvas) { return {canvas.width, canvas.height, canvas.values}; }

// The mean absolute difference of two 28x28 images, in [0, 1].
double distance(const DigitImage& a, const DigitImage& b) {
    double sum = 0;
    for (int i = 0; i < kDigitPixels; ++i) sum += std::abs(a.pixels[i] - b.pixels[i]);
    return sum / kDigitPixels;
}

DigitImage image_of(const GrayCanvas& canvas, float stroke_width = kMnistStrokeWidth) {
    PreprocessOptions options;
    options.stroke_width = stroke_width;
    return preprocess_drawing(canvas.values.data(), canvas.width, canvas.height, options);
}

}  // namespace

TEST_CASE("the width estimate of a drawn band is its brush width", "[stroke_width]") {
    // Widths from half to twice MNIST's on the 64-pixel working side (a 3-pixel band reads about
    // 4: its half-covered edge rows count as stroke).
    for (const float pen : {4.0f, 6.0f, 9.0f, 16.0f}) {
        GrayCanvas canvas(120, 60, 0.0f);
        stroke_polyline(canvas, {{10, 30}, {110, 30}}, pen, 1.0f);
        CHECK(estimate_stroke_width(ink_of(canvas)) == Approx(pen).epsilon(0.15));
    }
    CHECK(estimate_stroke_width(InkImage{10, 10, std::vector<float>(100, 0.0f)}) == 0.0f);
}

TEST_CASE("ink much thicker than MNIST's is redrawn at MNIST's width; ink near it is left as drawn", "[stroke_width]") {
    InkImage thick = ink_of(draw(four(), 64, 12, 4, 48, 14));  // width 14 of about 62: 0.23
    REQUIRE(normalize_stroke_width(thick));
    const float fraction = estimate_stroke_width(thick) / std::max(thick.width, thick.height);
    CHECK(fraction == Approx(kMnistStrokeWidth).epsilon(0.25));

    InkImage thin = ink_of(draw(four(), 64, 3, 3, 50, 1.2f));  // 0.024: redrawn thicker
    REQUIRE(normalize_stroke_width(thin));
    CHECK(estimate_stroke_width(thin) / std::max(thin.width, thin.height) == Approx(kMnistStrokeWidth).epsilon(0.25));

    const InkImage usual = ink_of(draw(four(), 64, 6, 4, 50, 7));  // about 0.12: left alone
    InkImage copy = usual;
    CHECK_FALSE(normalize_stroke_width(copy));
    CHECK(copy.values == usual.values);
}

TEST_CASE("a small digit drawn thick and a large one drawn thin reach the network alike", "[stroke_width]") {
    // The same "4" at 30% of a 280 canvas with a 25%-of-height brush, and at 85% with a 4% pen.
    const GrayCanvas small_thick = draw(four(), 280, 30, 150, 84, 21);
    const GrayCanvas large_thin = draw(four(), 280, 20, 20, 238, 9.5f);
    const double normalised = distance(image_of(small_thick), image_of(large_thin));
    const double as_drawn = distance(image_of(small_thick, 0), image_of(large_thin, 0));
    INFO("mean absolute difference: " << normalised << " normalised, " << as_drawn << " as drawn");
    CHECK(normalised < 0.06);
    CHECK(normalised < 0.5 * as_drawn);

    // Given as strokes, the brush does not matter at all: the same image up to rounding.
    std::vector<Polyline> small = four(), large = four();
    for (Polyline& stroke : small) for (CanvasPoint& p : stroke) p = {30 + 84 * p.x, 150 + 84 * p.y};
    for (Polyline& stroke : large) for (CanvasPoint& p : stroke) p = {20 + 238 * p.x, 20 + 238 * p.y};
    CHECK(distance(preprocess_strokes(small, 21), preprocess_strokes(large, 9.5f)) < 0.01);
}

TEST_CASE("drawings given as strokes: empty, dots, and refused input", "[stroke_width]") {
    CHECK(preprocess_strokes({}, 20).empty);
    CHECK(preprocess_strokes({{}, {}}, 20).empty);
    const DigitImage dot = preprocess_strokes({{{100, 100}}}, 20);  // a dot is drawn as wide as the pen
    CHECK_FALSE(dot.empty);
    CHECK(error_message([] { preprocess_strokes(four(), 0); }).find("pen width") != std::string::npos);
    CHECK(error_message([] {
              preprocess_strokes({{{0, 0}, {std::numeric_limits<float>::quiet_NaN(), 1}}}, 2);
          }).find("stroke 0 has a point that is not finite") != std::string::npos);
    CHECK(error_message([] { preprocess_strokes(std::vector<Polyline>(kMaxDrawingStrokes + 1, Polyline{{1, 1}}), 2); })
              .find("strokes, more than") != std::string::npos);
    CHECK(error_message([] {
              PreprocessOptions options;
              options.stroke_width = 0.7f;
              const float gray[4] = {0, 1, 0, 0};
              preprocess_drawing(gray, 2, 2, options);
          }).find("stroke_width") != std::string::npos);
}

TEST_CASE("nine in ten MNIST test digits keep their stroke width through preprocessing", "[stroke_width][mnist]") {
    if (!has_idx_dataset(mnist_dir())) {
        WARN("MNIST not found in " << mnist_dir() << " (set FCNET_MNIST_DIR): skipped");
        return;
    }
    const Dataset test = load_data(mnist_dir()).test;
    int unchanged = 0, count = 0;
    for (int i = 0; i < test.size(); i += 10, ++count) {
        const float* digit = test.features.row(i).data();
        const DigitImage normalised = preprocess_drawing(digit, kDigitSide, kDigitSide);
        PreprocessOptions as_drawn;
        as_drawn.stroke_width = 0;
        unchanged += normalised.pixels == preprocess_drawing(digit, kDigitSide, kDigitSide, as_drawn).pixels;
    }
    INFO(unchanged << " of " << count << " unchanged");
    CHECK(unchanged >= 0.9 * count);
}
