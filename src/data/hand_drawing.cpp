// The hand that draws doodles, letters and digits (hand_drawing.h): helpers, ideal strokes, and a person's wobble.
#include "data/hand_drawing.h"

#include <algorithm>
#include <cmath>

namespace fcnet::hand {

// ============================================================================================
// Random helpers and point arithmetic
// ============================================================================================

float uniform(std::mt19937_64& rng, float low, float high) {
    return std::uniform_real_distribution<float>(low, high)(rng);
}
float symmetric(std::mt19937_64& rng, float magnitude) { return uniform(rng, -magnitude, magnitude); }
int uniform_int(std::mt19937_64& rng, int low, int high) {  // in [low, high]
    return std::uniform_int_distribution<int>(low, high)(rng);
}
bool chance(std::mt19937_64& rng, double probability) { return std::bernoulli_distribution(probability)(rng); }
float log_uniform(std::mt19937_64& rng, float low, float high) {
    return std::exp(uniform(rng, std::log(low), std::log(high)));
}
float normal(std::mt19937_64& rng, float deviation) { return std::normal_distribution<float>(0, deviation)(rng); }

CanvasPoint operator+(CanvasPoint a, CanvasPoint b) { return {a.x + b.x, a.y + b.y}; }
CanvasPoint operator-(CanvasPoint a, CanvasPoint b) { return {a.x - b.x, a.y - b.y}; }
CanvasPoint operator*(float k, CanvasPoint a) { return {k * a.x, k * a.y}; }
float length(CanvasPoint v) { return std::hypot(v.x, v.y); }
CanvasPoint unit(CanvasPoint v) {
    const float l = length(v);
    return l > 0 ? (1 / l) * v : CanvasPoint{1, 0};
}
CanvasPoint perpendicular(CanvasPoint v) { return {-v.y, v.x}; }
CanvasPoint rotated(CanvasPoint p, float angle) {
    const float c = std::cos(angle), s = std::sin(angle);
    return {c * p.x - s * p.y, s * p.x + c * p.y};
}
CanvasPoint polar(float radius, float angle) { return {radius * std::cos(angle), radius * std::sin(angle)}; }

Polyline reversed(Polyline line) {
    std::reverse(line.begin(), line.end());
    return line;
}
Polyline joined(Polyline first, const Polyline& second) {  // second starts where first ends
    first.insert(first.end(), second.begin() + 1, second.end());
    return first;
}
Polyline then(Polyline first, const Polyline& second) {
    first.insert(first.end(), second.begin(), second.end());
    return first;
}
Polyline mirrored_x(Polyline line) {
    for (CanvasPoint& p : line) p.x = -p.x;
    return line;
}
void rotate_all(Strokes& strokes, float angle) {
    for (Polyline& line : strokes)
        for (CanvasPoint& p : line) p = rotated(p, angle);
}
// Either way round, with probability 1/2.
Polyline any_direction(std::mt19937_64& rng, Polyline line) {
    return chance(rng, 0.5) ? reversed(std::move(line)) : line;
}

// Appends `extra` to `strokes`, usually after them, sometimes with all of them in a random order.
void add_details(std::mt19937_64& rng, Strokes& strokes, Strokes extra) {
    std::shuffle(extra.begin(), extra.end(), rng);
    strokes.insert(strokes.end(), extra.begin(), extra.end());
    if (chance(rng, 0.15)) std::shuffle(strokes.begin(), strokes.end(), rng);
}

// ============================================================================================
// Ideal strokes
// ============================================================================================


// The ellipse arc around `centre` from angle `from` to `to` (radians; y down, so increasing
// angles run clockwise on screen), a point every 7.5 degrees.
Polyline arc(CanvasPoint centre, float radius_x, float radius_y, float from, float to) {
    const int steps = std::max(2, static_cast<int>(std::ceil(std::abs(to - from) / (kPi / 24))));
    Polyline line;
    for (int i = 0; i <= steps; ++i) {
        const float t = from + (to - from) * i / steps;
        line.push_back({centre.x + radius_x * std::cos(t), centre.y + radius_y * std::sin(t)});
    }
    return line;
}

// The quadratic Bezier curve from a to b pulled towards `control`, in 12 pieces.
Polyline curve(CanvasPoint a, CanvasPoint control, CanvasPoint b) {
    Polyline line;
    for (int i = 0; i <= 12; ++i) {
        const float t = i / 12.0f;
        line.push_back((1 - t) * (1 - t) * a + 2 * t * (1 - t) * control + t * t * b);
    }
    return line;
}

// The corners of a polygon visited from corner `start`, forwards or backwards, `edges` edges on.
Polyline walk(const Polyline& corners, int start, int edges, bool backwards) {
    const int n = static_cast<int>(corners.size());
    Polyline line;
    for (int i = 0; i <= edges; ++i) line.push_back(corners[((start + (backwards ? -i : i)) % n + n) % n]);
    return line;
}

// A closed polygon as a person draws it: one stroke from any corner either way round (back
// to where it began), each edge a line of its own in any order and direction, or two strokes
// that meet at two corners.
Strokes polygon(std::mt19937_64& rng, const Polyline& corners, double one_stroke, double separate_lines) {
    const int n = static_cast<int>(corners.size());
    const int start = uniform_int(rng, 0, n - 1);
    const bool backwards = chance(rng, 0.5);
    const float style = uniform(rng, 0, 1);
    if (style < one_stroke) return {walk(corners, start, n, backwards)};
    if (style < one_stroke + separate_lines) {
        Strokes lines;
        for (int i = 0; i < n; ++i) lines.push_back(any_direction(rng, walk(corners, i, 1, false)));
        std::shuffle(lines.begin(), lines.end(), rng);
        return lines;
    }
    const int first_edges = uniform_int(rng, 1, n - 1);
    Polyline second = walk(corners, start + (backwards ? -first_edges : first_edges), n - first_edges, backwards);
    return {walk(corners, start, first_edges, backwards), chance(rng, 0.5) ? reversed(second) : second};
}

Polyline rectangle(float left, float top, float right, float bottom) {
    return {{left, top}, {right, top}, {right, bottom}, {left, bottom}};
}

// A dot: the pen put down and lifted after a tiny twirl.
Polyline dot(std::mt19937_64& rng, CanvasPoint at) {
    const float radius = uniform(rng, 0.005f, 0.045f), start = uniform(rng, 0, 2 * kPi);
    return arc(at, radius, radius, start, start + 2 * kPi);
}

// ============================================================================================
// The hand
// ============================================================================================

Hand random_hand(std::mt19937_64& rng) {
    Hand hand;
    hand.spacing = log_uniform(rng, 0.02f, 0.12f);
    hand.jitter = uniform(rng, 0, 0.008f);
    hand.bow = uniform(rng, 0, 0.04f);
    hand.round_chance = uniform(rng, 0, 0.6f);
    hand.round_radius = uniform(rng, 0.03f, 0.12f);
    hand.hook_chance = uniform(rng, 0, 0.15f);
    hand.overshoot = uniform(rng, 0.02f, 0.1f);
    const float wobble = log_uniform(rng, 0.004f, 0.04f);
    for (int i = 0; i < 6; ++i) {  // short waves are small ones: a hand drifts slowly
        hand.wavelength[i] = log_uniform(rng, 0.4f, 3.0f);
        hand.amplitude[i] = wobble * uniform(rng, 0.3f, 1.0f) * std::sqrt(hand.wavelength[i] / 3);
        hand.phase[i] = uniform(rng, 0, 2 * kPi);
    }
    return hand;
}


namespace {
// The independent noise of one pen sample.
CanvasPoint jitter(std::mt19937_64& rng, const Hand& hand) {
    return {normal(rng, hand.jitter), normal(rng, hand.jitter)};
}

// The slow drift of the hand at pen travel s: a few smooth waves per axis.
CanvasPoint wobble(const Hand& hand, float s) {
    CanvasPoint offset;
    for (int i = 0; i < 3; ++i) {
        offset.x += hand.amplitude[i] * std::sin(2 * kPi * s / hand.wavelength[i] + hand.phase[i]);
        offset.y += hand.amplitude[i + 3] * std::sin(2 * kPi * s / hand.wavelength[i + 3] + hand.phase[i + 3]);
    }
    return offset;
}

float path_length(const Polyline& line) {
    float total = 0;
    for (std::size_t i = 1; i < line.size(); ++i) total += length(line[i] - line[i - 1]);
    return total;
}

// The line with its start moved by `amount` along it: forwards (shorter) if negative, backwards
// past its first point (longer) if positive.
Polyline moved_start(Polyline line, float amount) {
    if (amount >= 0) {
        line.insert(line.begin(), line[0] - amount * unit(line[1] - line[0]));
        return line;
    }
    float cut = -amount;
    while (line.size() > 2 && length(line[1] - line[0]) <= cut) {
        cut -= length(line[1] - line[0]);
        line.erase(line.begin());
    }
    line[0] = line[0] + cut * unit(line[1] - line[0]);
    return line;
}

// Both ends run past their place or stop short (by at most a fifth of the stroke).
Polyline with_loose_ends(std::mt19937_64& rng, const Hand& hand, Polyline line) {
    const float limit = 0.2f * path_length(line);
    const auto end_shift = [&] { return std::clamp(uniform(rng, -0.5f, 1.0f) * hand.overshoot, -limit, limit); };
    line = moved_start(std::move(line), end_shift());
    return reversed(moved_start(reversed(std::move(line)), end_shift()));
}

constexpr float kSharpTurn = 0.6f;  // radians: a corner the hand slows down for

float turn_at(const Polyline& line, std::size_t i) {
    const CanvasPoint in = line[i] - line[i - 1], out = line[i + 1] - line[i];
    return std::abs(std::atan2(in.x * out.y - in.y * out.x, in.x * out.x + in.y * out.y));
}

// Sharp corners are rounded off, overshot with a little hook, or kept; `sharp` marks the points
// the pen must pass through (the ends, the kept corners, the ends and middle of a rounded one).
Polyline with_hand_corners(std::mt19937_64& rng, const Hand& hand, const Polyline& line, std::vector<char>& sharp) {
    Polyline out{line[0]};
    sharp.assign(1, 1);
    for (std::size_t i = 1; i + 1 < line.size(); ++i) {
        const CanvasPoint p = line[i], in = p - line[i - 1], next = line[i + 1] - p;
        if (turn_at(line, i) < kSharpTurn || length(in) < 1e-4f || length(next) < 1e-4f) {
            out.push_back(p), sharp.push_back(0);
        } else if (chance(rng, hand.round_chance)) {
            const float r = std::min({hand.round_radius, 0.4f * length(in), 0.4f * length(next)});
            const Polyline rounded = curve(p - r * unit(in), p, p + r * unit(next));
            for (std::size_t j = 0; j < rounded.size(); ++j) out.push_back(rounded[j]), sharp.push_back(j % 6 == 0);
        } else if (chance(rng, hand.hook_chance)) {
            out.push_back(p), sharp.push_back(1);
            out.push_back(p + uniform(rng, 0.02f, 0.07f) * unit(in)), sharp.push_back(1);
        } else {
            out.push_back(p), sharp.push_back(1);
        }
    }
    out.push_back(line.back()), sharp.push_back(1);
    return out;
}

// A point of the polyline at arc length s, given its cumulative arc lengths.
CanvasPoint point_at(const Polyline& line, const std::vector<float>& arc, float s) {
    const auto after = std::upper_bound(arc.begin(), arc.end(), s);
    if (after == arc.begin()) return line.front();
    if (after == arc.end()) return line.back();
    const std::size_t i = static_cast<std::size_t>(after - arc.begin());
    const float t = (s - arc[i - 1]) / std::max(arc[i] - arc[i - 1], 1e-9f);
    return line[i - 1] + t * (line[i] - line[i - 1]);
}

// The pen's samples along the path: slow (dense) near corners and ends, fast (sparse) between
// them; each leg between corners sags sideways, and every point drifts with the slow wobble.
Polyline sampled(std::mt19937_64& rng, Hand& hand, const Polyline& path, const std::vector<char>& sharp) {
    std::vector<float> arc{0};
    for (std::size_t i = 1; i < path.size(); ++i) arc.push_back(arc.back() + length(path[i] - path[i - 1]));
    const auto pen = [&](float s, CanvasPoint sag) {
        return point_at(path, arc, s) + sag + wobble(hand, hand.travel + s) + jitter(rng, hand);
    };
    Polyline out;
    std::size_t leg_start = 0;
    for (std::size_t i = 1; i < path.size(); ++i) {
        if (!sharp[i]) continue;
        const float s0 = arc[leg_start], s1 = arc[i], leg = s1 - s0;
        const CanvasPoint chord = path[i] - path[leg_start];
        const float bow = std::clamp(normal(rng, hand.bow), -2 * hand.bow, 2 * hand.bow);
        const float bend = length(chord) > 0.3f * leg ? bow * length(chord) : 0.0f;  // a curved leg keeps its shape
        const CanvasPoint side = bend * unit(perpendicular(chord));
        if (out.empty()) out.push_back(pen(s0, {}));
        for (float s = s0;;) {
            const float u = (s - s0) / std::max(leg, 1e-9f);
            s += hand.spacing * (0.3f + 1.2f * std::sin(kPi * u)) * std::exp(normal(rng, 0.3f)) + 1e-4f;
            if (!(s < s1)) break;
            out.push_back(pen(s, std::sin(kPi * (s - s0) / leg) * side));
        }
        out.push_back(pen(s1, {}));
        leg_start = i;
    }
    hand.travel += arc.back() + uniform(rng, 0.3f, 2.0f);  // the pen lifts and moves on
    return out;
}

}  // namespace

// One ideal stroke as the hand draws it. A dot or a tiny stroke only drifts and jitters.
Polyline drawn(std::mt19937_64& rng, Hand& hand, const Polyline& ideal) {
    if (path_length(ideal) < 0.05f) {
        Polyline out;
        for (const CanvasPoint& p : ideal) out.push_back(p + wobble(hand, hand.travel) + jitter(rng, hand));
        hand.travel += uniform(rng, 0.3f, 2.0f);
        return out;
    }
    std::vector<char> sharp;
    const Polyline path = with_hand_corners(rng, hand, with_loose_ends(rng, hand, ideal), sharp);
    return sampled(rng, hand, path, sharp);
}

// A small tilt, a stretch of one axis and a slant, as a person's drawing varies.
void pose(std::mt19937_64& rng, Strokes& strokes) {
    const float angle = symmetric(rng, 0.18f), stretch = std::exp(symmetric(rng, 0.15f)), slant = symmetric(rng, 0.08f);
    for (Polyline& line : strokes)
        for (CanvasPoint& p : line) p = rotated({stretch * (p.x + slant * p.y), p.y}, angle);
}

Strokes drawn_by_hand(std::mt19937_64& rng, Strokes ideal) {
    pose(rng, ideal);
    Hand hand = random_hand(rng);
    for (Polyline& line : ideal) line = drawn(rng, hand, line);
    fit_unit_box(ideal);
    return ideal;
}

}  // namespace fcnet::hand
