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

}  // namespace

double Backprop::run_block(const Network& network, const Batch& batch, Eigen::Index first, Eigen::Index rows,
                           Worker& w, std::vector<LayerGradients>& out) {
    const auto& layers = network.layers();
    const std::size_t count = layers.size();
    w.activations.resize(count + 1);
    w.deltas.resize(count);

    const InputNormalization& norm = network.normalization;
    const float inverse_stddev = 1.0f / norm.stddev;
    Matrix& input = w.activations[0];  // rows x features, normalised
    input.resize(rows, batch.features.cols());
    const int* labels = batch.labels + first;
    if (batch.rows == nullptr) {
        input.array() = (batch.features.middleRows(first, rows).array() - norm.mean) * inverse_stddev;
    } else {
        w.labels.resize(rows);
        for (Eigen::Index r = 0; r < rows; ++r) {
            const int sample = batch.rows[first + r];
            input.row(r).array() = (batch.features.row(sample).array() - norm.mean) * inverse_stddev;
            w.labels[r] = batch.labels[sample];
        }
        labels = w.labels.data();
    }
    for (std::size_t l = 0; l < count; ++l) forward_layer(layers[l], w.activations[l], w.activations[l + 1]);

    // dL/dZ_last = (softmax(Z) - one_hot(y)) / batch.count: (rows x classes)
    const double loss_sum = softmax_cross_entropy_sum(w.activations[count], labels,
                                                      1.0f / static_cast<float>(batch.count), &w.deltas[count - 1]);
    for (std::size_t l = count; l-- > 0;) {
        LayerGradients& g = out[l];
        const Matrix& delta = w.deltas[l];
        multiply_transposed_a(w.activations[l], delta, g.weights);  // (rows x in)^T (rows x out): dL/dW = A_in^T dL/dZ
        g.bias.noalias() = delta.colwise().sum();                    // (1 x out): dL/db = sum over samples
        if (l == 0) break;  // the input needs no gradient
        Matrix& below = w.deltas[l - 1];
        multiply_transposed_b(delta, layers[l].weights, below);  // (rows x out)(in x out)^T: dL/dA_in
        multiply_by_derivative(layers[l - 1].activation, w.activations[l], below);  // dL/dZ_in
    }
    return loss_sum;
}

double Backprop::compute(const Network& network, const Eigen::Ref<const Matrix>& features, const int* labels) {
    return compute_batch(network, {features, labels, nullptr, features.rows()});
}

double Backprop::compute(const Network& network, const Matrix& samples, const int* labels, const int* rows,
                         Eigen::Index count) {
    const Eigen::Ref<const Matrix> features(samples);
    return compute_batch(network, {features, labels, rows, count});
}

double Backprop::compute_batch(const Network& network, const Batch& batch) {
    const auto& layers = network.layers();
    const Eigen::Index rows = batch.count;
    const int threads = static_cast<int>(
        std::clamp<Eigen::Index>(rows / kMinRowsPerThread, 1, std::max(1, Eigen::nbThreads())));
    workers_.resize(threads);
    gradients_.resize(layers.size());
    for (std::size_t l = 0; l < layers.size(); ++l) shape_like(layers[l], gradients_[l]);
    parts_.assign(1, &gradients_);
    if (threads == 1) {
        return rows > 0 ? run_block(network, batch, 0, rows, workers_[0], gradients_) /
                              static_cast<double>(rows)
                        : 0.0;
    }
    for (int t = 1; t < threads; ++t) {
        workers_[t].gradients.resize(layers.size());
        for (std::size_t l = 0; l < layers.size(); ++l) shape_like(layers[l], workers_[t].gradients[l]);
    }

    block_loss_.assign(threads, 0.0);
    for (int t = 1; t < threads; ++t) parts_.push_back(&workers_[t].gradients);
#pragma omp parallel num_threads(threads)
    {
        const int t = thread_index();
        // Block t holds rows [rows * t / threads, rows * (t + 1) / threads); block 0 writes gradients_.
        const Eigen::Index first = rows * t / threads, last = rows * (t + 1) / threads;
        block_loss_[t] = run_block(network, batch, first, last - first, workers_[t],
                                  t == 0 ? gradients_ : workers_[t].gradients);
    }
    double loss_sum = 0;
    for (double block : block_loss_) loss_sum += block;
    return loss_sum / static_cast<double>(rows);
}

const std::vector<LayerGradients>& Backprop::gradients() {
    for (std::size_t l = 0; l < gradients_.size(); ++l) {
        for (std::size_t part = 1; part < parts_.size(); ++part) {
            gradients_[l].weights += (*parts_[part])[l].weights;
            gradients_[l].bias += (*parts_[part])[l].bias;
        }
    }
    parts_.assign(1, &gradients_);
    return gradients_;
}

}  // namespace fcnet
