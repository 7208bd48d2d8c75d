// The hand that draws the generated doodles and digits: random helpers, ideal strokes, and a person's wobble on them.
#pragma once

#include <array>
#include <random>
#include <vector>

#include "preprocess/brush.h"

namespace fcnet::hand {

constexpr float kPi = 3.14159265358979f;
using Strokes = std::vector<Polyline>;

// Random helpers: uniform in [low, high), in [-magnitude, magnitude], an int in [low, high],
// true with `probability`, log-uniform in [low, high], normal with mean 0.
float uniform(std::mt19937_64& rng, float low, float high);
float symmetric(std::mt19937_64& rng, float magnitude);
int uniform_int(std::mt19937_64& rng, int low, int high);
bool chance(std::mt19937_64& rng, double probability);
float log_uniform(std::mt19937_64& rng, float low, float high);
float normal(std::mt19937_64& rng, float deviation);

// Point arithmetic.
CanvasPoint operator+(CanvasPoint a, CanvasPoint b);
CanvasPoint operator-(CanvasPoint a, CanvasPoint b);
CanvasPoint operator*(float k, CanvasPoint a);
float length(CanvasPoint v);
CanvasPoint unit(CanvasPoint v);           // v / |v|; (1, 0) for the zero vector
CanvasPoint perpendicular(CanvasPoint v);  // v turned a quarter
CanvasPoint rotated(CanvasPoint p, float angle);
CanvasPoint polar(float radius, float angle);

// Strokes: reversed, joined (second starts where first ends), `then` (all of first's points, then
// all of second's), mirrored in x, rotated, either
// way round with probability 1/2; `extra` appended after `strokes`, sometimes all shuffled.
Polyline reversed(Polyline line);
Polyline joined(Polyline first, const Polyline& second);
Polyline then(Polyline first, const Polyline& second);
Polyline mirrored_x(Polyline line);
void rotate_all(Strokes& strokes, float angle);
Polyline any_direction(std::mt19937_64& rng, Polyline line);
void add_details(std::mt19937_64& rng, Strokes& strokes, Strokes extra);

// Ideal strokes. The ellipse arc around `centre` from angle `from` to `to` (radians; y down, so
// increasing angles run clockwise on screen), a point every 7.5 degrees; the quadratic Bezier
// curve from a to b pulled towards `control`; the corners of a polygon visited from corner
// `start`, forwards or backwards, `edges` edges on; a closed polygon as a person draws it (one
// stroke, each edge on its own, or two strokes); a rectangle's corners; a dot.
Polyline arc(CanvasPoint centre, float radius_x, float radius_y, float from, float to);
Polyline curve(CanvasPoint a, CanvasPoint control, CanvasPoint b);
Polyline walk(const Polyline& corners, int start, int edges, bool backwards);
Strokes polygon(std::mt19937_64& rng, const Polyline& corners, double one_stroke, double separate_lines);
Polyline rectangle(float left, float top, float right, float bottom);
Polyline dot(std::mt19937_64& rng, CanvasPoint at);

// How one person draws (local units: a drawing is about 2 across).
struct Hand {
    float spacing = 0;        // mean distance between pen samples: a slow mouse or a fast finger
    float jitter = 0;         // independent noise of each sample
    float bow = 0;            // a line's sideways sag, standard deviation as a fraction of its length
    float round_chance = 0;   // that a sharp corner is rounded off ...
    float round_radius = 0;   // ... this much
    float hook_chance = 0;    // that a corner overshoots before turning
    float overshoot = 0;      // the most an end runs past its place (it may also stop this much short)
    std::array<float, 6> amplitude{}, wavelength{}, phase{};  // the slow wobble: x in 0-2, y in 3-5
    float travel = 0;         // the pen's path so far, up and down: where in the wobble it is
};
Hand random_hand(std::mt19937_64& rng);

// One ideal stroke as the hand draws it: ends that overshoot or stop short, sharp corners
// rounded, hooked or kept, legs that sag, the slow wobble and uneven sampling (slow near corners
// and ends). A dot or a tiny stroke only drifts and jitters.
Polyline drawn(std::mt19937_64& rng, Hand& hand, const Polyline& ideal);

// A small tilt, a stretch of one axis and a slant, as a person's drawing varies.
void pose(std::mt19937_64& rng, Strokes& strokes);

// Ideal strokes as a person draws them: pose, then each stroke drawn by one random_hand, then
// fitted into [-1, 1]^2 (fit_unit_box). What the doodle, digit and letter generators end with.
Strokes drawn_by_hand(std::mt19937_64& rng, Strokes ideal);

}  // namespace fcnet::hand
