// Parameter updates: SGD with momentum and Adam, both with optional L2 weight decay.
#include "core/optimizer.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "core/parallel.h"
#include "core/update_kernel.h"

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

void Optimizer::step(Network& network, const std::vector<LayerGradients>& gradients, float learning_rate) {
    step(network, GradientParts{&gradients}, learning_rate);
}

void Optimizer::step(Network& network, const GradientParts& gradients, float learning_rate) {
    ensure_state(network);
    ++steps_;
    auto& layers = network.layers();
    const bool adam = config_.kind == OptimizerKind::adam;
    UpdateRule rule;  // the formulas are in update_kernel.h
    rule.adam = adam;
    rule.rate = learning_rate;
    rule.momentum = config_.momentum;
    rule.beta1 = config_.beta1;
    rule.beta2 = config_.beta2;
    rule.epsilon = config_.epsilon;
    rule.adam_step = learning_rate / (1.0f - std::pow(config_.beta1, static_cast<float>(steps_)));
    rule.inverse_correction2 = 1.0f / (1.0f - std::pow(config_.beta2, static_cast<float>(steps_)));
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
        static_cast<int>(std::clamp<Eigen::Index>(total / kMinElementsPerThread, 1, std::max(1, Eigen::nbThreads())));
    const UpdateFunction update = parameter_update();  // this CPU's widest instruction set
    // Thread t updates elements [total * t / threads, total * (t + 1) / threads) of the spans laid
    // end to end. Every element is updated on its own, so any split gives the same result.
    auto update_share = [&](int t) {
        const Eigen::Index begin = total * t / threads, end = total * (t + 1) / threads;
        Eigen::Index offset = 0;  // where the span starts in the end-to-end order
        for (const ParameterSpan& span : spans_) {
            const Eigen::Index first = std::max(begin, offset), last = std::min(end, offset + span.size);
            if (first < last) {
                update(rule, {span.w, span.m, span.v, part_data_.data() + span.first_part, gradients.size(),
                              span.decay, first - offset, last - offset});
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
