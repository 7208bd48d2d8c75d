// The drawing: strokes of a round brush, undo, and their rasterisation into a gray image.
#pragma once

#include <cstdint>
#include <vector>

#include "preprocess/pixel_buffer.h"

namespace fcnet::app {

// Side of the square raster the strokes are drawn into, in pixels. Stroke coordinates are in
// these pixels too, so a drawing does not change when the widget showing it is resized.
constexpr int kRasterSide = 280;

struct Point {
    float x = 0, y = 0;  // raster pixels, (0, 0) = top-left corner, pixel centres at +0.5
};

struct Stroke {
    std::vector<Point> points;  // a polyline; a single point is a dot
    float radius = 10;          // brush radius in raster pixels
};

// Strokes drawn with a round, anti-aliased brush: white ink (255) on black (0), each pixel the
// maximum coverage of any stroke, so adding a stroke only needs that stroke rasterised.
class Drawing {
public:
    Drawing();

    void begin_stroke(Point start, float radius);
    void extend_stroke(Point next);   // ignored unless a stroke is open; tiny moves are skipped
    void end_stroke();
    bool drawing_stroke() const { return stroke_open_; }

    void undo();                      // removes the last stroke (the open one first)
    void clear();

    const std::vector<Stroke>& strokes() const { return strokes_; }
    bool empty() const { return strokes_.empty(); }
    // Changes whenever the strokes do: compare to see if a drawing needs classifying again.
    std::uint64_t revision() const { return revision_; }

    // kRasterSide x kRasterSide, 1 channel, light on dark; valid until the next change.
    PixelBuffer pixels() const { return {raster_.data(), kRasterSide, kRasterSide, 1}; }

private:
    void rasterize_all();
    void rasterize_segment(Point a, Point b, float radius);

    std::vector<Stroke> strokes_;
    std::vector<std::uint8_t> raster_;
    bool stroke_open_ = false;
    std::uint64_t revision_ = 0;
};

}  // namespace fcnet::app
