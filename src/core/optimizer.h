// Parameter updates: SGD with momentum and Adam, both with optional L2 weight decay.
#pragma once

#include <string>
#include <vector>

#include "core/backprop.h"
#include "core/network.h"
#include "core/update_kernel.h"

namespace fcnet {

enum class OptimizerKind { sgd, adam };

struct OptimizerConfig {
    OptimizerKind kind = OptimizerKind::adam;
    float momentum = 0.9f;       // SGD: v = momentum * v + g;  w -= lr * v
    float beta1 = 0.9f;          // Adam first-moment decay
    float beta2 = 0.999f;        // Adam second-moment decay
    float epsilon = 1e-8f;       // Adam denominator guard
    float weight_decay = 0.0f;   // L2: adds weight_decay * w to the weights' gradient (not biases)
};

std::string optimizer_name(OptimizerKind kind);
OptimizerKind parse_optimizer(const std::string& name);  // throws std::invalid_argument

class Optimizer {
public:
    explicit Optimizer(const OptimizerConfig& config) : config_(config) {}

    // One update of every layer with the given gradients at this learning rate.
    void step(Network& network, const std::vector<LayerGradients>& gradients, float learning_rate);

    // The same step in shares, as Backprop's ShareReady tells them: begin_step() once, then
    // update() for every share of the gradient exactly once, from any threads (disjoint shares at
    // once). Each element is updated on its own, so the result is step()'s for any split.
    void begin_step(const Network& network, float learning_rate);
    void update(Network& network, const std::vector<LayerGradients>& gradients, const GradientShare& share);

private:
    struct Moments {
        Matrix weights;
        RowVector bias;
    };
    void ensure_state(const Network& network);

    OptimizerConfig config_;
    std::vector<Moments> first_;   // SGD velocity, or Adam's m
    std::vector<Moments> second_;  // Adam's v
    UpdateRule rule_;              // this step's constants (begin_step)
    UpdateFunction update_ = nullptr;  // this CPU's widest instruction set
    long long steps_ = 0;
};

}  // namespace fcnet
