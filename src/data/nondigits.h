// Generated images that are not digits (scribbles, shapes, letters, blobs, textures), preprocessed like drawings.
#pragma once

#include <array>
#include <cstdint>
#include <random>
#include <string>

#include "data/dataset.h"

namespace fcnet {

// What a generated non-digit shows. Left out on purpose, because after preprocessing they are
// digits: a circle or ellipse outline, a regular polygon of 6+ sides and a tall rectangle
// outline (a zero), a lone straight line or a thin filled bar (a one), glyphs that look like
// digits (see kDigitLikeGlyphs).
enum class NonDigitKind {
    zigzag,            // one stroke, 4-10 sharp turns
    spiral,            // one stroke, 2-4 turns, round or stretched
    random_walk,       // one long wandering stroke with smoothly drifting direction
    crossing_strokes,  // 3-6 straight strokes crossing each other
    shape_outline,     // square or wide rectangle, triangle, star, + or x, hash '#', arrow, ringed circles
    shape_filled,      // disc, ellipse, rectangle, triangle, star (aspect ratio at most 2)
    letter,            // a Latin letter from a DejaVu font, filled and thickened or hollow
    blob,              // one to three filled random smooth blobs
    texture,           // a patch of pixel noise, blocky noise or hatching
};
constexpr int kNonDigitKinds = 9;

// "zigzag", "spiral", ... as in the enum.
const char* nondigit_kind_name(NonDigitKind kind);

// Letters that are never drawn because they pass for digits: O o Q D (0), I l i j (1), Z z (2),
// S s (5), G b (6), B (8), g q (9).
constexpr const char* kDigitLikeGlyphs = "OoQDIlijZzSsGbBgq";

// Where the fonts are read from: $FCNET_FONT_DIR, else /usr/share/fonts/truetype/dejavu (Debian's
// fonts-dejavu-core: DejaVuSans, -Bold, SansMono, SansMono-Bold, Serif, Serif-Bold; those present are used).
std::string nondigit_font_dir();

// The side of the square canvas the non-digits are drawn on before preprocessing.
constexpr int kNonDigitCanvas = 140;

// Renders one non-digit of `kind`: drawn on a kNonDigitCanvas square canvas in a random
// polarity, background and contrast, at a random size, place and brush width (relative to its
// size, 3% to 25%), then preprocess_drawing with default options, which gives 784 values in
// [0, 1], ink high. A drawing that preprocesses to "empty" is drawn again. Throws fcnet::Error
// if the fonts cannot be read (letters only) or if 100 tries in a row come out empty.
void render_nondigit_of_kind(std::mt19937_64& rng, NonDigitKind kind, float* out784);

// render_nondigit_of_kind for every kind but NonDigitKind::letter (an Error), the same drawing for
// the same rng; a program that calls only this links no font reader (the WebAssembly module).
void render_nondigit_without_fonts(std::mt19937_64& rng, NonDigitKind kind, float* out784);

// The same with a kind drawn uniformly at random from `rng`; its kind goes to *kind_out.
void render_nondigit(std::mt19937_64& rng, float* out784, NonDigitKind* kind_out = nullptr);

// `count` non-digits, count x 784 features in [0, 1] (ink high), every label `label`; the kinds
// take turns (sample i is kind i mod kNonDigitKinds). Sample i depends only on (seed, i), so the
// set is the same for a seed whatever the thread count. The dataset has label + 1 classes, its
// class names empty and its name "generated non-digits (seed S)". Throws fcnet::Error if count
// or label is negative.
Dataset make_nondigit_set(int count, std::uint64_t seed, int label);

// The kind of sample i of make_nondigit_set.
NonDigitKind nondigit_kind_of_sample(int index);

}  // namespace fcnet
