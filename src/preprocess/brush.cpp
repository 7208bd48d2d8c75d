// The round brush and the polygon filler declared in brush.h.
#include "preprocess/brush.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/error.h"

namespace fcnet {

PolylineBounds bounds_of(const std::vector<Polyline>& lines) {
    PolylineBounds b;
    for (const Polyline& line : lines) {
        for (const CanvasPoint& p : line) {
            b.x_min = std::min(b.x_min, p.x), b.x_max = std::max(b.x_max, p.x);
            b.y_min = std::min(b.y_min, p.y), b.y_max = std::max(b.y_max, p.y);
        }
    }
    return b;
}

void fit_unit_box(std::vector<Polyline>& lines) {
    const PolylineBounds b = bounds_of(lines);
    const float scale = 2 / std::max({b.width(), b.height(), 1e-6f});
    const float mid_x = (b.x_min + b.x_max) / 2, mid_y = (b.y_min + b.y_max) / 2;
    for (Polyline& line : lines) {
        for (CanvasPoint& p : line) {
            p = {std::clamp((p.x - mid_x) * scale, -1.0f, 1.0f), std::clamp((p.y - mid_y) * scale, -1.0f, 1.0f)};
        }
    }
}
namespace {

constexpr int kSubRows = 4;  // fill_contours samples each pixel row this many times

void check_ink(const char* function, float ink) {
    if (!(ink >= 0.0f && ink <= 1.0f)) {
        throw Error(std::string(function) + ": the ink level is " + std::to_string(ink) + ", expected [0, 1]");
    }
}

// Squared distance from (px, py) to the segment a-b (a point when a == b).
float squared_distance_to_segment(float px, float py, CanvasPoint a, CanvasPoint b) {
    const float dx = b.x - a.x, dy = b.y - a.y;
    const float length_squared = dx * dx + dy * dy;
    float t = 0;
    if (length_squared > 0) t = std::clamp(((px - a.x) * dx + (py - a.y) * dy) / length_squared, 0.0f, 1.0f);
    const float ex = px - (a.x + t * dx), ey = py - (a.y + t * dy);
    return ex * ex + ey * ey;
}

// Pixel index range [begin, end) touched by [low, high] on an axis of `size` pixels.
void pixel_range(float low, float high, int size, int& begin, int& end) {
    begin = std::max(0, static_cast<int>(std::floor(std::max(low, -1.0f))));
    end = std::min(size, static_cast<int>(std::ceil(std::min(high, static_cast<float>(size) + 1))));
}

}  // namespace

GrayCanvas::GrayCanvas(int width_, int height_, float background) : width(width_), height(height_) {
    if (width <= 0 || height <= 0) {
        throw Error("GrayCanvas: the canvas is " + std::to_string(width) + " x " + std::to_string(height) +
                    " pixels; width and height must be positive");
    }
    check_ink("GrayCanvas background", background);
    values.assign(static_cast<std::size_t>(width) * height, background);
}

float ink_level(Polarity polarity, float strength) {
    check_ink("ink_level strength", strength);
    switch (polarity) {
        case Polarity::light_on_dark: return strength;
        case Polarity::dark_on_light: return 1.0f - strength;
        default: throw Error("ink_level: the polarity must be light_on_dark or dark_on_light, not detect");
    }
}

void stroke_polyline(GrayCanvas& canvas, const Polyline& points, float width, float ink, bool closed) {
    if (!(width > 0 && std::isfinite(width))) {
        throw Error("stroke_polyline: the brush width is " + std::to_string(width) + ", expected a positive number");
    }
    check_ink("stroke_polyline", ink);
    if (points.empty()) return;
    const float reach = width / 2 + 0.5f;  // coverage is zero beyond this distance from the line
    float x_low = points[0].x, x_high = x_low, y_low = points[0].y, y_high = y_low;
    for (const CanvasPoint& point : points) {
        x_low = std::min(x_low, point.x), x_high = std::max(x_high, point.x);
        y_low = std::min(y_low, point.y), y_high = std::max(y_high, point.y);
    }
    int x_begin, x_end, y_begin, y_end;
    pixel_range(x_low - reach, x_high + reach, canvas.width, x_begin, x_end);
    pixel_range(y_low - reach, y_high + reach, canvas.height, y_begin, y_end);
    if (x_begin >= x_end || y_begin >= y_end) return;
    const int box_width = x_end - x_begin;
    std::vector<float> coverage(static_cast<std::size_t>(box_width) * (y_end - y_begin), 0.0f);

    const std::size_t segments = points.size() == 1 ? 1 : (closed ? points.size() : points.size() - 1);
    for (std::size_t s = 0; s < segments; ++s) {
        const CanvasPoint a = points[s], b = points[(s + 1) % points.size()];
        int sx_begin, sx_end, sy_begin, sy_end;
        pixel_range(std::min(a.x, b.x) - reach, std::max(a.x, b.x) + reach, canvas.width, sx_begin, sx_end);
        pixel_range(std::min(a.y, b.y) - reach, std::max(a.y, b.y) + reach, canvas.height, sy_begin, sy_end);
        for (int y = sy_begin; y < sy_end; ++y) {
            float* row = coverage.data() + static_cast<std::size_t>(y - y_begin) * box_width - x_begin;
            for (int x = sx_begin; x < sx_end; ++x) {
                const float squared = squared_distance_to_segment(x + 0.5f, y + 0.5f, a, b);
                if (squared >= reach * reach || row[x] >= 1.0f) continue;
                const float covered = reach - std::sqrt(squared);
                if (covered > row[x]) row[x] = std::min(covered, 1.0f);
            }
        }
    }
    for (int y = y_begin; y < y_end; ++y) {
        const float* row = coverage.data() + static_cast<std::size_t>(y - y_begin) * box_width - x_begin;
        for (int x = x_begin; x < x_end; ++x) {
            if (row[x] > 0) canvas.at(x, y) += (ink - canvas.at(x, y)) * row[x];
        }
    }
}

void fill_contours(GrayCanvas& canvas, const std::vector<Polyline>& contours, float ink) {
    check_ink("fill_contours", ink);
    struct Crossing {
        float x;
        int direction;  // +1 where the edge runs down (y grows), -1 where it runs up
    };
    float y_low = INFINITY, y_high = -INFINITY;
    for (const Polyline& contour : contours) {
        for (const CanvasPoint& point : contour) y_low = std::min(y_low, point.y), y_high = std::max(y_high, point.y);
    }
    int y_begin, y_end;
    pixel_range(y_low, y_high, canvas.height, y_begin, y_end);
    std::vector<float> coverage(canvas.width);
    std::vector<Crossing> crossings;
    for (int y = y_begin; y < y_end; ++y) {
        std::fill(coverage.begin(), coverage.end(), 0.0f);
        for (int sub_row = 0; sub_row < kSubRows; ++sub_row) {
            const float sample_y = y + (sub_row + 0.5f) / kSubRows;
            crossings.clear();
            for (const Polyline& contour : contours) {
                for (std::size_t i = 0; i < contour.size(); ++i) {
                    const CanvasPoint a = contour[i], b = contour[(i + 1) % contour.size()];
                    // Half-open in y so a vertex shared by two edges is crossed once.
                    if ((a.y <= sample_y) == (b.y <= sample_y)) continue;
                    crossings.push_back({a.x + (sample_y - a.y) * (b.x - a.x) / (b.y - a.y), b.y > a.y ? 1 : -1});
                }
            }
            std::sort(crossings.begin(), crossings.end(),
                      [](const Crossing& l, const Crossing& r) { return l.x < r.x; });
            int winding = 0;
            float span_start = 0;
            for (const Crossing& crossing : crossings) {
                const int before = winding;
                winding += crossing.direction;
                if (before == 0 && winding != 0) span_start = crossing.x;
                if (before == 0 || winding != 0) continue;
                // The span [span_start, crossing.x] is inside: add each pixel's covered length.
                const float start = std::max(span_start, 0.0f);
                const float end = std::min(crossing.x, static_cast<float>(canvas.width));
                for (int x = static_cast<int>(std::floor(start)); x < end; ++x) {
                    coverage[x] += (std::min(end, x + 1.0f) - std::max(start, static_cast<float>(x))) / kSubRows;
                }
            }
        }
        for (int x = 0; x < canvas.width; ++x) {
            if (coverage[x] > 0) canvas.at(x, y) += (ink - canvas.at(x, y)) * std::min(coverage[x], 1.0f);
        }
    }
}

}  // namespace fcnet
