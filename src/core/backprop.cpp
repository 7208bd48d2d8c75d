// Forward and backward passes for training, with buffers reused from batch to batch.
#include "core/backprop.h"

#include <algorithm>

#include "core/gemm.h"
#include "core/loss.h"
#include "core/parallel.h"

namespace fcnet {

namespace {

// Gives `g` the shape of `layer`'s parameters; keeps the buffers when they already fit.
void shape_like(const DenseLayer& layer, LayerGradients& g) {
    g.weights.resize(layer.inputs(), layer.outputs());
    g.bias.resize(layer.outputs());
}

// Makes `m` at least rows x cols, keeping its buffer when it is large enough: a batch uses its top
// rows, so the last, shorter batch of an epoch and the next full one allocate nothing.
void reserve_rows(Matrix& m, Eigen::Index rows, Eigen::Index cols) {
    if (m.cols() != cols || m.rows() < rows) m.resize(rows, cols);
}

// Block `part` of `parts` of [0, size): [size * part / parts, size * (part + 1) / parts).
Eigen::Index block_start(Eigen::Index size, int part, int parts) { return size * part / parts; }

}  // namespace

void Backprop::first_layer_part(const Network& network, const Batch& batch, int part, int parts) {
    const InputNormalization& norm = network.normalization;
    const float inverse_stddev = 1.0f / norm.stddev;
    const Eigen::Index rows = batch.count, features = batch.features.cols();
    const Eigen::Index first = block_start(features, part, parts);
    const Eigen::Index width = block_start(features, part + 1, parts) - first;
    auto input = inputs_[part].topRows(rows);  // rows x width, normalised
    if (batch.rows == nullptr) {
        input.array() = (batch.features.block(0, first, rows, width).array() - norm.mean) * inverse_stddev;
    } else {
        // Shuffled rows sit anywhere in the training set: each row's cache lines are asked for
        // kAhead rows before it is normalised, so that does not wait for memory.
        constexpr Eigen::Index kAhead = 2, kLineFloats = 64 / sizeof(float);
        const float* samples = batch.features.data() + first;
        const Eigen::Index stride = batch.features.outerStride();
        for (Eigen::Index r = -kAhead; r < rows; ++r) {
            if (r + kAhead < rows) {
                const float* ahead = samples + batch.rows[r + kAhead] * stride;
                for (Eigen::Index i = 0; i < width; i += kLineFloats) __builtin_prefetch(ahead + i);
            }
            if (r < 0) continue;
            input.row(r).array() =
                (batch.features.row(batch.rows[r]).segment(first, width).array() - norm.mean) * inverse_stddev;
        }
    }
    const DenseLayer& layer = network.layers().front();
    if (parts == 1) {
        forward_layer_into(layer, input, outputs_[0].topRows(rows));
    } else {  // (rows x width)(width x outputs): this block's part of Z = A_in W
        multiply_into(input, layer.weights.middleRows(first, width), partials_[part].topRows(rows));
    }
}

double Backprop::forward_and_deltas(const Network& network, const Batch& batch, Eigen::Index first,
                                    Eigen::Index rows, int parts) {
    const auto& layers = network.layers();
    const std::size_t count = layers.size();
    const int* labels = batch.labels + first;
    if (batch.rows != nullptr) {
        for (Eigen::Index r = first; r < first + rows; ++r) labels_[r] = batch.labels[batch.rows[r]];
        labels = labels_.data() + first;
    }
    if (parts > 1) {  // Z of layer 0 = the partial sums in thread order, then f(. + bias)
        auto z = outputs_[0].middleRows(first, rows);
        z = partials_[0].middleRows(first, rows);
        for (int p = 1; p < parts; ++p) z += partials_[p].middleRows(first, rows);
        add_bias_and_activate(layers[0].activation, layers[0].bias, z);
    }
    for (std::size_t l = 1; l < count; ++l) {
        forward_layer_into(layers[l], outputs_[l - 1].middleRows(first, rows), outputs_[l].middleRows(first, rows));
    }

    // dL/dZ_last = (softmax(Z) - one_hot(y)) / batch.count: (rows x classes)
    const double loss_sum = softmax_cross_entropy_sum(outputs_[count - 1].middleRows(first, rows), labels,
                                                      1.0f / static_cast<float>(batch.count),
                                                      deltas_[count - 1].middleRows(first, rows));
    for (std::size_t l = count - 1; l > 0; --l) {
        auto below = deltas_[l - 1].middleRows(first, rows);
        // (rows x out)(in x out)^T: dL/dA_in = dL/dZ W^T, then dL/dZ_in = dL/dA_in * f'(Z_in)
        multiply_transposed_b_into(deltas_[l].middleRows(first, rows), layers[l].weights, below);
        multiply_by_derivative(layers[l - 1].activation, outputs_[l - 1].middleRows(first, rows), below);
    }
    return loss_sum;
}

void Backprop::parameter_gradients(const Network& network, Eigen::Index batch_rows, int part, int parts,
                                   const ShareReady& ready) {
    const auto& layers = network.layers();
    for (std::size_t l = layers.size(); l-- > 0;) {
        const Eigen::Index inputs = layers[l].inputs(), outputs = layers[l].outputs();
        GradientShare share;
        share.layer = l;
        share.first_row = block_start(inputs, part, parts);
        share.rows = block_start(inputs, part + 1, parts) - share.first_row;
        share.first_bias = block_start(outputs, part, parts);
        share.biases = block_start(outputs, part + 1, parts) - share.first_bias;
        // batch x share.rows: layer 0's is this thread's input block, made in step 1
        const Eigen::Ref<const Matrix> input =
            l == 0 ? Eigen::Ref<const Matrix>(inputs_[part].topRows(batch_rows))
                   : Eigen::Ref<const Matrix>(outputs_[l - 1].topRows(batch_rows).middleCols(share.first_row, share.rows));
        const auto delta = deltas_[l].topRows(batch_rows);  // batch x outputs
        LayerGradients& g = gradients_[l];
        if (share.rows > 0) {  // (batch x rows)^T (batch x outputs): these rows of dL/dW = A_in^T dL/dZ
            multiply_transposed_a_into(input, delta, g.weights.middleRows(share.first_row, share.rows));
        }
        // dL/db = the sum of dL/dZ over the batch's samples, in sample order
        float* __restrict bias = g.bias.data() + share.first_bias;
        std::fill_n(bias, share.biases, 0.0f);
        for (Eigen::Index r = 0; r < batch_rows; ++r) {
            const float* __restrict sample = delta.row(r).data() + share.first_bias;
            for (Eigen::Index j = 0; j < share.biases; ++j) bias[j] += sample[j];
        }
        if (ready) ready(gradients_, share);
    }
}

double Backprop::compute(const Network& network, const Eigen::Ref<const Matrix>& features, const int* labels,
                         const ShareReady& ready) {
    return compute_batch(network, {features, labels, nullptr, features.rows()}, ready);
}

double Backprop::compute(const Network& network, const Matrix& samples, const int* labels, const int* rows,
                         Eigen::Index count, const ShareReady& ready) {
    const Eigen::Ref<const Matrix> features(samples);
    return compute_batch(network, {features, labels, rows, count}, ready);
}

double Backprop::compute_batch(const Network& network, const Batch& batch, const ShareReady& ready) {
    const auto& layers = network.layers();
    const Eigen::Index rows = batch.count, features = batch.features.cols();
    const int threads = static_cast<int>(
        std::clamp<Eigen::Index>(rows / kMinRowsPerThread, 1, std::max(1, Eigen::nbThreads())));
    inputs_.resize(std::max<std::size_t>(inputs_.size(), threads));
    if (threads > 1) partials_.resize(std::max<std::size_t>(partials_.size(), threads));
    for (int t = 0; t < threads; ++t) {
        reserve_rows(inputs_[t], rows, block_start(features, t + 1, threads) - block_start(features, t, threads));
        if (threads > 1) reserve_rows(partials_[t], rows, layers.front().outputs());
    }
    outputs_.resize(layers.size());
    deltas_.resize(layers.size());
    gradients_.resize(layers.size());
    for (std::size_t l = 0; l < layers.size(); ++l) {
        reserve_rows(outputs_[l], rows, layers[l].outputs());
        reserve_rows(deltas_[l], rows, layers[l].outputs());
        shape_like(layers[l], gradients_[l]);
    }
    if (batch.rows != nullptr) labels_.resize(static_cast<std::size_t>(rows));
    if (threads == 1) {
        first_layer_part(network, batch, 0, 1);
        const double loss_sum = rows > 0 ? forward_and_deltas(network, batch, 0, rows, 1) : 0.0;
        parameter_gradients(network, rows, 0, 1, ready);
        return rows > 0 ? loss_sum / static_cast<double>(rows) : 0.0;
    }

    block_loss_.assign(threads, 0.0);
#pragma omp parallel num_threads(threads)
    {
        const int t = thread_index();
        first_layer_part(network, batch, t, threads);
#pragma omp barrier
        const Eigen::Index first = block_start(rows, t, threads);
        block_loss_[t] = forward_and_deltas(network, batch, first, block_start(rows, t + 1, threads) - first, threads);
#pragma omp barrier
        parameter_gradients(network, rows, t, threads, ready);
    }
    double loss_sum = 0;
    for (double block : block_loss_) loss_sum += block;
    return loss_sum / static_cast<double>(rows);
}

}  // namespace fcnet
