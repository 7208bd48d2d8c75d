// Forward and backward passes for training, with buffers reused from batch to batch.
#pragma once

#include <cstddef>
#include <functional>
#include <vector>

#include "core/network.h"

namespace fcnet {

struct LayerGradients {
    Matrix weights;  // inputs x outputs, dLoss/dW
    RowVector bias;  // 1 x outputs,      dLoss/db
};

// A part of the gradient that is final: rows [first_row, first_row + rows) of layer `layer`'s
// weight gradient (consecutive in memory) and its bias entries [first_bias, first_bias + biases).
struct GradientShare {
    std::size_t layer = 0;
    Eigen::Index first_row = 0, rows = 0;
    Eigen::Index first_bias = 0, biases = 0;
};

// Told each share as soon as it is final, on the thread that computed it: shares told on different
// threads at once are disjoint, and every entry of the gradient is in exactly one share.
using ShareReady = std::function<void(const std::vector<LayerGradients>& gradients, const GradientShare& share)>;

class Backprop {
public:
    // Runs the batch forward, then backward, leaving dLoss/dParameters in gradients(), and tells
    // `ready` (when given) each share of them as soon as it is final: the optimizer updates a share
    // while it is still in cache, on the thread that computed it. Returns the mean softmax
    // cross-entropy of the batch. `labels` has features.rows() entries.
    //
    // With Eigen::nbThreads() = T > 1, one parallel region of T threads (single-threaded products),
    // split so that no weight of layer 0 (most of the network's) moves between cores:
    //   1. layer 0 by inputs: thread t normalises block t of the input features of every sample into
    //      its own buffer and multiplies it by the same block of layer 0's weight rows, a partial
    //      sum of Z for the whole batch;
    //   2. after a barrier, by samples: thread t takes block t of T contiguous blocks of batch rows,
    //      adds the T partial sums of its rows in thread order, then runs the other layers, the
    //      loss and every layer's dL/dZ;
    //   3. after a barrier, dL/dW and dL/db over the whole batch: thread t takes block t of each
    //      layer's weight rows (its inputs; for layer 0 the rows it multiplied by in step 1) and
    //      bias entries.
    // No thread's gradient is added to another's; the result depends only on T, never on timing.
    double compute(const Network& network, const Eigen::Ref<const Matrix>& features, const int* labels,
                   const ShareReady& ready = {});

    // The same for the batch made of rows rows[0], ..., rows[count - 1] of `samples`, whose labels
    // are labels[rows[i]]: each thread gathers its block of features straight into its input
    // buffer, so the batch is never copied as a whole.
    double compute(const Network& network, const Matrix& samples, const int* labels, const int* rows,
                   Eigen::Index count, const ShareReady& ready = {});

    // The last batch's gradients, one per layer.
    const std::vector<LayerGradients>& gradients() const { return gradients_; }

    // Fewest rows a thread is given; smaller batches use fewer threads.
    static constexpr Eigen::Index kMinRowsPerThread = 16;

private:
    // The batch: `count` rows of `features`, either the first ones (`rows` null) or
    // rows[0..count) with labels indexed alike.
    struct Batch {
        const Eigen::Ref<const Matrix>& features;
        const int* labels;
        const int* rows;
        Eigen::Index count;
    };
    double compute_batch(const Network& network, const Batch& batch, const ShareReady& ready);
    // Step 1 for thread `part` of `parts`: block `part` of the normalised input features into
    // inputs_[part], times the same block of layer 0's weight rows into partials_[part] (or, with
    // one thread, layer 0's output).
    void first_layer_part(const Network& network, const Batch& batch, int part, int parts);
    // Step 2 for batch rows [first, first + rows): layer 0's output from the `parts` partial sums
    // (when parts > 1), the other layers' outputs and every layer's dL/dZ (scaled by 1 /
    // batch.count, the batch mean's). Returns the block's summed loss.
    double forward_and_deltas(const Network& network, const Batch& batch, Eigen::Index first, Eigen::Index rows,
                              int parts);
    // Step 3: block `part` of `parts` of every layer's gradient over the batch's first batch_rows
    // rows, each share told to `ready`.
    void parameter_gradients(const Network& network, Eigen::Index batch_rows, int part, int parts,
                             const ShareReady& ready);

    std::vector<Matrix> inputs_;       // [t] = thread t's block of the normalised batch (batch x its features)
    std::vector<Matrix> partials_;     // [t] = thread t's partial sum of layer 0's Z (batch x outputs)
    std::vector<Matrix> outputs_;      // [l] = output of layer l, f(Z) (batch x outputs)
    std::vector<Matrix> deltas_;       // [l] = dLoss/dZ of layer l (batch x outputs)
    std::vector<int> labels_;          // the batch's labels, when gathered by row index
    std::vector<LayerGradients> gradients_;
    std::vector<double> block_loss_;   // each block's summed loss
};

}  // namespace fcnet
