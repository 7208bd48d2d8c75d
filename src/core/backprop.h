// Forward and backward passes for training, with buffers reused from batch to batch.
#pragma once

#include <vector>

#include "core/network.h"

namespace fcnet {

struct LayerGradients {
    Matrix weights;  // inputs x outputs, dLoss/dW
    RowVector bias;  // 1 x outputs,      dLoss/db
};

// dLoss/dParameters as a sum of parts (one per thread's block of the batch), added in this order.
using GradientParts = std::vector<const std::vector<LayerGradients>*>;

class Backprop {
public:
    // Runs the batch forward, then backward, leaving dLoss/dParameters in gradients().
    // Returns the mean softmax cross-entropy of the batch. `labels` has features.rows() entries.
    // With Eigen::nbThreads() > 1 the batch is split into that many contiguous row blocks,
    // one per thread (data parallel, single-threaded products), and the blocks' gradients are
    // summed in block order: the result depends only on the thread count, never on timing.
    // The sum is left to whoever reads it: gradients() adds the parts up, Optimizer::step adds
    // them while it updates (one pass over memory instead of two).
    double compute(const Network& network, const Eigen::Ref<const Matrix>& features, const int* labels);

    // The same for the batch made of rows rows[0], ..., rows[count - 1] of `samples`, whose labels
    // are labels[rows[i]]: each thread gathers its own block straight into its input buffer, so
    // the batch is never copied as a whole.
    double compute(const Network& network, const Matrix& samples, const int* labels, const int* rows,
                   Eigen::Index count);

    // The batch's gradients, one per layer (sums the parts on the first call after compute).
    const std::vector<LayerGradients>& gradients();
    // The same as parts in block order, unsummed: their sum is gradients().
    const GradientParts& gradient_parts() const { return parts_; }

    // Fewest rows a thread is given; smaller batches use fewer threads.
    static constexpr Eigen::Index kMinRowsPerThread = 16;

private:
    // One thread's buffers for its block of rows.
    struct Worker {
        std::vector<Matrix> activations;         // [0] = normalised input, [l+1] = output of layer l
        std::vector<int> labels;                 // the block's labels, when gathered by row index
        std::vector<Matrix> deltas;              // [l] = dLoss/dZ of layer l (each keeps its shape)
        std::vector<LayerGradients> gradients;   // this block's share of dLoss/dParameters
    };
    // The batch: `count` rows of `features`, either the first ones (`rows` null) or
    // rows[0..count) with labels indexed alike.
    struct Batch {
        const Eigen::Ref<const Matrix>& features;
        const int* labels;
        const int* rows;
        Eigen::Index count;
    };
    double compute_batch(const Network& network, const Batch& batch);
    // Forward and backward over batch rows [first, first + rows), writing into `out` gradients
    // scaled by 1 / batch.count (the whole batch's mean). Returns the block's summed loss.
    double run_block(const Network& network, const Batch& batch, Eigen::Index first, Eigen::Index rows, Worker& worker,
                     std::vector<LayerGradients>& out);

    std::vector<Worker> workers_;
    std::vector<LayerGradients> gradients_;  // block 0's part, then (once summed) the whole gradient
    GradientParts parts_;                     // gradients_ and the other workers' gradients (one: summed)
    std::vector<double> block_loss_;  // each block's summed loss
};

}  // namespace fcnet
