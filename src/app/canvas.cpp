// The drawing: strokes of a round brush, undo, and their rasterisation into a gray image.
#include "app/canvas.h"

#include <algorithm>
#include <cmath>

namespace fcnet::app {

namespace {

// Moves shorter than this (raster pixels) add no point: the polyline stays short when the
// pointer jitters, and the rasteriser has less to do.
constexpr float kMinPointSpacing = 1.0f;

float clamp_to_raster(float v) { return std::clamp(v, 0.0f, static_cast<float>(kRasterSide)); }

}  // namespace

Drawing::Drawing() : raster_(static_cast<std::size_t>(kRasterSide) * kRasterSide, 0) {}

void Drawing::begin_stroke(Point start, float radius) {
    end_stroke();
    start = {clamp_to_raster(start.x), clamp_to_raster(start.y)};
    strokes_.push_back({{start}, radius});
    stroke_open_ = true;
    rasterize_segment(start, start, radius);
    ++revision_;
}

void Drawing::extend_stroke(Point next) {
    if (!stroke_open_) return;
    Stroke& stroke = strokes_.back();
    next = {clamp_to_raster(next.x), clamp_to_raster(next.y)};
    const Point last = stroke.points.back();
    if (std::hypot(next.x - last.x, next.y - last.y) < kMinPointSpacing) return;
    stroke.points.push_back(next);
    rasterize_segment(last, next, stroke.radius);
    ++revision_;
}

void Drawing::end_stroke() { stroke_open_ = false; }

void Drawing::undo() {
    if (strokes_.empty()) return;
    strokes_.pop_back();
    stroke_open_ = false;
    rasterize_all();
    ++revision_;
}

void Drawing::clear() {
    if (strokes_.empty()) return;
    strokes_.clear();
    stroke_open_ = false;
    rasterize_all();
    ++revision_;
}

void Drawing::rasterize_all() {
    std::fill(raster_.begin(), raster_.end(), 0);
    for (const Stroke& stroke : strokes_) {
        rasterize_segment(stroke.points.front(), stroke.points.front(), stroke.radius);
        for (std::size_t i = 1; i < stroke.points.size(); ++i)
            rasterize_segment(stroke.points[i - 1], stroke.points[i], stroke.radius);
    }
}

// The brush swept from a to b is a capsule: every point within `radius` of the segment. A pixel's
// coverage is radius + 0.5 - (distance from its centre to the segment), clamped to [0, 1]: a
// one-pixel linear ramp across the edge, which is the anti-aliasing.
void Drawing::rasterize_segment(Point a, Point b, float radius) {
    const float reach = radius + 1.0f;
    const int x0 = std::max(0, static_cast<int>(std::floor(std::min(a.x, b.x) - reach)));
    const int x1 = std::min(kRasterSide - 1, static_cast<int>(std::ceil(std::max(a.x, b.x) + reach)));
    const int y0 = std::max(0, static_cast<int>(std::floor(std::min(a.y, b.y) - reach)));
    const int y1 = std::min(kRasterSide - 1, static_cast<int>(std::ceil(std::max(a.y, b.y) + reach)));
    const float dx = b.x - a.x, dy = b.y - a.y;
    const float length_squared = dx * dx + dy * dy;
    for (int y = y0; y <= y1; ++y) {
        for (int x = x0; x <= x1; ++x) {
            const float px = x + 0.5f - a.x, py = y + 0.5f - a.y;
            // t: where the pixel centre projects onto the segment, 0 at a and 1 at b.
            const float t = length_squared > 0 ? std::clamp((px * dx + py * dy) / length_squared, 0.0f, 1.0f) : 0.0f;
            const float distance = std::hypot(px - t * dx, py - t * dy);
            const float coverage = std::clamp(radius + 0.5f - distance, 0.0f, 1.0f);
            if (coverage <= 0) continue;
            std::uint8_t& pixel = raster_[static_cast<std::size_t>(y) * kRasterSide + x];
            pixel = std::max(pixel, static_cast<std::uint8_t>(std::lround(coverage * 255.0f)));
        }
    }
}

}  // namespace fcnet::app
