// The fully-connected network: construction, initialisation, adaptation and inference.
#include "core/network.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <sstream>
#include <stdexcept>

#include "core/gemm.h"
#include "core/loss.h"

namespace fcnet {

namespace {

void initialize_layer(DenseLayer& layer, std::mt19937_64& rng, Initialization init) {
    const float fan_in = static_cast<float>(layer.inputs());
    const float fan_out = static_cast<float>(layer.outputs());
    if (init == Initialization::he) {
        std::normal_distribution<float> normal(0.0f, std::sqrt(2.0f / fan_in));
        for (Eigen::Index i = 0; i < layer.weights.size(); ++i) layer.weights.data()[i] = normal(rng);
    } else {
        const float limit = std::sqrt(6.0f / (fan_in + fan_out));
        std::uniform_real_distribution<float> uniform(-limit, limit);
        for (Eigen::Index i = 0; i < layer.weights.size(); ++i) layer.weights.data()[i] = uniform(rng);
    }
    layer.bias.setZero();
}

// Each layer gets its own stream so re-initialising one layer does not depend on the others.
std::mt19937_64 layer_rng(std::uint64_t seed, std::size_t layer_index) {
    std::seed_seq sequence{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32),
                           static_cast<std::uint32_t>(layer_index)};
    return std::mt19937_64(sequence);
}

}  // namespace

Network::Network(const std::vector<int>& sizes, Activation hidden, std::uint64_t seed,
                 Initialization init) {
    if (sizes.size() < 2) throw std::invalid_argument("a network needs at least two layer sizes (inputs and classes)");
    for (int size : sizes) {
        if (size < 1) throw std::invalid_argument("layer sizes must be positive, got " + std::to_string(size));
    }
    for (std::size_t i = 0; i + 1 < sizes.size(); ++i) {
        DenseLayer layer;
        layer.weights.resize(sizes[i], sizes[i + 1]);
        layer.bias.resize(sizes[i + 1]);
        layer.activation = (i + 2 == sizes.size()) ? Activation::identity : hidden;
        layers_.push_back(std::move(layer));
    }
    initialize(seed, init);
}

void Network::initialize(std::uint64_t seed, Initialization init) {
    for (std::size_t i = 0; i < layers_.size(); ++i) {
        std::mt19937_64 rng = layer_rng(seed, i);
        initialize_layer(layers_[i], rng, init);
    }
}

std::string Network::adapt_to(int inputs, int classes, std::uint64_t seed) {
    if (layers_.empty()) throw std::logic_error("adapt_to on an empty network");
    std::ostringstream message;
    const auto init = hidden_activation() == Activation::relu || hidden_activation() == Activation::leaky_relu
                          ? Initialization::he
                          : Initialization::xavier;
    if (inputs != this->inputs()) {
        message << "input layer resized from " << this->inputs() << " to " << inputs << " features";
        DenseLayer& first = layers_.front();
        first.weights.resize(inputs, first.outputs());
        std::mt19937_64 rng = layer_rng(seed, 0);
        initialize_layer(first, rng, init);
    }
    if (classes != this->classes()) {
        if (message.tellp() > 0) message << "; ";
        message << "output layer resized from " << this->classes() << " to " << classes << " classes";
        DenseLayer& last = layers_.back();
        last.weights.resize(last.inputs(), classes);
        last.bias.resize(classes);
        std::mt19937_64 rng = layer_rng(seed, layers_.size() - 1);
        initialize_layer(last, rng, init);
    }
    if (message.tellp() > 0) message << " to match the data";
    return message.str();
}

void forward_layer(const DenseLayer& layer, const Eigen::Ref<const Matrix>& input, Matrix& output) {
    output.resize(input.rows(), layer.outputs());
    forward_layer_into(layer, input, output);
}

void forward_layer_into(const DenseLayer& layer, const Eigen::Ref<const Matrix>& input, Eigen::Ref<Matrix> output) {
    multiply_into(input, layer.weights, output);                     // (n x in)(in x out)
    add_bias_and_activate(layer.activation, layer.bias, output);     // f(. + bias), one pass
}

Matrix Network::logits(const Matrix& features) const {
    if (features.cols() != inputs()) {
        throw std::invalid_argument("network expects " + std::to_string(inputs()) + " features, got " +
                                    std::to_string(features.cols()));
    }
    if (layers_.empty()) return (features.array() - normalization.mean) / normalization.stddev;
    // Blocks of rows spread over the threads; the block size is fixed, so the result does not
    // depend on the thread count.
    constexpr Eigen::Index kBlockRows = 256;
    const Eigen::Index rows = features.rows(), blocks = (rows + kBlockRows - 1) / kBlockRows;
    Matrix logits(rows, classes());  // rows x classes
    [[maybe_unused]] const int threads =  // unused where OpenMP is not (wasm)
        static_cast<int>(std::clamp<Eigen::Index>(blocks, 1, std::max(1, Eigen::nbThreads())));
#pragma omp parallel num_threads(threads)
    {
        Matrix activations, next;  // block rows x each layer's width
#pragma omp for schedule(static)
        for (Eigen::Index block = 0; block < blocks; ++block) {
            const Eigen::Index first = block * kBlockRows, count = std::min(kBlockRows, rows - first);
            activations = (features.middleRows(first, count).array() - normalization.mean) / normalization.stddev;
            for (const DenseLayer& layer : layers_) {
                forward_layer(layer, activations, next);
                activations.swap(next);
            }
            logits.middleRows(first, count) = activations;
        }
    }
    return logits;
}

Matrix Network::predict(const Matrix& features) const {
    Matrix probabilities = logits(features) / temperature;
    softmax_rows(probabilities);
    return probabilities;
}

std::vector<int> Network::predict_class(const Matrix& features) const {
    const Matrix scores = logits(features);  // argmax is unchanged by temperature and softmax
    std::vector<int> classes(scores.rows());
    for (Eigen::Index i = 0; i < scores.rows(); ++i) scores.row(i).maxCoeff(&classes[i]);
    return classes;
}

std::vector<int> Network::layer_sizes() const {
    std::vector<int> sizes;
    if (layers_.empty()) return sizes;
    sizes.push_back(layers_.front().inputs());
    for (const DenseLayer& layer : layers_) sizes.push_back(layer.outputs());
    return sizes;
}

Activation Network::hidden_activation() const {
    return layers_.size() > 1 ? layers_.front().activation : Activation::identity;
}

std::int64_t Network::parameter_count() const {
    std::int64_t count = 0;
    for (const DenseLayer& layer : layers_) count += layer.weights.size() + layer.bias.size();
    return count;
}

bool Network::all_finite() const {
    for (const DenseLayer& layer : layers_) {
        if (!layer.weights.allFinite() || !layer.bias.allFinite()) return false;
    }
    return std::isfinite(temperature) && std::isfinite(normalization.mean) && std::isfinite(normalization.stddev);
}

}  // namespace fcnet
