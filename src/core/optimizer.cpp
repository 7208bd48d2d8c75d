// Parameter updates: SGD with momentum and Adam, both with optional L2 weight decay.
#include "core/optimizer.h"

#include <cmath>
#include <stdexcept>

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

// The update rule applied to one parameter array; `m`, `v` are its moment arrays.
template <typename Param, typename Grad, typename State>
void update(OptimizerKind kind, const OptimizerConfig& c, float lr, float correction1, float correction2,
            Param&& w, const Grad& g, State& m, State& v) {
    if (kind == OptimizerKind::sgd) {
        m.array() = c.momentum * m.array() + g.array();  // v = mu v + g
        w.array() -= lr * m.array();                     // w -= lr v
        return;
    }
    m.array() = c.beta1 * m.array() + (1.0f - c.beta1) * g.array();             // m = b1 m + (1-b1) g
    v.array() = c.beta2 * v.array() + (1.0f - c.beta2) * g.array().square();    // v = b2 v + (1-b2) g^2
    w.array() -= (lr / correction1) * m.array() / ((v.array() / correction2).sqrt() + c.epsilon);
}

}  // namespace

void Optimizer::step(Network& network, const std::vector<LayerGradients>& gradients, float learning_rate) {
    ensure_state(network);
    ++steps_;
    const float correction1 = 1.0f - std::pow(config_.beta1, static_cast<float>(steps_));  // Adam bias corrections
    const float correction2 = 1.0f - std::pow(config_.beta2, static_cast<float>(steps_));
    auto& layers = network.layers();
    Moments unused;
    for (std::size_t l = 0; l < layers.size(); ++l) {
        Moments& m = first_[l];
        Moments& v = second_.empty() ? unused : second_[l];
        const Matrix* weight_gradient = &gradients[l].weights;
        if (config_.weight_decay != 0.0f) {
            decayed_ = gradients[l].weights + config_.weight_decay * layers[l].weights;  // g + lambda w
            weight_gradient = &decayed_;
        }
        update(config_.kind, config_, learning_rate, correction1, correction2, layers[l].weights,
               *weight_gradient, m.weights, v.weights);
        update(config_.kind, config_, learning_rate, correction1, correction2, layers[l].bias,
               gradients[l].bias, m.bias, v.bias);
    }
}

}  // namespace fcnet
