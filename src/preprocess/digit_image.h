// A drawing or photo of one digit -> the 28x28 MNIST-style image a digit model reads.
#pragma once

#include <array>
#include <cstdint>

#include "preprocess/pixel_buffer.h"
#include "preprocess/stroke_width.h"

namespace fcnet {

constexpr int kDigitSide = 28;                             // the output is kDigitSide x kDigitSide
constexpr int kDigitPixels = kDigitSide * kDigitSide;      // 784, a digit model's input count
constexpr int kDigitBox = 20;                              // the ink's longer side, as in MNIST
constexpr std::int64_t kMaxDrawingPixels = 100'000'000;    // larger inputs are refused, not allocated

struct DigitImage {
    std::array<float, kDigitPixels> pixels{};  // row-major, [0, 1], 1 = full ink, 0 = background
    bool empty = true;                         // no drawing found: pixels are all zero
};

// Thresholds of the pipeline; the defaults suit canvas drawings and phone photos alike.
struct PreprocessOptions {
    Polarity polarity = Polarity::detect;
    // Ink whose contrast with the background is below this (on the [0, 1] gray scale, about
    // 8 of 255 levels) is not ink: a canvas with nothing stronger is empty.
    float min_contrast = 0.03f;
    // Where a stroke's edge is, as a fraction of full ink strength: the bounding box holds the
    // pixels at least this strong, so anti-aliasing or blur around the strokes does not widen it.
    float edge_level = 0.3f;
    // Connected blobs of ink holding less than this fraction of all the ink are noise specks
    // and are removed (the largest blob always stays).
    float speck_fraction = 0.02f;
    // Ink whose bounding box's longer side is below this fraction of the canvas's shorter side
    // (and below 2 pixels in any case) is a speck, not a drawing: the result is empty.
    float min_extent_fraction = 0.015f;
    // The stroke width the network should see, as a fraction of the ink's longer side: ink drawn
    // clearly thicker or thinner is redrawn from its skeleton at this width (normalize_stroke_width;
    // docs/stroke-width.md says why). 0 leaves the strokes as drawn.
    float stroke_width = kMnistStrokeWidth;
};

// The MNIST recipe (LeCun et al.), step by step:
//   1. gray intensity: RGB by Rec. 601 luma; RGBA composited over black or white, whichever
//      contrasts with the opaque pixels, so strokes on a transparent canvas are ink whatever
//      their colour and transparent pixels are background;
//   2. ink strength in [0, 1]: the background level is the median of the border pixels; with
//      Polarity::detect the ink is on the side of it that deviates most (sum of squared
//      deviations), so 150-on-170 and 170-on-150 both work. Ink = (deviation - noise floor) /
//      (contrast - noise floor), clamped: the noise floor is 3 robust standard deviations
//      (1.4826 x MAD) of the border, the contrast is the 95th percentile of the deviation
//      among the pixels above Otsu's threshold. Grey anti-aliased levels are kept;
//   3. crop to the bounding box of the ink (see edge_level), after removing specks;
//   4. if the stroke width is far from MNIST's (options.stroke_width), redraw the ink from its
//      skeleton at MNIST's width (stroke_width.h); then scale so the longer side is kDigitBox
//      (20) pixels, keeping the aspect ratio, by area
//      averaging: each output pixel is the mean of the source area it covers, with exact
//      fractional coverage at its edges;
//   5. place in 28x28 with the intensity centre of mass at pixel (14, 14) (row and column
//      index, pixel centres at whole numbers) by shifting the scaled image a whole number of
//      pixels, rounded, as MNIST did (its test digits' centres of mass average (14.01, 13.99)
//      with a spread of +-0.5); the shift is limited so that no ink leaves the field;
//   6. scale the intensities so the strongest pixel is 1, as in every MNIST digit.
// Inputs larger than 4 million pixels are first reduced by a whole factor with box averaging,
// which bounds memory and time and changes the result by far less than one output pixel.
// The working buffers are kept between calls (one set per thread, so threads may call it at
// once): after the first call on an image of some size, further calls allocate nothing.
// Throws fcnet::Error if the data pointer is null, a side is not positive, there are more than
// kMaxDrawingPixels pixels, `channels` is not 1, 3 or 4, or an option is NaN or outside [0, 1].
DigitImage preprocess_drawing(const PixelBuffer& input, const PreprocessOptions& options = {});

// The same for a gray image of floats, row-major, 0 = black and 1 = white. Throws fcnet::Error
// naming the pixel if one is NaN, infinite or outside [0, 1].
DigitImage preprocess_drawing(const float* gray, int width, int height, const PreprocessOptions& options = {});

}  // namespace fcnet
