// A round anti-aliased brush and a polygon filler that draw onto a grayscale float canvas.
#pragma once

#include <cmath>
#include <vector>

#include "preprocess/pixel_buffer.h"

namespace fcnet {

// A point in canvas pixel units: pixel (x, y) covers [x, x + 1) x [y, y + 1), its centre is
// (x + 0.5, y + 0.5).
struct CanvasPoint {
    float x = 0, y = 0;
};
using Polyline = std::vector<CanvasPoint>;

// The smallest box holding every point of some polylines; x_min > x_max when there is none.
struct PolylineBounds {
    float x_min = HUGE_VALF, y_min = HUGE_VALF, x_max = -HUGE_VALF, y_max = -HUGE_VALF;
    float width() const { return x_max - x_min; }
    float height() const { return y_max - y_min; }
};
PolylineBounds bounds_of(const std::vector<Polyline>& lines);

// Scales and moves the points so their bounding box is centred in [-1, 1]^2 with its longer side
// 2 (clamped to [-1, 1] against rounding).
void fit_unit_box(std::vector<Polyline>& lines);

// A gray image of floats, row-major, 0 = black and 1 = white: what preprocess_drawing's float
// overload reads.
struct GrayCanvas {
    int width = 0, height = 0;
    std::vector<float> values;

    // A width x height canvas filled with `background` (in [0, 1]). Throws fcnet::Error if a side
    // is not positive or the background is outside [0, 1].
    GrayCanvas(int width, int height, float background);
    float& at(int x, int y) { return values[static_cast<std::size_t>(y) * width + x]; }
};

// The ink a brush or filler lays down: `ink` is its gray level, painted over what is there as
// value += (ink - value) * coverage, with coverage in [0, 1] from the anti-aliasing.
// ink_level picks it from a polarity: light_on_dark gives `strength` (ink = high values),
// dark_on_light gives 1 - strength (ink = low values). Throws fcnet::Error for Polarity::detect
// or a strength outside [0, 1].
float ink_level(Polarity polarity, float strength = 1.0f);

// Draws the polyline with a round brush `width` pixels across (round caps and joins): a pixel's
// coverage is clamp(width / 2 + 0.5 - distance, 0, 1), distance from its centre to the nearest
// segment, so edges fade over one pixel. Overlaps within the polyline are painted once (the
// coverage is the maximum over its segments). `closed` also joins the last point to the first.
// A single point draws a dot. Throws fcnet::Error if the width is not positive and finite or
// the ink is outside [0, 1].
void stroke_polyline(GrayCanvas& canvas, const Polyline& points, float width, float ink, bool closed = false);

// Fills the region inside the closed contours by the nonzero winding rule (TrueType's; a single
// simple polygon fills its inside, a contour running the other way inside it cuts a hole).
// Anti-aliased: each pixel row is sampled on 4 sub-rows, each with exact horizontal coverage.
// Throws fcnet::Error if the ink is outside [0, 1].
void fill_contours(GrayCanvas& canvas, const std::vector<Polyline>& contours, float ink);

}  // namespace fcnet
