// The hand-drawn digit generator declared in hand_digits.h: each form's ideal strokes, then the hand of hand_drawing.h.
#include "data/hand_digits.h"

#include <cmath>
#include <string>

#include "core/error.h"
#include "data/hand_drawing.h"

namespace fcnet {
namespace {

using namespace hand;

// Ideal strokes in a box about 2 high (y from -1 at the top to 1 at the bottom, down), centred
// on x = 0; `w` is half the digit's width. Angles in radians, y down: 0 right, pi/2
// the bottom, -pi/2 the top; increasing angles run clockwise on screen.

Strokes zero(std::mt19937_64& rng, float w) {
    const float start = -kPi / 2 + symmetric(rng, 0.5f);                // near the top
    const float turn = chance(rng, 0.8) ? -1.0f : 1.0f;                 // mostly counter-clockwise
    const float sweep = 2 * kPi + uniform(rng, -0.35f, 0.45f);          // a gap or an overlap
    return {arc({0, 0}, w * uniform(rng, 0.75f, 1.05f), 1, start, start + turn * sweep)};
}

// 0: a bar; 1: with a flag, short or long, steep or flat; 2: with a flag and a foot.
Strokes one(std::mt19937_64& rng, int form) {
    const CanvasPoint top{symmetric(rng, 0.08f), -1}, bottom{symmetric(rng, 0.08f), 1};
    if (form == 0) return {{top, bottom}};
    const float flag = uniform(rng, 0.25f, 1.3f), angle = uniform(rng, 0.35f, 1.2f);  // below the horizontal
    const CanvasPoint flag_start = top + flag * CanvasPoint{-std::cos(angle), std::sin(angle)};
    Polyline stroke = chance(rng, 0.3) ? curve(flag_start, top + CanvasPoint{-0.15f * flag, 0.05f}, top)
                                       : Polyline{flag_start, top};
    stroke.push_back(bottom);
    if (form == 1) return {stroke};
    const float foot = uniform(rng, 0.25f, 0.5f);
    return {stroke, {bottom - CanvasPoint{foot, 0}, bottom + CanvasPoint{foot * uniform(rng, 0.8f, 1.2f), 0}}};
}

// 0: a bowl, a diagonal and a base; 1: the same with a small loop where the base starts.
Strokes two(std::mt19937_64& rng, int form, float w) {
    Polyline stroke = arc({0, -0.45f}, w, 0.55f, kPi + uniform(rng, 0.1f, 0.6f), 2 * kPi + uniform(rng, 0.2f, 0.7f));
    const CanvasPoint corner{-w * uniform(rng, 0.75f, 1.05f), 1}, end{w * uniform(rng, 0.8f, 1.2f), 1 + symmetric(rng, 0.06f)};
    if (form == 0) {
        stroke.push_back(corner);
    } else {
        const float r = uniform(rng, 0.1f, 0.2f);
        const CanvasPoint centre = corner + CanvasPoint{0.6f * r, -0.9f * r};
        const float start = std::atan2(corner.y - centre.y, corner.x - centre.x);
        stroke = then(stroke, arc(centre, r, r, start, start - 2 * kPi));
    }
    stroke.push_back(end);
    return {stroke};
}

// 0: two bows; 1: a flat top, a diagonal, then the lower bow.
Strokes three(std::mt19937_64& rng, int form, float w) {
    const Polyline lower = arc({0, 0.48f}, w, 0.52f, -kPi / 2 - uniform(rng, 0.0f, 0.5f), kPi / 2 + uniform(rng, 0.4f, 1.1f));
    if (form == 0) {
        const Polyline upper = arc({0, -0.5f}, 0.9f * w, 0.5f, kPi + uniform(rng, 0.2f, 0.8f),
                                   2.5f * kPi + uniform(rng, 0.0f, 0.5f));
        return {then(upper, lower)};
    }
    return {then({{-w, -1}, {w, -1 + symmetric(rng, 0.06f)}, {-0.15f * w, -0.1f}}, lower)};
}

// 0: closed in one stroke (stem up, diagonal, bar); 1: closed, the stem drawn second; 2: open,
// an L and a stem; 3: open in one stroke, the stem going down from the bar's end; 4: open like
// a u, then the stem.
Strokes four(std::mt19937_64& rng, int form, float w) {
    const float stem = w * uniform(rng, 0.15f, 0.5f), bar = uniform(rng, 0.05f, 0.45f);
    const CanvasPoint left{-w, bar}, right{w * uniform(rng, 0.8f, 1.2f), bar + symmetric(rng, 0.08f)};
    const CanvasPoint stem_top{stem, -1 + uniform(rng, 0.0f, 0.4f)}, stem_bottom{stem + symmetric(rng, 0.1f), 1};
    const CanvasPoint open_top{-w * uniform(rng, 0.4f, 1.0f), -1};
    switch (form) {
        case 0: return {{stem_bottom, {stem, -1}, left, right}};
        case 1: return {{{stem, -1}, left, right}, {stem_top, stem_bottom}};
        case 2: return {{open_top, left, right}, {stem_top, stem_bottom}};
        case 3: {  // the first line steep, or a diagonal like the closed 4's
            const CanvasPoint start{w * uniform(rng, -1.0f, 0.3f), -1};
            return {{start, left, {stem, bar}, stem_bottom}};
        }
        default: {
            const CanvasPoint u_end{stem, -1 + uniform(rng, 0.1f, 0.6f)};
            return {curve(open_top, {-w * 0.9f, bar + uniform(rng, 0.2f, 0.5f)}, u_end), {stem_top, stem_bottom}};
        }
    }
}

// 0: stem and belly, then the flag; 1: flag, stem and belly in one stroke.
Strokes five(std::mt19937_64& rng, int form, float w) {
    const CanvasPoint flag_left{-w * uniform(rng, 0.6f, 0.9f), -1}, flag_right{w * uniform(rng, 0.7f, 1.1f), -1 + symmetric(rng, 0.08f)};
    const float belly_top = -kPi / 2 - uniform(rng, 0.5f, 1.0f);  // where the stem meets the belly
    const Polyline belly = arc({0, 0.42f}, w, 0.58f, belly_top, kPi / 2 + uniform(rng, 0.4f, 1.1f));
    if (form == 0) {
        Polyline flag{flag_left, flag_right};
        if (chance(rng, 0.3)) std::swap(flag[0], flag[1]);
        return {then({flag_left}, belly), flag};
    }
    return {then({flag_right, flag_left}, belly)};
}

// A stroke from the top right down the left side into a loop, closed counter-clockwise.
Strokes six(std::mt19937_64& rng, float w) {
    const float ry = uniform(rng, 0.45f, 0.6f), cy = 1 - ry;
    const Polyline stem = curve({w * uniform(rng, 0.2f, 0.9f), -1}, {-w * uniform(rng, 0.6f, 1.3f), -0.6f}, {-w, cy});
    return {then(stem, arc({0, cy}, w, ry, kPi, -kPi + uniform(rng, 0.2f, 0.9f)))};
}

// 0: plain; 1: crossed; 2: with a hooked top; 3: with a curly top and a curved stem.
Strokes seven(std::mt19937_64& rng, int form, float w) {
    const CanvasPoint top_left{-w, -1 + symmetric(rng, 0.05f)}, top_right{w, -1 + symmetric(rng, 0.05f)};
    const CanvasPoint bottom{-w * uniform(rng, -0.1f, 0.6f), 1};
    switch (form) {
        case 0: return {{top_left, top_right, bottom}};
        case 1: {
            const CanvasPoint middle = 0.5f * (top_right + bottom);
            return {{top_left, top_right, bottom},
                    {middle - CanvasPoint{uniform(rng, 0.25f, 0.5f), 0}, middle + CanvasPoint{uniform(rng, 0.2f, 0.45f), 0}}};
        }
        case 2: return {{top_left + CanvasPoint{0, uniform(rng, 0.15f, 0.45f)}, top_left, top_right, bottom}};
        default: {
            const Polyline curl = curve(top_left + CanvasPoint{0, 0.25f}, top_left + CanvasPoint{0.1f, -0.2f},
                                        top_left + CanvasPoint{0.5f * w, 0});
            const CanvasPoint bend{w * uniform(rng, 0.0f, 0.6f), 0.1f};
            return {then(curl, curve(top_right, bend, bottom))};
        }
    }
}

// 0: two rings; 1: one stroke crossing itself; 2: an S, then a line back up through it.
Strokes eight(std::mt19937_64& rng, int form, float w) {
    const float middle = symmetric(rng, 0.15f);
    if (form == 0) {
        const float start = uniform(rng, 0, 2 * kPi), turn = chance(rng, 0.7) ? -1.0f : 1.0f;
        return {arc({0, (middle - 1) / 2}, 0.8f * w, (middle + 1) / 2, start, start + turn * 2 * kPi),
                arc({0, (middle + 1) / 2}, w, (1 - middle) / 2, start, start - turn * 2 * kPi)};
    }
    const float mirror = chance(rng, 0.8) ? 1.0f : -1.0f, end = form == 1 ? 2 * kPi + uniform(rng, 0.0f, 0.3f) : kPi;
    Polyline stroke;
    for (float t = 0; t <= end; t += kPi / 24) {
        stroke.push_back({mirror * w * std::sin(2 * t), -std::cos(t) + middle * std::sin(t / 2)});
    }
    if (form == 2) stroke.push_back({w * symmetric(rng, 0.2f), -1});
    return {stroke};
}

// 0: a loop and a straight stem; 1: a loop and a tail hooked to the left; 2: the loop, then the stem on its own.
Strokes nine(std::mt19937_64& rng, int form, float w) {
    const float rx = 0.85f * w, ry = uniform(rng, 0.4f, 0.55f), cy = -1 + ry, start = symmetric(rng, 0.4f);
    const Polyline loop = arc({0, cy}, rx, ry, start, start - 2 * kPi - uniform(rng, -0.2f, 0.4f));
    const CanvasPoint bottom{rx * uniform(rng, 0.3f, 1.0f), 1};
    switch (form) {
        case 0: return {then(loop, {bottom})};
        case 1: {  // the tail hooked to the left
            const CanvasPoint tail_end{-rx * uniform(rng, 0.3f, 0.9f), uniform(rng, 0.6f, 0.9f)};
            return {then(loop, curve({rx, cy}, {rx * 1.05f, 1.1f}, tail_end))};
        }
        default: return {loop, {{rx, cy - uniform(rng, 0.0f, ry)}, bottom}};
    }
}

constexpr int kForms[10] = {1, 3, 2, 2, 5, 2, 1, 4, 3, 3};

Strokes ideal_digit(std::mt19937_64& rng, int digit, int form) {
    const float w = uniform(rng, 0.38f, 0.68f);  // half the width; the height is 2
    switch (digit) {
        case 0: return zero(rng, w);
        case 1: return one(rng, form);
        case 2: return two(rng, form, w);
        case 3: return three(rng, form, w);
        case 4: return four(rng, form, w);
        case 5: return five(rng, form, w);
        case 6: return six(rng, w);
        case 7: return seven(rng, form, w);
        case 8: return eight(rng, form, w);
        default: return nine(rng, form, w);
    }
}

}  // namespace

int hand_digit_forms(int digit) {
    if (digit < 0 || digit > 9) throw Error("hand_digit_forms: no digit " + std::to_string(digit));
    return kForms[digit];
}

std::vector<Polyline> draw_hand_digit(std::mt19937_64& rng, int digit, int form) {
    if (form < 0 || form >= hand_digit_forms(digit)) {
        throw Error("draw_hand_digit: the digit " + std::to_string(digit) + " has no form " + std::to_string(form));
    }
    return drawn_by_hand(rng, ideal_digit(rng, digit, form));
}

std::vector<Polyline> draw_hand_digit(std::mt19937_64& rng, int digit) {
    const int form = std::uniform_int_distribution<int>(0, hand_digit_forms(digit) - 1)(rng);
    return draw_hand_digit(rng, digit, form);
}

}  // namespace fcnet
