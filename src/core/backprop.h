// Forward and backward passes for training, with buffers reused from batch to batch.
#pragma once

#include <vector>

#include "core/network.h"

namespace fcnet {

struct LayerGradients {
    Matrix weights;  // inputs x outputs, dLoss/dW
    RowVector bias;  // 1 x outputs,      dLoss/db
};

class Backprop {
public:
    // Runs the batch forward, then backward, leaving dLoss/dParameters in gradients().
    // Returns the mean softmax cross-entropy of the batch. `labels` has features.rows() entries.
    double compute(const Network& network, const Eigen::Ref<const Matrix>& features, const int* labels);

    const std::vector<LayerGradients>& gradients() const { return gradients_; }

private:
    std::vector<Matrix> activations_;  // activations_[0] = normalised input, [l+1] = output of layer l
    Matrix delta_;                      // dLoss/dZ of the layer being processed
    Matrix delta_below_;                // dLoss/dA of the layer below
    std::vector<LayerGradients> gradients_;
};

}  // namespace fcnet
