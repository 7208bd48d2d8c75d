// Softmax and the softmax cross-entropy loss with its gradient.
#pragma once

#include <vector>

#include "core/tensor.h"

namespace fcnet {

// Replaces each row of scores by its softmax (stable: subtracts the row maximum first).
void softmax_rows(Eigen::Ref<Matrix> scores);

// Mean over rows of -log softmax(logits)[label]. When `gradient` is not null it receives
// dLoss/dLogits = (softmax(logits) - one_hot(labels)) / rows, same shape as logits.
double softmax_cross_entropy(const Matrix& logits, const int* labels, Matrix* gradient);

// Sum over rows of -log softmax(logits)[label]; `gradient` (same shape as logits, for example one
// thread's rows of a batch's) receives (softmax(logits) - one_hot(labels)) * gradient_scale. For a
// block of a larger batch, pass 1 / batch_rows so the blocks' gradients are the batch mean's.
double softmax_cross_entropy_sum(const Eigen::Ref<const Matrix>& logits, const int* labels, float gradient_scale,
                                 Eigen::Ref<Matrix> gradient);

}  // namespace fcnet
