// Pen strokes drawn the way a person draws them on a screen: any canvas, size, place and brush, with a hand's jitter.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

#include "data/dataset.h"
#include "preprocess/brush.h"
#include "preprocess/digit_image.h"
#include "preprocess/trajectory.h"

namespace fcnet {

// How to draw one character's strokes (in any units, y down) on a canvas.
struct StrokeRendering {
    int canvas_width = 280, canvas_height = 280;
    float height_fraction = 0.6f;  // the character's height over the canvas's (made smaller if its width would not fit)
    float pen_fraction = 0.08f;    // the round brush's width over the character's height (a stylus ~0.04, a finger ~0.15)
    float place_x = 0.5f, place_y = 0.5f;  // where it sits in the room left around it: 0 = left / top edge, 1 = right / bottom
    float rotation_degrees = 0;    // about its centre, clockwise
    float shear = 0;               // x += shear * (y - centre y)
    float jitter = 0;              // each point moved by a normal offset with this spread, as a fraction of the height
    float spacing = 0;             // > 0: each stroke resampled to points this far apart (fraction of the height), as a slow mouse samples
    bool light_on_dark = true;     // white ink on black (the app), or dark ink on white
};

// The spread of renderings training draws from: canvases 200 to 1200 pixels a side, characters
// 10% to 90% of the canvas height at any place, pens 3% to 25% of the character's height (log
// scale), small rotations and shears, light jitter and resampling, either polarity.
StrokeRendering random_rendering(std::mt19937_64& rng);

// The strokes placed on the canvas as `rendering` says (in canvas pixels), after jitter and
// resampling drawn from `rng`. The strokes' height is measured from their points; a flat
// drawing (height below a tenth of its width) is sized by its width instead.
std::vector<Polyline> place_strokes(const std::vector<Polyline>& strokes, const StrokeRendering& rendering,
                                    std::mt19937_64& rng);

// Their pen width in canvas pixels: pen_fraction of the placed strokes' height (at least 1).
float pen_width_of(const std::vector<Polyline>& placed, const StrokeRendering& rendering);

// place_strokes drawn with the round brush of pen_width_of on a fresh canvas.
GrayCanvas render_strokes(const std::vector<Polyline>& strokes, const StrokeRendering& rendering, std::mt19937_64& rng);

// How a rendered character reaches the network: as an image (preprocess_drawing of the canvas,
// what `fcnet predict` and the module see) or as strokes (preprocess_strokes, what the app sees).
// For strokes, `path` (when given) gets the placed strokes' trajectory_features, what the app's
// pen-path network reads; for an image it is left as it is.
enum class StrokeInput { image, strokes };
DigitImage render_digit_image(const std::vector<Polyline>& strokes, const StrokeRendering& rendering, StrokeInput input,
                              std::mt19937_64& rng, Trajectory* path = nullptr);

// One sample to render: its strokes (not owned), label, how it is drawn and the seed of its jitter.
struct RenderJob {
    const std::vector<Polyline>* strokes = nullptr;
    int label = 0;
    StrokeRendering rendering;
    StrokeInput input = StrokeInput::image;
    std::uint64_t seed = 0;
};

// Every job rendered (render_digit_image, in parallel): jobs.size() x 784 features in [0, 1] and
// their labels, in the jobs' order; `classes` and `name` go to the dataset. A job that comes out
// empty gets a row of zeros and true in *empty (which gets one flag a job) when given. With
// `paths`, also each job's path features (jobs.size() x kTrajectoryFeatures; zeros for images).
Dataset render_jobs(const std::vector<RenderJob>& jobs, int classes, const std::string& name,
                    std::vector<bool>* empty = nullptr, Matrix* paths = nullptr);

}  // namespace fcnet
