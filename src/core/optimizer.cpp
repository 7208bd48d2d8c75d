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

// Elements updated at a time: a chunk's sum of the gradient parts (4 KiB) is written and read
// back while it is in L1.
constexpr Eigen::Index kChunk = 1024;

}  // namespace

void Optimizer::step(Network& network, const std::vector<LayerGradients>& gradients, float learning_rate) {
    step(network, GradientParts{&gradients}, learning_rate);
}

void Optimizer::step(Network& network, const GradientParts& gradients, float learning_rate) {
    ensure_state(network);
    ++steps_;
    const float correction1 = 1.0f - std::pow(config_.beta1, static_cast<float>(steps_));  // Adam bias corrections
    const float correction2 = 1.0f - std::pow(config_.beta2, static_cast<float>(steps_));
    auto& layers = network.layers();
    const bool adam = config_.kind == OptimizerKind::adam;
    const std::size_t parts = gradients.size();
    spans_.clear();
    part_data_.clear();
    for (std::size_t l = 0; l < layers.size(); ++l) {
        spans_.push_back({layers[l].weights.data(), part_data_.size(), first_[l].weights.data(),
                          adam ? second_[l].weights.data() : nullptr, layers[l].weights.size(), config_.weight_decay});
        for (const auto* part : gradients) part_data_.push_back((*part)[l].weights.data());
        spans_.push_back({layers[l].bias.data(), part_data_.size(), first_[l].bias.data(),
                          adam ? second_[l].bias.data() : nullptr, layers[l].bias.size(), 0.0f});
        for (const auto* part : gradients) part_data_.push_back((*part)[l].bias.data());
    }
    Eigen::Index total = 0;  // elements over all spans
    for (const ParameterSpan& span : spans_) total += span.size;
    const int threads =
        static_cast<int>(std::clamp<Eigen::Index>(total / (8 * kChunk), 1, std::max(1, Eigen::nbThreads())));
    const OptimizerConfig& c = config_;
    const float lr = learning_rate;
    // The update rule on elements [begin, end) of one array, g including decay * w:
    //   SGD:  v = mu v + g;  w -= lr v
    //   Adam: m = b1 m + (1-b1) g;  v = b2 v + (1-b2) g^2;  w -= (lr / c1) m / (sqrt(v / c2) + eps)
    const float adam_step = lr / correction1, inverse_correction2 = 1.0f / correction2;
    auto update = [&](const ParameterSpan& p, Eigen::Index begin, Eigen::Index end) {
        const Eigen::Index n = end - begin;
        const float* const* part = part_data_.data() + p.first_part;
        float sum[kChunk];  // the parts' sum for this chunk, while it is in L1
        if (parts > 1) {
            using Part = Eigen::Map<const Eigen::ArrayXf>;
            Eigen::Map<Eigen::ArrayXf> summed(sum, n);
            summed = Part(part[0] + begin, n) + Part(part[1] + begin, n);
            for (std::size_t k = 2; k < parts; ++k) summed += Part(part[k] + begin, n);
        }
        // One pass over the chunk (the compiler vectorises it): each element is read and written once.
        const float* __restrict raw = parts > 1 ? sum : part[0] + begin;
        float* __restrict w = p.w + begin;
        float* __restrict m = p.m + begin;
        // The constants are copied to locals: read through the lambda's captured references, they
        // would have to be reloaded after every store, and the loops would not vectorise.
        const float decay = p.decay;
        if (!adam) {
            const float momentum = c.momentum, rate = lr;
            for (Eigen::Index i = 0; i < n; ++i) {
                const float g = raw[i] + decay * w[i];
                m[i] = momentum * m[i] + g;
                w[i] -= rate * m[i];
            }
            return;
        }
        float* __restrict v = p.v + begin;
        const float b1 = c.beta1, b2 = c.beta2, epsilon = c.epsilon, step = adam_step, c2 = inverse_correction2;
        for (Eigen::Index i = 0; i < n; ++i) {
            const float g = raw[i] + decay * w[i];
            m[i] = b1 * m[i] + (1.0f - b1) * g;
            v[i] = b2 * v[i] + (1.0f - b2) * g * g;
            w[i] -= step * m[i] / (std::sqrt(v[i] * c2) + epsilon);
        }
    };
    // Thread t updates elements [total * t / threads, total * (t + 1) / threads) of the spans laid
    // end to end. Every element is updated on its own, so any split gives the same result.
    auto update_share = [&](int t) {
        const Eigen::Index begin = total * t / threads, end = total * (t + 1) / threads;
        Eigen::Index offset = 0;  // where the span starts in the end-to-end order
        for (const ParameterSpan& span : spans_) {
            const Eigen::Index first = std::max(begin, offset), last = std::min(end, offset + span.size);
            for (Eigen::Index i = first; i < last; i += kChunk) {
                update(span, i - offset, std::min(i + kChunk, last) - offset);
            }
            offset += span.size;
        }
    };
    if (threads == 1) {  // no parallel region: OpenMP allocates a team for one even of one thread
        update_share(0);
        return;
    }
#pragma omp parallel num_threads(threads)
    update_share(thread_index());
}

}  // namespace fcnet
