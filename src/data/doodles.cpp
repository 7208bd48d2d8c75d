// The hand-drawn doodle generator declared in doodles.h: the ten kinds, one function each (local
// units about [-1, 1], y down), then draw_doodle (a pose, the hand of hand_drawing.h, a fit into [-1, 1]^2).
#include "data/doodles.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>

#include "core/error.h"
#include "data/hand_drawing.h"

namespace fcnet {
namespace {
using namespace hand;

// ============================================================================================
// The ten kinds
// ============================================================================================

// A roof (two lines from the wall tops, or beyond them with eaves) on walls: a pentagon in one
// stroke or five lines, a box with a roof on it, or the one-stroke "house of Nikolaus"; maybe
// with a door, a window and a chimney.
Strokes house(std::mt19937_64& rng) {
    const float width = uniform(rng, 1.0f, 1.8f), height = width * uniform(rng, 0.6f, 1.2f);
    const float roof = width * uniform(rng, 0.25f, 0.85f), left = -width / 2, right = width / 2;
    const CanvasPoint apex{width * symmetric(rng, 0.08f), -roof};
    const CanvasPoint top_left{left, 0}, top_right{right, 0}, bottom_left{left, height}, bottom_right{right, height};
    Strokes strokes;
    const float style = uniform(rng, 0, 1);
    if (style < 0.45f) {
        strokes = polygon(rng, {bottom_left, bottom_right, top_right, apex, top_left}, 0.4, 0.35);
    } else if (style < 0.85f) {
        strokes = polygon(rng, {top_left, top_right, bottom_right, bottom_left}, 0.5, 0.25);
        const float eaves = chance(rng, 0.5) ? uniform(rng, 0.05f, 0.3f) : 0.0f;  // overhang, fraction of a roof line
        const Polyline roof_line{apex + (1 + eaves) * (top_left - apex), apex, apex + (1 + eaves) * (top_right - apex)};
        if (chance(rng, 0.7)) {
            strokes.push_back(any_direction(rng, roof_line));
        } else {
            strokes.push_back(any_direction(rng, {roof_line[0], apex}));
            strokes.push_back(any_direction(rng, {apex, roof_line[2]}));
        }
    } else {
        const Polyline path{bottom_left, top_left,   top_right, bottom_left, bottom_right,
                            top_left,    apex,       top_right, bottom_right};  // every edge once
        strokes.push_back(any_direction(rng, chance(rng, 0.5) ? mirrored_x(path) : path));
    }
    Strokes details;
    const bool door_left = chance(rng, 0.5);
    if (chance(rng, 0.35)) {
        const float door_width = width * uniform(rng, 0.18f, 0.3f), door_top = height * uniform(rng, 0.35f, 0.6f);
        const float inset = width * uniform(rng, 0.1f, 0.2f), x = door_left ? left + inset : right - inset - door_width;
        const float x_right = x + door_width;
        details.push_back(any_direction(rng, {{x, height}, {x, door_top}, {x_right, door_top}, {x_right, height}}));
    }
    if (chance(rng, 0.3)) {
        const float side = width * uniform(rng, 0.15f, 0.25f), top = height * uniform(rng, 0.15f, 0.3f);
        const float x = door_left ? right - width * 0.12f - side : left + width * 0.12f;
        for (Polyline& line : polygon(rng, rectangle(x, top, x + side, top + side), 0.6, 0.4)) details.push_back(line);
    }
    if (chance(rng, 0.15)) {  // on the right roof line, its top below the apex
        const float along = uniform(rng, 0.45f, 0.65f), chimney_width = 0.1f * width;
        const CanvasPoint base = apex + along * (top_right - apex);
        const float slope = (top_right.y - apex.y) / (top_right.x - apex.x);
        const float top = base.y - roof * uniform(rng, 0.15f, 0.3f);
        const float right_x = base.x + chimney_width;
        details.push_back({base, {base.x, top}, {right_x, top}, {right_x, base.y + slope * chimney_width}});
    }
    add_details(rng, strokes, details);
    return strokes;
}

// A rectangle; sometimes crossed (diagonals or a plus), drawn as a cube, or with a lid on top.
Strokes box(std::mt19937_64& rng) {
    const float w = uniform(rng, 0.9f, 2.0f), h = uniform(rng, 0.9f, 2.0f);
    const float left = -w / 2, right = w / 2, top = -h / 2, bottom = h / 2;
    Strokes strokes = polygon(rng, rectangle(left, top, right, bottom), 0.5, 0.25);
    Strokes details;
    const float style = uniform(rng, 0, 1);
    if (style < 0.2f) {
        details = {any_direction(rng, {{left, top}, {right, bottom}}),  //
                   any_direction(rng, {{right, top}, {left, bottom}})};
    } else if (style < 0.3f) {
        details = {any_direction(rng, {{0, top}, {0, bottom}}), any_direction(rng, {{left, 0}, {right, 0}})};
    } else if (style < 0.45f) {  // a cube: the back edges seen above and to one side
        const float depth = std::min(w, h) * uniform(rng, 0.25f, 0.5f), angle = uniform(rng, 0.45f, 1.05f);
        const float side = chance(rng, 0.5) ? 1.0f : -1.0f, near_x = side * right, far_x = -near_x;
        const CanvasPoint back{side * depth * std::cos(angle), -depth * std::sin(angle)};
        const CanvasPoint far_top{far_x, top}, near_top{near_x, top}, near_bottom{near_x, bottom};
        details = {any_direction(rng, {far_top, far_top + back, near_top + back, near_bottom + back, near_bottom}),
                   any_direction(rng, {near_top, near_top + back})};
    } else if (style < 0.55f) {  // a lid: a flat rectangle a little wider than the box
        const float lid = h * uniform(rng, 0.12f, 0.25f), overhang = w * uniform(rng, 0.03f, 0.1f);
        details = polygon(rng, rectangle(left - overhang, top - lid, right + overhang, top), 0.6, 0.2);
    }
    add_details(rng, strokes, details);
    return strokes;
}

// Any shape of triangle (acute, right, obtuse), mostly pointing up.
Strokes triangle(std::mt19937_64& rng) {
    const float w = uniform(rng, 1.0f, 2.0f), h = uniform(rng, 0.8f, 1.8f), apex_x = w * symmetric(rng, 0.5f);
    Strokes strokes = polygon(rng, {{-w / 2, h / 2}, {w / 2, h / 2}, {apex_x, -h / 2}}, 0.65, 0.2);
    if (chance(rng, 0.25)) rotate_all(strokes, kPi / 2 * uniform_int(rng, 1, 3));
    return strokes;
}

// A pentagram in one stroke from any tip, or (less often) the outline of a star.
Strokes star(std::mt19937_64& rng) {
    Polyline tips;
    for (int i = 0; i < 5; ++i) {
        const float radius = uniform(rng, 0.85f, 1.1f);
        tips.push_back(polar(radius, -kPi / 2 + 2 * kPi * i / 5 + symmetric(rng, 0.1f)));
    }
    if (chance(rng, 0.8)) {
        const Polyline order{tips[0], tips[2], tips[4], tips[1], tips[3]};
        return {walk(order, uniform_int(rng, 0, 4), 5, chance(rng, 0.5))};
    }
    const float inner = uniform(rng, 0.33f, 0.45f);
    Polyline outline;
    for (int i = 0; i < 5; ++i) {
        outline.push_back(tips[i]);
        outline.push_back(polar(inner * uniform(rng, 0.9f, 1.1f), -kPi / 2 + 2 * kPi * (i + 0.5f) / 5));
    }
    return {walk(outline, 2 * uniform_int(rng, 0, 4), 10, chance(rng, 0.5))};
}

// A shaft (straight or curved) and a head (an open V or a closed triangle), pointing anywhere.
Strokes arrow(std::mt19937_64& rng) {
    const CanvasPoint tail{-1, 0}, tip{1, 0};
    const bool curved = chance(rng, 0.25);
    const CanvasPoint control{0, symmetric(rng, 0.6f)};
    const CanvasPoint heading = curved ? unit(tip - control) : CanvasPoint{1, 0};
    const float barb = uniform(rng, 0.35f, 0.7f), spread = uniform(rng, 0.4f, 0.85f);
    const CanvasPoint barb_a = tip - barb * rotated(heading, spread + symmetric(rng, 0.12f));
    const CanvasPoint barb_b = tip - barb * rotated(heading, -spread + symmetric(rng, 0.12f));
    const bool closed_head = chance(rng, 0.2);
    const CanvasPoint shaft_end = closed_head ? 0.5f * (barb_a + barb_b) : tip;
    const Polyline shaft = curved ? curve(tail, control, shaft_end) : Polyline{tail, shaft_end};
    Strokes strokes;
    const float style = uniform(rng, 0, 1);
    if (closed_head) {
        strokes = {shaft, walk({barb_a, tip, barb_b}, uniform_int(rng, 0, 2), 3, chance(rng, 0.5))};
    } else if (style < 0.5f) {
        strokes = {shaft, any_direction(rng, {barb_a, tip, barb_b})};
    } else if (style < 0.7f) {
        strokes = {joined(shaft, {tip, barb_a}), any_direction(rng, {tip, barb_b})};
    } else if (style < 0.85f) {
        strokes = {shaft, any_direction(rng, {tip, barb_a}), any_direction(rng, {tip, barb_b})};
    } else {
        strokes = {joined(shaft, {tip, barb_a, tip, barb_b})};
    }
    if (chance(rng, 0.3)) std::reverse(strokes.begin(), strokes.end());
    rotate_all(strokes, uniform(rng, 0, 2 * kPi));
    return strokes;
}

// One half of a heart, from the cleft at the top over a lobe to the tip at the bottom; the
// right half (x >= 0) of the classic curve or of a lobe-and-straight-line heart.
Polyline heart_half(std::mt19937_64& rng, bool rounded_v, float cleft, float exponent) {
    const float width = uniform(rng, 0.9f, 1.1f);
    Polyline half;
    if (rounded_v) {
        const float radius = uniform(rng, 0.45f, 0.55f), past = uniform(rng, 0.2f, 0.7f);
        half = arc({radius, -0.4f}, radius, radius * uniform(rng, 0.8f, 1.1f), kPi, 2 * kPi + past);
        half.push_back({0, 1});
    } else {
        for (int i = 0; i <= 24; ++i) {
            const float t = kPi * i / 24;
            const float height = 13 * std::cos(t) - cleft * std::cos(2 * t) - 2 * std::cos(3 * t) - std::cos(4 * t);
            half.push_back({std::pow(std::abs(std::sin(t)), exponent), -height / 14});
        }
    }
    for (CanvasPoint& p : half) p.x *= width;
    return half;
}

// Drawn in one stroke from the cleft (or from the tip), or as two halves from the cleft.
Strokes heart(std::mt19937_64& rng) {
    const bool rounded_v = chance(rng, 0.45);
    const float cleft = uniform(rng, 3.5f, 6.5f), exponent = uniform(rng, 2.3f, 3.4f);
    const Polyline right = heart_half(rng, rounded_v, cleft, exponent);
    const Polyline left = mirrored_x(heart_half(rng, rounded_v, cleft, exponent));
    const float style = uniform(rng, 0, 1);
    Strokes strokes;
    if (style < 0.6f) strokes = {any_direction(rng, joined(right, reversed(left)))};
    else if (style < 0.9f) strokes = {right, left};
    else strokes = {any_direction(rng, joined(reversed(right), left))};
    if (chance(rng, 0.5)) std::reverse(strokes.begin(), strokes.end());
    return strokes;
}

// An eye of a smiley at `at`: a dot, a short line, a little circle or a happy arch.
Polyline eye(std::mt19937_64& rng, int style, CanvasPoint at, float size) {
    switch (style) {
        case 0: return dot(rng, at);
        case 1: return any_direction(rng, {at - CanvasPoint{0, size}, at + CanvasPoint{0, size}});
        case 2: {
            const float start = uniform(rng, 0, 2 * kPi);
            return arc(at, size * 0.6f, size * 0.7f, start, start + 2 * kPi);
        }
        default: return arc(at + CanvasPoint{0, size * 0.5f}, size * 0.7f, size, kPi * 1.1f, kPi * 1.9f);
    }
}

// A smile (an arc), a straight mouth, a grin (an arc closed by a line) or a frown.
Polyline mouth(std::mt19937_64& rng, float mouth_y) {
    const float radius = uniform(rng, 0.3f, 0.55f);
    const float from = uniform(rng, 0.12f, 0.3f) * kPi, to = uniform(rng, 0.7f, 0.88f) * kPi;
    const CanvasPoint centre{symmetric(rng, 0.05f), mouth_y - radius * 0.6f};
    const float style = uniform(rng, 0, 1);
    if (style < 0.65f) return any_direction(rng, arc(centre, radius, radius * uniform(rng, 0.6f, 0.9f), from, to));
    if (style < 0.75f) return any_direction(rng, {{-radius * 0.7f, mouth_y}, {radius * 0.7f, mouth_y}});
    if (style < 0.9f) {
        Polyline grin = arc(centre, radius, radius, from, to);
        grin.push_back(grin.front());
        return grin;
    }
    return any_direction(rng, arc({centre.x, mouth_y + radius * 0.5f}, radius, radius * 0.5f, -to, -from));
}

// A face (a circle drawn round once, with a gap or an overlap), two eyes, a mouth, maybe a nose.
Strokes smiley(std::mt19937_64& rng) {
    const float start = uniform(rng, 0, 2 * kPi), turn = 2 * kPi + uniform(rng, -0.35f, 0.45f);
    const float direction = chance(rng, 0.7) ? 1.0f : -1.0f;
    const float radius_x = uniform(rng, 0.85f, 1.1f), radius_y = uniform(rng, 0.85f, 1.1f);
    const Polyline face = arc({0, 0}, radius_x, radius_y, start, start + direction * turn);
    const float eye_x = uniform(rng, 0.25f, 0.45f), eye_y = -uniform(rng, 0.2f, 0.45f);
    const float eye_size = uniform(rng, 0.08f, 0.17f);
    const int eye_style = uniform_int(rng, 0, 9) < 4 ? 0 : uniform_int(rng, 1, 3);
    const CanvasPoint right_eye{eye_x + symmetric(rng, 0.05f), eye_y + symmetric(rng, 0.05f)};
    Strokes features{eye(rng, eye_style, {-eye_x, eye_y}, eye_size), eye(rng, eye_style, right_eye, eye_size)};
    if (chance(rng, 0.5)) std::swap(features[0], features[1]);
    if (chance(rng, 0.2)) {  // a nose
        features.push_back(chance(rng, 0.5) ? dot(rng, {0, 0.05f}) : Polyline{{0, -0.05f}, {0, 0.15f}});
    }
    features.push_back(mouth(rng, uniform(rng, 0.3f, 0.5f)));
    Strokes strokes{face};
    if (chance(rng, 0.2)) strokes.insert(strokes.begin(), features.begin(), features.end());
    else strokes.insert(strokes.end(), features.begin(), features.end());
    return strokes;
}

// Parallel lines at `angle`, `count` of them, each drawn the same way or each either way.
Strokes parallel_lines(std::mt19937_64& rng, float angle, int count, float gap, bool same_way) {
    const float half_length = uniform(rng, 0.6f, 1.1f);
    Strokes lines;
    for (int i = 0; i < count; ++i) {
        const float across = gap * (i - (count - 1) / 2.0f), along = symmetric(rng, 0.15f);
        const float tilt = symmetric(rng, 0.08f), reach = half_length * uniform(rng, 0.85f, 1.15f);
        Polyline line{{along - reach, across}, {along + reach, across + 2 * reach * tilt}};
        if (!same_way) line = any_direction(rng, line);
        for (CanvasPoint& p : line) p = rotated(p, angle);
        lines.push_back(line);
    }
    return lines;
}

// Three to seven parallel lines, or two sets crossing (from a # to a grid), in any direction.
Strokes hatch(std::mt19937_64& rng) {
    const float angle = uniform(rng, 0, kPi);
    const bool crossed = chance(rng, 0.4), same_way = chance(rng, 0.7);
    const int count = uniform_int(rng, crossed ? 2 : 3, 7);
    Strokes strokes = parallel_lines(rng, angle, count, uniform(rng, 0.28f, 0.55f), same_way);
    if (crossed) {
        const float across_angle = angle + uniform(rng, 1.0f, 2.1f);
        const int across_count = uniform_int(rng, 2, 6);
        Strokes across = parallel_lines(rng, across_angle, across_count, uniform(rng, 0.28f, 0.55f), same_way);
        strokes.insert(strokes.end(), across.begin(), across.end());
    }
    return strokes;
}

// A check mark: a short arm down to the bottom, a long one up to the right (sometimes curved).
Strokes tick(std::mt19937_64& rng) {
    const CanvasPoint bottom{0, 0};
    // The arms rise at these angles (radians) from the horizontal, so they are 70 to 100 degrees apart.
    const float long_rise = uniform(rng, 0.75f, 1.15f);
    const float short_rise = std::min(uniform(rng, 0.6f, 1.05f), 1.95f - long_rise);
    const CanvasPoint start = bottom - polar(uniform(rng, 0.45f, 0.75f), short_rise);
    const CanvasPoint end = bottom + rotated({uniform(rng, 1.3f, 2.0f), 0}, -long_rise);
    const CanvasPoint pull = 0.5f * (bottom + end) + symmetric(rng, 0.2f) * perpendicular(end - bottom);
    Polyline line = chance(rng, 0.35) ? curve(bottom, pull, end) : Polyline{bottom, end};
    line.insert(line.begin(), start);
    return {chance(rng, 0.05) ? reversed(line) : line};
}

// The outline of a bolt (top edge, notches on both sides, a sharp tip), in one or two strokes,
// or a single zigzag stroke of three or five legs, sometimes with an arrowhead at the tip.
Strokes lightning_bolt(std::mt19937_64& rng) {
    const bool outline = chance(rng, 0.6);
    const float width = outline ? uniform(rng, 0.7f, 1.3f) : uniform(rng, 0.55f, 0.9f);
    const auto at = [&](float x, float y) {  // a corner where it is meant to be, give or take
        const float dx = symmetric(rng, 0.08f);
        return CanvasPoint{width * (x + dx), y + symmetric(rng, 0.06f)};
    };
    if (outline) {
        const Polyline corners{at(-0.05f, -1), at(0.5f, -1), at(0.05f, -0.05f), at(0.45f, -0.05f),
                               at(-0.45f, 1), at(-0.1f, 0.1f), at(-0.5f, 0.1f)};
        return polygon(rng, corners, 0.7, 0.0);
    }
    Polyline zigzag = chance(rng, 0.5)
                          ? Polyline{at(0.45f, -1), at(-0.35f, -0.05f), at(0.4f, 0.05f), at(-0.4f, 1)}
                          : Polyline{at(0.4f, -1),   at(-0.2f, -0.4f), at(0.25f, -0.3f),
                                     at(-0.2f, 0.3f), at(0.2f, 0.4f),  at(-0.35f, 1)};
    if (chance(rng, 0.35)) {
        const CanvasPoint tip = zigzag.back(), back = 0.3f * unit(zigzag[zigzag.size() - 2] - tip);
        return {zigzag, {tip + rotated(back, 0.6f), tip, tip + rotated(back, -0.6f)}};
    }
    return {chance(rng, 0.1) ? reversed(zigzag) : zigzag};
}

Strokes ideal_strokes(std::mt19937_64& rng, DoodleKind kind) {
    switch (kind) {
        case DoodleKind::house: return house(rng);
        case DoodleKind::box: return box(rng);
        case DoodleKind::triangle: return triangle(rng);
        case DoodleKind::star: return star(rng);
        case DoodleKind::arrow: return arrow(rng);
        case DoodleKind::heart: return heart(rng);
        case DoodleKind::smiley: return smiley(rng);
        case DoodleKind::hatch: return hatch(rng);
        case DoodleKind::tick: return tick(rng);
        case DoodleKind::lightning_bolt: return lightning_bolt(rng);
    }
    throw Error("draw_doodle: unknown doodle kind " + std::to_string(static_cast<int>(kind)));
}

// ============================================================================================
// draw_doodle
// ============================================================================================

}  // namespace

const char* doodle_kind_name(DoodleKind kind) {
    switch (kind) {
        case DoodleKind::house: return "house";
        case DoodleKind::box: return "box";
        case DoodleKind::triangle: return "triangle";
        case DoodleKind::star: return "star";
        case DoodleKind::arrow: return "arrow";
        case DoodleKind::heart: return "heart";
        case DoodleKind::smiley: return "smiley";
        case DoodleKind::hatch: return "hatch";
        case DoodleKind::tick: return "tick";
        case DoodleKind::lightning_bolt: return "lightning_bolt";
    }
    throw Error("doodle_kind_name: unknown doodle kind " + std::to_string(static_cast<int>(kind)));
}

std::vector<Polyline> draw_doodle(std::mt19937_64& rng, DoodleKind kind) {
    return drawn_by_hand(rng, ideal_strokes(rng, kind));
}

}  // namespace fcnet
