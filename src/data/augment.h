// Random distortions of 28x28 digits for training (affine, stroke width, elastic), followed by
// the same MNIST-style preprocessing the drawings get at inference (docs/augmentation.md).
#pragma once

#include <cstdint>

#include "core/tensor.h"

namespace fcnet {

// The ranges each distortion is drawn from, per sample, uniformly. Lengths are in pixels of the
// 28x28 image. A knob at 0 turns its distortion off; all at 0 leave the digit as it is (up to
// the resampling and preprocessing described below).
struct AugmentOptions {
    float rotation_degrees = 10.0f;  // angle in [-r, r], positive = counter-clockwise on screen
    float scale = 0.1f;              // each axis scaled by its own factor in [1 - s, 1 + s]
    float shift = 1.5f;              // translation in [-s, s] along each axis
    float shear = 0.25f;             // horizontal shear x' = x + k * y, k in [-s, s] (slant)
    float thicken = 0.8f;            // stroke radius grown by up to this (grey dilation) ...
    float thin = 0.3f;               // ... or shrunk by up to this (grey erosion)
    float elastic_alpha = 18.0f;     // elastic distortion strength (Simard et al. 2003: alpha)
    float elastic_sigma = 4.0f;      // smoothness of the elastic displacement field (sigma, pixels)
    int upsample = 1;                // canvas pixels per digit pixel for the warp and the morphology
    bool preprocess = true;          // end with preprocess_drawing (crop, scale to 20 px, centre)
};

// One concrete draw of the distortions. A canvas pixel at offset p from the canvas centre shows
// the source digit at A^-1 (p - shift) + d, about the digit's centre (14, 14), where
// A = rotation * shear * scale and d is the elastic displacement there; the stroke width then
// changes on the canvas by grey morphology with a disc.
struct Distortion {
    float rotation_degrees = 0;
    float scale_x = 1, scale_y = 1;
    float shear = 0;
    float shift_x = 0, shift_y = 0;
    float stroke = 0;                // > 0 thickens, < 0 thins, in pixels of the 28x28 image
    float elastic_alpha = 0, elastic_sigma = 4;
    std::uint64_t elastic_seed = 0;  // the random displacement field
};

// Draws one Distortion from `options`' ranges; the same `seed` gives the same draw.
Distortion draw_distortion(const AugmentOptions& options, std::uint64_t seed);

// Renders the 28x28 `digit` (ink in [0, 1], row-major) with `distortion` onto a canvas of 40x40
// digit pixels at `upsample` canvas pixels each (bilinear sampling), then either preprocesses
// the canvas like a drawing (light ink on dark) or, without `preprocess`, box-averages its
// central 28x28 digit pixels back. Writes 784 values to `out` (which may alias `digit`). If the
// distortion leaves no ink (a thin digit thinned away), `out` is the undistorted digit.
void distort_digit(const float* digit, const Distortion& distortion, int upsample, bool preprocess, float* out);

// Replaces every row of `features` (samples x 784, one digit per row) by a distorted copy,
// with a draw that depends only on (seed, epoch, batch, row): the result is the same whatever
// the number of OpenMP threads the rows are spread over.
void augment_batch(Eigen::Ref<Matrix> features, const AugmentOptions& options, std::uint64_t seed, int epoch,
                   int batch);

// Throws fcnet::Error naming the knob if one is negative or not finite, or out of its range
// (rotation up to 180 degrees, scale below 1, upsample 1 to 8, elastic_sigma positive when
// elastic_alpha is not 0).
void check_augment_options(const AugmentOptions& options);

}  // namespace fcnet
