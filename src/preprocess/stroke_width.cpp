// Stroke-width normalisation declared in stroke_width.h: a chamfer distance transform to measure, Zhang-Suen thinning and a round brush to redraw.
#include "preprocess/stroke_width.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace fcnet {

namespace {

// Per-thread buffers, kept between calls.
struct WidthScratch {
    std::vector<std::uint8_t> stroke;     // (h + 2) x (w + 2): 1 where the ink is stroke, a background frame
    std::vector<int> distance;            // same grid: chamfer distance x 3 to the nearest background pixel
    std::vector<int> pixels;              // thinning: the stroke pixels left (indices into the grid)
    std::vector<int> removable;           // thinning: one sub-pass's removals
    std::vector<float> footprint;         // the redrawing brush's coverage around its centre
};
thread_local WidthScratch width_scratch;

constexpr int kFar = 1 << 28;

// Marks the stroke pixels (at least half the strongest ink) of `ink` on a grid one pixel larger
// on every side; returns false if there are none.
bool mark_stroke(const InkImage& ink, std::vector<std::uint8_t>& stroke) {
    const int w = ink.width + 2, h = ink.height + 2;
    stroke.assign(static_cast<std::size_t>(w) * h, 0);
    const float peak = ink.values.empty() ? 0.0f : *std::max_element(ink.values.begin(), ink.values.end());
    if (!(peak > 0)) return false;
    for (int y = 0; y < ink.height; ++y) {
        for (int x = 0; x < ink.width; ++x) {
            stroke[static_cast<std::size_t>(y + 1) * w + x + 1] =
                ink.values[static_cast<std::size_t>(y) * ink.width + x] >= 0.5f * peak;
        }
    }
    return true;
}

// Two-pass chamfer 3-4 distance transform of `stroke` (w x h with a background frame):
// distance = 3 x the distance in pixels from each stroke pixel to the nearest background pixel.
void chamfer_distance(const std::vector<std::uint8_t>& stroke, int w, int h, std::vector<int>& distance) {
    distance.assign(stroke.size(), 0);
    for (std::size_t i = 0; i < stroke.size(); ++i) distance[i] = stroke[i] ? kFar : 0;
    for (int y = 1; y < h - 1; ++y) {
        for (int x = 1; x < w - 1; ++x) {
            int& d = distance[static_cast<std::size_t>(y) * w + x];
            if (d == 0) continue;
            const int* up = &distance[static_cast<std::size_t>(y - 1) * w + x];
            d = std::min({d, distance[static_cast<std::size_t>(y) * w + x - 1] + 3, up[-1] + 4, up[0] + 3, up[1] + 4});
        }
    }
    for (int y = h - 2; y >= 1; --y) {
        for (int x = w - 2; x >= 1; --x) {
            int& d = distance[static_cast<std::size_t>(y) * w + x];
            if (d == 0) continue;
            const int* down = &distance[static_cast<std::size_t>(y + 1) * w + x];
            d = std::min({d, distance[static_cast<std::size_t>(y) * w + x + 1] + 3, down[-1] + 4, down[0] + 3, down[1] + 4});
        }
    }
}

float stroke_width_of(const InkImage& ink, WidthScratch& s) {
    if (!mark_stroke(ink, s.stroke)) return 0;
    const int w = ink.width + 2, h = ink.height + 2;
    chamfer_distance(s.stroke, w, h, s.distance);
    double sum = 0;
    std::int64_t pixels = 0;
    for (std::size_t i = 0; i < s.stroke.size(); ++i) {
        if (!s.stroke[i]) continue;
        sum += s.distance[i] / 3.0 - 0.5;
        ++pixels;
    }
    return pixels > 0 ? static_cast<float>(4 * sum / pixels) : 0.0f;
}

// Zhang and Suen (1984) thinning of `stroke` (w x h, background frame) to a one-pixel skeleton.
// Only the pixels still in the stroke are visited (`pixels`, compacted as they go), so the time
// is the stroke's area times half its width, not the image's.
void thin_to_skeleton(std::vector<std::uint8_t>& stroke, int w, int h, std::vector<int>& pixels,
                      std::vector<int>& removable) {
    pixels.clear();
    for (int i = w; i < w * (h - 1); ++i) {
        if (stroke[i]) pixels.push_back(i);
    }
    for (bool changed = true; changed;) {
        changed = false;
        for (int pass = 0; pass < 2; ++pass) {
            removable.clear();
            for (const int i : pixels) {
                // Neighbours p2..p9 clockwise from north.
                const std::uint8_t p[8] = {stroke[i - w], stroke[i - w + 1], stroke[i + 1], stroke[i + w + 1],
                                           stroke[i + w], stroke[i + w - 1], stroke[i - 1], stroke[i - w - 1]};
                int neighbours = 0, transitions = 0;
                for (int k = 0; k < 8; ++k) {
                    neighbours += p[k];
                    transitions += !p[k] && p[(k + 1) % 8];
                }
                if (neighbours < 2 || neighbours > 6 || transitions != 1) continue;
                const bool removed = pass == 0 ? !(p[0] && p[2] && p[4]) && !(p[2] && p[4] && p[6])
                                               : !(p[0] && p[2] && p[6]) && !(p[0] && p[4] && p[6]);
                if (removed) removable.push_back(i);
            }
            if (removable.empty()) continue;
            for (const int i : removable) stroke[i] = 0;
            pixels.erase(std::remove_if(pixels.begin(), pixels.end(), [&](int i) { return !stroke[i]; }), pixels.end());
            changed = true;
        }
    }
}

}  // namespace

float estimate_stroke_width(const InkImage& ink) { return stroke_width_of(ink, width_scratch); }

bool normalize_stroke_width(InkImage& ink, float target_fraction) {
    WidthScratch& s = width_scratch;
    const int longer = std::max(ink.width, ink.height);
    const float width = stroke_width_of(ink, s);
    if (longer == 0 || width <= 0) return false;
    const float fraction = width / static_cast<float>(longer);
    if (fraction <= target_fraction * kStrokeWidthTolerance && fraction >= target_fraction / kStrokeWidthTolerance) {
        return false;
    }
    if (fraction > kFilledShapeWidth) return false;
    const int w = ink.width + 2, h = ink.height + 2;
    thin_to_skeleton(s.stroke, w, h, s.pixels, s.removable);

    // The skeleton's extent L, then the brush width b that makes b / (L + b) = target_fraction.
    int x_begin = w, x_end = 0, y_begin = h, y_end = 0;
    for (int y = 0; y < h; ++y) {
        for (int x = 0; x < w; ++x) {
            if (!s.stroke[static_cast<std::size_t>(y) * w + x]) continue;
            x_begin = std::min(x_begin, x), x_end = std::max(x_end, x + 1);
            y_begin = std::min(y_begin, y), y_end = std::max(y_end, y + 1);
        }
    }
    if (x_end <= x_begin) return false;
    const float extent = static_cast<float>(std::max(x_end - x_begin, y_end - y_begin));
    const float radius = std::max(0.5f, 0.5f * target_fraction * extent / (1 - target_fraction));
    const int margin = static_cast<int>(std::ceil(radius)) + 1;

    // The brush's footprint (side x side, side = 2 margin + 1): a pixel's coverage by the disc
    // at its centre is radius + 0.5 - distance, clamped.
    const int side = 2 * margin + 1;
    s.footprint.resize(static_cast<std::size_t>(side) * side);
    for (int dy = -margin; dy <= margin; ++dy) {
        for (int dx = -margin; dx <= margin; ++dx) {
            s.footprint[static_cast<std::size_t>(dy + margin) * side + dx + margin] = std::clamp(
                radius + 0.5f - std::hypot(static_cast<float>(dx), static_cast<float>(dy)), 0.0f, 1.0f);
        }
    }
    // The redrawn ink (out_h x out_w): the skeleton box plus a margin the brush reaches into,
    // each pixel the largest coverage of the footprints at the skeleton pixels.
    const int out_w = x_end - x_begin + 2 * margin, out_h = y_end - y_begin + 2 * margin;
    ink.width = out_w, ink.height = out_h;
    ink.values.assign(static_cast<std::size_t>(out_w) * out_h, 0.0f);
    for (int sy = y_begin; sy < y_end; ++sy) {
        for (int sx = x_begin; sx < x_end; ++sx) {
            if (!s.stroke[static_cast<std::size_t>(sy) * w + sx]) continue;
            // The footprint's top-left corner lands on (sx - x_begin, sy - y_begin).
            for (int fy = 0; fy < side; ++fy) {
                float* row = ink.values.data() + static_cast<std::size_t>(sy - y_begin + fy) * out_w + (sx - x_begin);
                const float* stamp = s.footprint.data() + static_cast<std::size_t>(fy) * side;
                for (int fx = 0; fx < side; ++fx) row[fx] = std::max(row[fx], stamp[fx]);
            }
        }
    }
    return true;
}

}  // namespace fcnet
