// Stroke-width normalisation: ink drawn much thicker or thinner than MNIST's is redrawn from its skeleton at MNIST's width.
#pragma once

#include <vector>

namespace fcnet {

// The ink's longer side, in pixels, while its width is measured and redrawn (preprocess_drawing
// scales the cropped ink to this first).
constexpr int kStrokeWidthWorkSide = 64;

// MNIST's stroke width as a fraction of the ink's longer side, by estimate_stroke_width on the
// training digits scaled to kStrokeWidthWorkSide (median 0.12; half of them within 0.10-0.15).
constexpr float kMnistStrokeWidth = 0.12f;

// Widths within this factor of the target are left as drawn (MNIST's own digits are, 97% of
// them), so only clearly thick or thin drawings change.
constexpr float kStrokeWidthTolerance = 1.6f;

// Ink wider than this fraction of its longer side is a filled shape (a blob, a photo of a
// shoe), not a pen's stroke: it is left as it is.
constexpr float kFilledShapeWidth = 0.4f;

// A gray image of ink strength in [0, 1], row-major: what the width is measured and redrawn on.
struct InkImage {
    int width = 0, height = 0;
    std::vector<float> values;  // height x width
};

// The ink's stroke width in pixels: the pixels at least half as strong as the strongest are the
// stroke; for a band of width w the distances d from its pixels to the nearest background pixel
// (chamfer 3-4) minus 0.5 average w / 4, so the estimate is 4 x mean(d - 0.5). 0 for no ink.
float estimate_stroke_width(const InkImage& ink);

// If the ink's stroke width, as a fraction of its longer side, is more than kStrokeWidthTolerance
// times off `target_fraction` (and not above kFilledShapeWidth), replaces the ink by its skeleton (Zhang-Suen thinning of the
// stroke pixels) redrawn with an anti-aliased round brush, wide enough that the redrawn ink's
// width is `target_fraction` of its longer side. Returns whether it did. Allocates only while
// its per-thread buffers grow.
bool normalize_stroke_width(InkImage& ink, float target_fraction = kMnistStrokeWidth);

}  // namespace fcnet
