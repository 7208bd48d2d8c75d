// Parameter updates: SGD with momentum and Adam, both with optional L2 weight decay.
#include "core/optimizer.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "core/parallel.h"

namespace fcnet {

std::string optimizer_name(OptimizerKind kind) { return kind == OptimizerKind::sgd ? "sgd" : "adam"; }

OptimizerKind parse_optimizer(const std::string& name) {
    if (name == "sgd") return OptimizerKind::sgd;
    if (name == "adam") return OptimizerKind::adam;
    throw std::invalid_argument("unknown optimizer '" + name + "' (expected sgd or adam)");
}

void Optimizer::ensure_state(const Network& network) {
    const auto& layers = network.layers();
    bool matches = first_.size() == layers.size();
    for (std::size_t l = 0; matches && l < layers.size(); ++l) {
        matches = first_[l].weights.rows() == layers[l].weights.rows() &&
                  first_[l].weights.cols() == layers[l].weights.cols();
    }
    if (matches) return;
    first_.assign(layers.size(), {});
    second_.assign(config_.kind == OptimizerKind::adam ? layers.size() : 0, {});
    for (std::size_t l = 0; l < layers.size(); ++l) {
        for (auto* state : {&first_, &second_}) {
            if (state->empty()) continue;
            (*state)[l].weights = Matrix::Zero(layers[l].weights.rows(), layers[l].weights.cols());
            (*state)[l].bias = RowVector::Zero(layers[l].bias.size());
        }
    }
    steps_ = 0;
}

namespace {

// Fewest elements per thread worth a parallel region.
constexpr Eigen::Index kMinElementsPerThread = 8192;

}  // namespace

void Optimizer::begin_step(const Network& network, float learning_rate) {
    ensure_state(network);
    ++steps_;
    rule_.adam = config_.kind == OptimizerKind::adam;  // the formulas are in update_kernel.h
    rule_.rate = learning_rate;
    rule_.momentum = config_.momentum;
    rule_.beta1 = config_.beta1;
    rule_.beta2 = config_.beta2;
    rule_.epsilon = config_.epsilon;
    rule_.adam_step = learning_rate / (1.0f - std::pow(config_.beta1, static_cast<float>(steps_)));
    rule_.inverse_correction2 = 1.0f / (1.0f - std::pow(config_.beta2, static_cast<float>(steps_)));
    update_ = parameter_update();
}

void Optimizer::update(Network& network, const std::vector<LayerGradients>& gradients, const GradientShare& share) {
    const std::size_t l = share.layer;
    DenseLayer& layer = network.layers()[l];
    const bool adam = rule_.adam;
    // The share's weight rows are elements [first_row * outputs, (first_row + rows) * outputs) of the
    // row-major weights, gradient and moments alike.
    const Eigen::Index outputs = layer.outputs();
    update_(rule_, {layer.weights.data(), first_[l].weights.data(), adam ? second_[l].weights.data() : nullptr,
                    gradients[l].weights.data(), config_.weight_decay, share.first_row * outputs,
                    (share.first_row + share.rows) * outputs});
    update_(rule_, {layer.bias.data(), first_[l].bias.data(), adam ? second_[l].bias.data() : nullptr,
                    gradients[l].bias.data(), 0.0f, share.first_bias, share.first_bias + share.biases});
}

void Optimizer::step(Network& network, const std::vector<LayerGradients>& gradients, float learning_rate) {
    begin_step(network, learning_rate);
    const auto& layers = network.layers();
    Eigen::Index total = 0;  // parameters over all layers
    for (const DenseLayer& layer : layers) total += layer.weights.size() + layer.bias.size();
    const int threads =
        static_cast<int>(std::clamp<Eigen::Index>(total / kMinElementsPerThread, 1, std::max(1, Eigen::nbThreads())));
    // Thread t updates block t of each layer's weight rows and bias entries.
    auto update_block = [&](int t) {
        for (std::size_t l = 0; l < layers.size(); ++l) {
            const Eigen::Index inputs = layers[l].inputs(), outputs = layers[l].outputs();
            GradientShare share;
            share.layer = l;
            share.first_row = inputs * t / threads;
            share.rows = inputs * (t + 1) / threads - share.first_row;
            share.first_bias = outputs * t / threads;
            share.biases = outputs * (t + 1) / threads - share.first_bias;
            update(network, gradients, share);
        }
    };
    if (threads == 1) {  // no parallel region: OpenMP allocates a team for one even of one thread
        update_block(0);
        return;
    }
#pragma omp parallel num_threads(threads)
    update_block(thread_index());
}

}  // namespace fcnet
