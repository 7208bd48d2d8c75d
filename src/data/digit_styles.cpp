// The hand-designed digit styles of digit_styles.h, built from arcs and straight segments.
#include "data/digit_styles.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace fcnet {

namespace {

constexpr float kPi = 3.14159265358979f;

// Points on the ellipse around (x, y) with radii (rx, ry) from angle `from` to `to` in degrees
// (0 = right, 90 = down, 270 = up), `to` may exceed 360 to go round further.
Polyline arc(float x, float y, float rx, float ry, float from, float to) {
    Polyline points;
    const int steps = std::max(8, static_cast<int>(std::abs(to - from) / 8));
    for (int i = 0; i <= steps; ++i) {
        const float angle = (from + (to - from) * i / steps) * kPi / 180;
        points.push_back({x + rx * std::cos(angle), y + ry * std::sin(angle)});
    }
    return points;
}

Polyline join(Polyline first, const Polyline& second) {
    first.insert(first.end(), second.begin(), second.end());
    return first;
}

std::array<std::vector<DigitStyle>, 10> make_digit_styles() {
    std::array<std::vector<DigitStyle>, 10> styles;
    styles[0] = {{arc(0.5f, 0.5f, 0.28f, 0.48f, 270, 640)},                        // an oval, ends overlapping
                 {arc(0.5f, 0.5f, 0.22f, 0.47f, 250, 610)}};                       // a narrow one
    styles[1] = {{{{0.5f, 0.0f}, {0.5f, 1.0f}}},                                   // a bar
                 {{{0.3f, 0.2f}, {0.52f, 0.0f}, {0.52f, 1.0f}}},                   // with a flag
                 {{{0.3f, 0.2f}, {0.52f, 0.0f}, {0.52f, 1.0f}}, {{0.3f, 1.0f}, {0.74f, 1.0f}}}};  // serifs
    styles[2] = {{join(arc(0.5f, 0.28f, 0.26f, 0.26f, 190, 390), {{0.22f, 1.0f}, {0.8f, 1.0f}})},
                 {join(arc(0.48f, 0.3f, 0.27f, 0.28f, 200, 400), {{0.3f, 0.85f}, {0.2f, 0.98f}, {0.85f, 0.96f}})}};
    styles[3] = {{join(arc(0.5f, 0.26f, 0.23f, 0.24f, 200, 450), arc(0.5f, 0.73f, 0.27f, 0.26f, 270, 520))},
                 {join({{0.22f, 0.02f}, {0.76f, 0.02f}, {0.45f, 0.42f}}, arc(0.5f, 0.7f, 0.28f, 0.28f, 250, 510))}};
    styles[4] = {{{{0.62f, 1.0f}, {0.62f, 0.0f}, {0.12f, 0.66f}, {0.86f, 0.66f}}},  // closed, one stroke
                 {{{0.3f, 0.0f}, {0.2f, 0.6f}, {0.82f, 0.6f}}, {{0.66f, 0.25f}, {0.66f, 1.0f}}},  // open
                 {{{0.25f, 0.0f}, {0.25f, 0.55f}, {0.8f, 0.55f}}, {{0.68f, 0.0f}, {0.68f, 1.0f}}}};  // open, square
    styles[5] = {{join({{0.76f, 0.03f}, {0.32f, 0.03f}, {0.29f, 0.46f}}, arc(0.5f, 0.69f, 0.27f, 0.28f, 220, 505))},
                 {join({{0.32f, 0.03f}, {0.29f, 0.46f}}, arc(0.5f, 0.69f, 0.27f, 0.28f, 220, 505)),
                  {{0.32f, 0.03f}, {0.78f, 0.03f}}}};  // the flag drawn last
    styles[6] = {{join({{0.7f, 0.02f}, {0.45f, 0.16f}, {0.3f, 0.4f}, {0.24f, 0.7f}}, arc(0.5f, 0.7f, 0.26f, 0.28f, 180, 540))},
                 {join(arc(0.75f, 0.55f, 0.5f, 0.55f, 265, 180), arc(0.5f, 0.72f, 0.25f, 0.26f, 180, 540))}};
    styles[7] = {{{{0.2f, 0.04f}, {0.8f, 0.04f}, {0.42f, 1.0f}}},
                 {{{0.2f, 0.04f}, {0.8f, 0.04f}, {0.42f, 1.0f}}, {{0.35f, 0.5f}, {0.78f, 0.5f}}},  // crossed
                 {{{0.2f, 0.16f}, {0.2f, 0.04f}, {0.8f, 0.04f}, {0.46f, 1.0f}}}};               // with a hook
    styles[8] = {{arc(0.5f, 0.26f, 0.2f, 0.24f, 90, 450), arc(0.5f, 0.74f, 0.26f, 0.25f, 270, 630)},  // two rings
                 {[] {  // one stroke crossing itself in the middle
                     Polyline points;
                     for (int i = 0; i <= 64; ++i) {
                         const float t = 2 * kPi * i / 64;
                         points.push_back({0.5f + 0.24f * std::sin(2 * t), 0.5f - 0.48f * std::cos(t)});
                     }
                     return points;
                 }()}};
    styles[9] = {{arc(0.5f, 0.28f, 0.24f, 0.26f, 0, 360), {{0.74f, 0.28f}, {0.7f, 1.0f}}},
                 {join(arc(0.5f, 0.28f, 0.24f, 0.26f, 0, -360), {{0.72f, 0.6f}, {0.6f, 0.92f}, {0.45f, 1.0f}})},
                 {join(arc(0.48f, 0.3f, 0.25f, 0.27f, 10, -350), {{0.73f, 1.0f}})}};
    return styles;
}

}  // namespace

const std::array<std::vector<DigitStyle>, 10>& digit_styles() {
    static const std::array<std::vector<DigitStyle>, 10> styles = make_digit_styles();
    return styles;
}

}  // namespace fcnet
