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
    // With Eigen::nbThreads() > 1 the batch is split into that many contiguous row blocks,
    // one per thread (data parallel, single-threaded products), and the blocks' gradients are
    // summed in block order: the result depends only on the thread count, never on timing.
    double compute(const Network& network, const Eigen::Ref<const Matrix>& features, const int* labels);

    const std::vector<LayerGradients>& gradients() const { return gradients_; }

    // Fewest rows a thread is given; smaller batches use fewer threads.
    static constexpr Eigen::Index kMinRowsPerThread = 16;

private:
    // One thread's buffers for its block of rows.
    struct Worker {
        std::vector<Matrix> activations;         // [0] = normalised input, [l+1] = output of layer l
        Matrix delta;                            // dLoss/dZ of the layer being processed
        Matrix delta_below;                      // dLoss/dA of the layer below
        std::vector<LayerGradients> gradients;   // this block's share of dLoss/dParameters
    };
    // Forward and backward over rows [first, first + rows) of `features`, writing into `out`
    // gradients scaled by 1 / batch_rows (the whole batch's mean). Returns the block's summed loss.
    double run_block(const Network& network, const Eigen::Ref<const Matrix>& features, const int* labels,
                     Eigen::Index first, Eigen::Index rows, Eigen::Index batch_rows, Worker& worker,
                     std::vector<LayerGradients>& out);

    std::vector<Worker> workers_;
    std::vector<LayerGradients> gradients_;
    std::vector<double> block_loss_;  // each block's summed loss
};

}  // namespace fcnet
