// Softmax and the softmax cross-entropy loss with its gradient.
#pragma once

#include <vector>

#include "core/tensor.h"

namespace fcnet {

// Replaces each row of scores by its softmax (stable: subtracts the row maximum first).
void softmax_rows(Matrix& scores);

// Mean over rows of -log softmax(logits)[label]. When `gradient` is not null it receives
// dLoss/dLogits = (softmax(logits) - one_hot(labels)) / rows, same shape as logits.
double softmax_cross_entropy(const Matrix& logits, const int* labels, Matrix* gradient);

}  // namespace fcnet
