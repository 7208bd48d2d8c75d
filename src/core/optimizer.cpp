// Parameter updates: SGD with momentum and Adam, both with optional L2 weight decay.
#include "core/optimizer.h"

#include <cmath>
#include <stdexcept>
#include <algorithm>

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

// Elements per parallel work item: large enough to amortise scheduling, small enough to balance.
constexpr Eigen::Index kChunk = 8192;

}  // namespace

void Optimizer::step(Network& network, const std::vector<LayerGradients>& gradients, float learning_rate) {
    ensure_state(network);
    ++steps_;
    const float correction1 = 1.0f - std::pow(config_.beta1, static_cast<float>(steps_));  // Adam bias corrections
    const float correction2 = 1.0f - std::pow(config_.beta2, static_cast<float>(steps_));
    auto& layers = network.layers();
    const bool adam = config_.kind == OptimizerKind::adam;
    spans_.clear();
    for (std::size_t l = 0; l < layers.size(); ++l) {
        spans_.push_back({layers[l].weights.data(), gradients[l].weights.data(), first_[l].weights.data(),
                          adam ? second_[l].weights.data() : nullptr, layers[l].weights.size(), config_.weight_decay});
        spans_.push_back({layers[l].bias.data(), gradients[l].bias.data(), first_[l].bias.data(),
                          adam ? second_[l].bias.data() : nullptr, layers[l].bias.size(), 0.0f});
    }
    // Work items (span, chunk); every element is updated independently, so any split gives the same result.
    chunks_.clear();
    for (std::size_t s = 0; s < spans_.size(); ++s) {
        for (Eigen::Index begin = 0; begin < spans_[s].size; begin += kChunk) chunks_.push_back({s, begin});
    }
    const int items = static_cast<int>(chunks_.size());
    [[maybe_unused]] const int threads = std::max(1, std::min(Eigen::nbThreads(), items));  // read by OpenMP only
    const OptimizerConfig& c = config_;
    const float lr = learning_rate;
    // The update rule on elements [begin, end) of one array, g including decay * w:
    //   SGD:  v = mu v + g;  w -= lr v
    //   Adam: m = b1 m + (1-b1) g;  v = b2 v + (1-b2) g^2;  w -= (lr / c1) m / (sqrt(v / c2) + eps)
    auto update = [&](const ParameterSpan& p, Eigen::Index begin, Eigen::Index end) {
        const Eigen::Index n = end - begin;
        Eigen::Map<Eigen::ArrayXf> w(p.w + begin, n), m(p.m + begin, n);
        const Eigen::Map<const Eigen::ArrayXf> raw(p.g + begin, n);
        const auto g = raw + p.decay * w;
        if (!adam) {
            m = c.momentum * m + g;
            w -= lr * m;
            return;
        }
        Eigen::Map<Eigen::ArrayXf> v(p.v + begin, n);
        m = c.beta1 * m + (1.0f - c.beta1) * g;
        v = c.beta2 * v + (1.0f - c.beta2) * g.square();
        w -= (lr / correction1) * m / ((v / correction2).sqrt() + c.epsilon);
    };
#pragma omp parallel for num_threads(threads) schedule(static)
    for (int i = 0; i < items; ++i) {
        const ParameterSpan& span = spans_[chunks_[i].first];
        const Eigen::Index begin = chunks_[i].second;
        update(span, begin, std::min(begin + kChunk, span.size));
    }
}

}  // namespace fcnet
