// A drawing given as pen strokes -> the 28x28 image, redrawn at MNIST's stroke width whatever pen drew it.
#pragma once

#include <vector>

#include "preprocess/brush.h"
#include "preprocess/digit_image.h"

namespace fcnet {

// Limits on a drawing given as strokes; larger ones are refused with an Error.
constexpr int kMaxDrawingStrokes = 1'000;
constexpr int kMaxDrawingPoints = 200'000;

// What the app classifies: the strokes as the person drew them (any units, y down),
// redrawn with a round brush whose width is options.stroke_width of the drawing's longer side
// (MNIST's stroke width, kMnistStrokeWidth when the option is 0), on a canvas where that side
// spans kStrokeWidthWorkSide pixels, then preprocess_drawing with `options`. So a digit drawn
// small with a fat brush and one drawn large with a thin pen give the same image. `pen_width`
// is the width the person drew with, in the strokes' units: a drawing no longer than that (a dot
// or a blob) is redrawn as long as the pen was wide. No strokes, or strokes with no points, give
// an empty image. Throws fcnet::Error if a coordinate is not finite, the pen width is not
// positive and finite, or there are more than kMaxDrawingStrokes strokes or kMaxDrawingPoints points.
DigitImage preprocess_strokes(const std::vector<Polyline>& strokes, float pen_width, PreprocessOptions options = {});

// What preprocess_strokes and trajectory_features check: returns the strokes' point count, or
// throws fcnet::Error, its message starting with `who`, if a coordinate is not finite or there are
// more than kMaxDrawingStrokes strokes or kMaxDrawingPoints points.
int check_drawing(const std::vector<Polyline>& strokes, const char* who);

}  // namespace fcnet
