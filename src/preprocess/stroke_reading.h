// How a model reads drawings given as strokes: their 28x28 images and, with a pen-path network, their pens' paths mixed in.
#pragma once

#include "core/model.h"
#include "core/tensor.h"

namespace fcnet {

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
