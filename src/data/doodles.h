// Hand-drawn shapes that are not digits (a house, a heart, a lightning bolt, ...), as pen strokes with a hand's wobble.
#pragma once

#include <random>
#include <vector>

#include "preprocess/brush.h"

namespace fcnet {

// What people doodle when they try a digit reader. Each kind varies in proportions, stroke order
// and the way it is drawn (one stroke or several, closed or with gaps and overshoots).
enum class DoodleKind {
    house,           // a square with a roof: five lines, or one stroke
    box,             // a square or rectangle, sometimes with a cross or a lid
    triangle,
    star,            // five-pointed, one stroke
    arrow,           // a shaft and a head, any direction
    heart,
    smiley,          // a circle with eyes and a mouth
    hatch,           // parallel or crossed lines
    tick,            // a check mark
    lightning_bolt,  // a zigzag bolt, outline or single stroke
};
constexpr int kDoodleKinds = 10;
const char* doodle_kind_name(DoodleKind kind);  // "house", ..., "lightning_bolt"

// One doodle of `kind`, drawn by hand: strokes in pixel-free units inside roughly [-1, 1]^2,
// y pointing down, with the wobble, uneven spacing of points and small overshoots of a person
// drawing with a mouse or a finger. Depends only on the rng's state.
std::vector<Polyline> draw_doodle(std::mt19937_64& rng, DoodleKind kind);

}  // namespace fcnet
