// How a model reads drawings given as strokes: their 28x28 images and, with a pen-path network, their pens' paths mixed in.
#pragma once

#include <vector>

#include "core/model.h"
#include "core/tensor.h"
#include "preprocess/brush.h"
#include "preprocess/digit_image.h"
#include "preprocess/trajectory.h"

namespace fcnet {

// What the networks read from a drawing given as strokes: the image network the strokes redrawn
// at MNIST's stroke width (preprocess_strokes), so a small digit drawn with a fat brush is no
// blob; a pen-path network the pen's path (trajectory_features).
struct StrokeReading {
    DigitImage image;
    Trajectory path{};
};

// The strokes as the person drew them (any units, y down, writing order) and the width of the pen
// that drew them, in the same units (preprocess_strokes: it only decides how a dot or a drawing no
// longer than the pen is redrawn). How the app and the embeddable module read strokes. Throws
// fcnet::Error like preprocess_strokes (a coordinate or pen width that is not finite, a pen width
// that is not positive, too many strokes or points).
StrokeReading read_strokes(const std::vector<Polyline>& strokes, float pen_width);

// The calibrated logits of drawings given as strokes, over all the model's classes (rows x
// classes; softmax of a row gives its probabilities): w z / T + (1 - w) z_path / T_path with a
// pen-path network (Model::pen_path), z / T without. `images` is rows x 784 (preprocess_strokes),
// `paths` rows x the pen-path network's inputs (trajectory_features; not read without one).
// Throws fcnet::Error if the shapes do not match.
Matrix stroke_logits(const Model& model, const Matrix& images, const Matrix& paths);

// The digit score (digit_prediction.h) a drawing given as strokes must reach to be read as a
// digit: the pen-path network's reject_confidence, or rejection_threshold(model) without one.
float stroke_threshold(const Model& model);

}  // namespace fcnet
