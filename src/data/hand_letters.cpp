// The hand-drawn letter generator declared in hand_letters.h: each letter's forms as ideal strokes, then the hand of hand_drawing.h.
#include "data/hand_letters.h"

#include <cmath>

#include "core/error.h"
#include "data/hand_drawing.h"
#include "data/stroke_split.h"

namespace fcnet {
namespace {

using namespace hand;

// Ideal strokes in a box 2 high (y from -1 at the top to 1 at the bottom), centred on x = 0,
// `w` half the letter's width. A small letter fills the box with its body; one with an
// ascender (d f h k t) has its body in the lower half or so, one with a descender (j p y) in
// the upper. Angles in radians, y down: increasing angles run clockwise on screen.

// The bowl of a B, D, P or R: from (x, top) out to the right by `reach` and back to (x, bottom).
Polyline bowl(float x, float top, float bottom, float reach) {
    return arc({x, (top + bottom) / 2}, reach, (bottom - top) / 2, -kPi / 2, kPi / 2);
}

// A ring around `centre` starting near `start` (radians), counter-clockwise on screen, a little
// open or overlapping: an o-like body of a, d, e, p, q.
Polyline ring(std::mt19937_64& rng, CanvasPoint centre, float rx, float ry, float start) {
    return arc(centre, rx, ry, start, start - 2 * kPi - uniform(rng, -0.3f, 0.4f));
}

// The open curve of a C or c, from the upper right round the left to the lower right.
Polyline c_curve(std::mt19937_64& rng, CanvasPoint centre, float rx, float ry) {
    return arc(centre, rx, ry, -uniform(rng, 0.4f, 0.9f), -2 * kPi + uniform(rng, 0.4f, 0.9f));
}

// The cup of a U or u: down the left side, round the bottom, up to the top right.
Polyline cup(float w) {
    Polyline line = then({{-w, -1}}, arc({0, 0}, w, 1, kPi, 0));
    line.push_back({w, -1});
    return line;
}

// A hump from (x0, bottom) up and over to (x1, bottom): the arch of n, m, h.
Polyline hump(std::mt19937_64& rng, float x0, float x1, float top, float bottom) {
    const float rise = uniform(rng, 0.1f, 0.3f);
    return then(curve({x0, bottom - 0.3f * (bottom - top)}, {x0 + 0.1f * (x1 - x0), top}, {(x0 + x1) / 2, top}),
                curve({(x0 + x1) / 2 + rise * 0.1f, top}, {x1, top}, {x1, bottom}));
}

Strokes capital(std::mt19937_64& rng, char c, float w) {
    const float mid = symmetric(rng, 0.15f);
    const bool one_stroke = chance(rng, 0.5);
    switch (c) {
        case 'A': {
            const CanvasPoint apex{symmetric(rng, 0.15f) * w, -1}, bar_left{-0.55f * w, 0.25f + mid}, bar_right{0.55f * w, 0.25f + mid};
            const Polyline legs{{-w, 1}, apex, {w, 1}};
            return one_stroke ? Strokes{legs, {bar_left, bar_right}} : Strokes{{apex, {-w, 1}}, {apex, {w, 1}}, {bar_left, bar_right}};
        }
        case 'B': {
            const Polyline bowls = then(bowl(-w, -1, mid, 1.6f * w), bowl(-w, mid, 1, 2 * w));
            return one_stroke ? Strokes{then({{-w, 1}, {-w, -1}}, bowls)} : Strokes{{{-w, -1}, {-w, 1}}, bowls};
        }
        case 'C': return {c_curve(rng, {0, 0}, w, 1)};
        case 'D': {
            const Polyline round = bowl(-w, -1, 1, 2 * w);
            return one_stroke ? Strokes{then({{-w, -1}, {-w, 1}}, reversed(round))} : Strokes{{{-w, -1}, {-w, 1}}, round};
        }
        case 'E': {
            if (chance(rng, 0.25)) {  // the curly E, two bows opening to the right
                return {then(arc({0.1f * w, -0.5f}, 0.9f * w, 0.5f, -0.4f, -1.5f * kPi),
                             arc({0.1f * w, 0.5f}, w, 0.5f, -0.5f * kPi, -2 * kPi + 0.4f))};
            }
            Strokes strokes = one_stroke ? Strokes{{{w, -1}, {-w, -1}, {-w, 1}, {w, 1}}}
                                         : Strokes{{{-w, -1}, {-w, 1}}, {{-w, -1}, {w, -1}}, {{-w, 1}, {w, 1}}};
            strokes.push_back({{-w, mid}, {0.7f * w, mid}});  // the middle bar
            return strokes;
        }
        case 'F':
            return one_stroke ? Strokes{{{w, -1}, {-w, -1}, {-w, 1}}, {{-w, mid}, {0.6f * w, mid}}}
                              : Strokes{{{-w, -1}, {-w, 1}}, {{-w, -1}, {w, -1}}, {{-w, mid}, {0.6f * w, mid}}};
        case 'G': {
            const Polyline round = arc({0, 0}, w, 1, -uniform(rng, 0.4f, 0.9f), -2 * kPi + 0.2f);
            return {then(round, {{w, uniform(rng, 0.0f, 0.3f)}, {uniform(rng, -0.1f, 0.4f) * w, uniform(rng, 0.0f, 0.3f)}})};
        }
        case 'H': return {{{-w, -1}, {-w, 1}}, {{w, -1}, {w, 1}}, {{-w, mid}, {w, mid}}};
        case 'J': {
            const float x = uniform(rng, 0.1f, 0.5f) * w;
            Strokes strokes{then({{x, -1}, {x, 0.4f}}, curve({x, 0.4f}, {x, 1.1f}, {-w, uniform(rng, 0.3f, 0.8f)}))};
            if (chance(rng, 0.5)) strokes.push_back({{-0.6f * w, -1}, {w, -1}});
            return strokes;
        }
        case 'K': {
            const CanvasPoint joint{-w, mid};
            return one_stroke ? Strokes{{{-w, -1}, {-w, 1}}, {{w, -1}, joint + CanvasPoint{0.1f * w, 0}, {w, 1}}}
                              : Strokes{{{-w, -1}, {-w, 1}}, {{w, -1}, joint}, {{-0.4f * w, mid - 0.2f}, {w, 1}}};
        }
        case 'L': return {{{-w, -1}, {-w, 1}, {w * uniform(rng, 0.5f, 1.0f), 1}}};
        case 'M': {
            const float dip = uniform(rng, -0.2f, 0.6f);
            return {{{-w, 1}, {-w * uniform(rng, 0.7f, 1.0f), -1}, {0, dip}, {w * uniform(rng, 0.7f, 1.0f), -1}, {w, 1}}};
        }
        case 'N': return {{{-w, 1}, {-w, -1}, {w, 1}, {w, -1}}};
        case 'P': {
            const Polyline round = bowl(-w, -1, mid, 1.8f * w);
            return one_stroke ? Strokes{then({{-w, 1}, {-w, -1}}, round)} : Strokes{{{-w, -1}, {-w, 1}}, round};
        }
        case 'Q': {
            const CanvasPoint tail{uniform(rng, 0.0f, 0.4f) * w, uniform(rng, 0.2f, 0.6f)};
            return {ring(rng, {0, 0}, w, 1, -kPi / 2 + symmetric(rng, 0.4f)), {tail, {w * 1.2f, 1.1f}}};
        }
        case 'R': {
            const Polyline round = bowl(-w, -1, mid, 1.8f * w);
            return {{{-w, -1}, {-w, 1}}, then(round, {{w, 1}})};
        }
        case 'T': return {{{-w, -1}, {w, -1}}, {{symmetric(rng, 0.2f) * w, -1}, {0, 1}}};
        case 'U': {
            Polyline stroke = cup(w);
            if (chance(rng, 0.4)) stroke.push_back({w, 1});  // with a stem like a u
            return {stroke};
        }
        case 'V': return {{{-w, -1}, {symmetric(rng, 0.2f) * w, 1}, {w, -1}}};
        case 'W': return {{{-w, -1}, {-0.5f * w, 1}, {0, uniform(rng, -0.8f, 0.2f)}, {0.5f * w, 1}, {w, -1}}};
        case 'X': return {{{-w, -1}, {w, 1}}, {{w, -1}, {-w, 1}}};
        default: {  // 'Y'
            const CanvasPoint fork{symmetric(rng, 0.15f) * w, uniform(rng, -0.2f, 0.2f)};
            if (one_stroke) return {{{-w, -1}, fork, {w, -1}}, {fork, {fork.x, 1}}};
            return {{{-w, -1}, fork}, {{w, -1}, {-0.2f * w, 1}}};  // a short arm onto a long diagonal
        }
    }
}

Strokes small(std::mt19937_64& rng, char c, float w) {
    const float body = uniform(rng, -0.25f, 0.1f);  // where the body of a letter with an ascender begins
    const float foot = uniform(rng, -0.1f, 0.2f);   // where the body of a letter with a descender ends
    switch (c) {
        case 'a': {
            if (chance(rng, 0.3)) {  // double-storey
                return {then(curve({-0.6f * w, -0.8f}, {0.6f * w, -1.3f}, {w, -0.3f}), {{w, 1}}),
                        then({{w, 0.0f}}, ring(rng, {0, 0.5f}, w, 0.5f, -kPi / 2))};
            }
            const Polyline round = ring(rng, {-0.05f * w, 0}, 0.95f * w, 1, -uniform(rng, 0.2f, 0.6f));
            const Polyline stem = chance(rng, 0.5) ? Polyline{{w, -1}, {w, 1}} : then({{w, -1}, {w, 0.7f}}, curve({w, 0.7f}, {w, 1}, {1.3f * w, 0.9f}));
            return chance(rng, 0.5) ? Strokes{round, stem} : Strokes{then(round, stem)};
        }
        case 'c': return {c_curve(rng, {0, 0}, w, 1)};
        case 'd': {
            const Polyline round = ring(rng, {-0.05f * w, (body + 1) / 2}, 0.95f * w, (1 - body) / 2, -uniform(rng, 0.2f, 0.6f));
            return chance(rng, 0.5) ? Strokes{round, {{w, -1}, {w, 1}}} : Strokes{then(round, {{w, -1}, {w, 1}})};
        }
        case 'e': {
            const float y = symmetric(rng, 0.2f);
            return {then({{-w, y}, {w, y}}, arc({0, 0}, w, 1, std::atan2(y, 1.0f), -2 * kPi + uniform(rng, 0.4f, 0.9f)))};
        }
        case 'f': {
            const float x = symmetric(rng, 0.2f) * w;
            return {then(curve({w, -0.8f}, {x, -1.25f}, {x, -0.4f}), {{x, 1}}), {{x - 0.7f * w, body}, {x + 0.7f * w, body}}};
        }
        case 'h': return {then({{-w, -1}, {-w, 1}}, hump(rng, -w, w, body, 1))};
        case 'i': return {{{0, -0.4f}, {symmetric(rng, 0.1f), 1}}, dot(rng, {symmetric(rng, 0.15f), -1})};
        case 'j': {
            const float x = 0.3f * w;
            return {then({{x, -0.4f}, {x, 0.5f}}, curve({x, 0.5f}, {x, 1.1f}, {-w, 0.7f})), dot(rng, {x, -1})};
        }
        case 'k': {
            const CanvasPoint joint{-w, (body + 1) / 2};
            return {{{-w, -1}, {-w, 1}}, {{w, body}, joint, {w, 1}}};
        }
        case 'm': {
            const float gap = symmetric(rng, 0.1f) * w;
            return {then(then({{-w, -1}, {-w, 1}}, hump(rng, -w, gap, -1, 1)), hump(rng, gap, w, -1, 1))};
        }
        case 'n': return {then({{-w, -1}, {-w, 1}}, hump(rng, -w, w, -1, 1))};
        case 'p': {
            const Polyline round = bowl(-w, -1, foot, 2 * w);
            return chance(rng, 0.5) ? Strokes{then({{-w, 1}, {-w, -1}}, round)} : Strokes{{{-w, -1}, {-w, 1}}, round};
        }
        case 'r': return {then({{-w, -1}, {-w, 1}}, curve({-w, 0.0f}, {-0.2f * w, -1.1f}, {w, -0.8f}))};
        case 't': {
            const float x = symmetric(rng, 0.2f) * w;
            return {then({{x, -1}, {x, 0.6f}}, curve({x, 0.6f}, {x, 1}, {x + 0.8f * w, 0.85f})),
                    {{x - 0.8f * w, body}, {x + 0.8f * w, body}}};
        }
        case 'u': {
            Polyline stroke = cup(w);
            if (chance(rng, 0.6)) stroke.push_back({w, 1});  // the stem down again
            return {stroke};
        }
        case 'v': return {{{-w, -1}, {symmetric(rng, 0.2f) * w, 1}, {w, -1}}};
        case 'w': return {{{-w, -1}, {-0.5f * w, 1}, {0, uniform(rng, -0.8f, 0.2f)}, {0.5f * w, 1}, {w, -1}}};
        case 'x': return {{{-w, -1}, {w, 1}}, {{w, -1}, {-w, 1}}};
        default: {  // 'y'
            if (chance(rng, 0.4)) return {{{-w, -1}, {0, foot}}, {{w, -1}, {-0.3f * w, 1}}};  // print: two diagonals
            Polyline cup = then({{-w, -1}}, arc({0, foot - 1}, w, 1, kPi, 0));  // like a u with a tail
            cup.push_back({w, -1});
            const CanvasPoint tail_end{-w * uniform(rng, 0.3f, 1.0f), uniform(rng, 0.6f, 0.9f)};
            return {then(then(cup, {{w, 0.3f}}), curve({w, 0.3f}, {w, 1.1f}, tail_end))};
        }
    }
}

}  // namespace

const std::string& hand_letters() {
    static const std::string letters = [] {
        std::string all;
        for (char c = 'a'; c <= 'z'; ++c) all += c;
        for (char c = 'A'; c <= 'Z'; ++c) all += c;
        std::string kept;
        for (char c : all) {
            if (std::string(kDigitLikeLetters).find(c) == std::string::npos) kept += c;
        }
        return kept;
    }();
    return letters;
}

std::vector<Polyline> draw_hand_letter(std::mt19937_64& rng, char letter) {
    if (hand_letters().find(letter) == std::string::npos) {
        throw Error(std::string("draw_hand_letter: no hand-drawn form for '") + letter +
                    "' (only letters that do not pass for digits)");
    }
    const bool capital_letter = letter >= 'A' && letter <= 'Z';
    const float w = capital_letter ? uniform(rng, 0.45f, 0.8f) : uniform(rng, 0.55f, 0.95f);  // half the width; the height is 2
    return drawn_by_hand(rng, capital_letter ? capital(rng, letter, w) : small(rng, letter, w));
}

}  // namespace fcnet
