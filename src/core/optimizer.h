// Parameter updates: SGD with momentum and Adam, both with optional L2 weight decay.
#pragma once

#include <string>
#include <vector>

#include "core/backprop.h"
#include "core/network.h"

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
    // The same with the gradients given as parts (Backprop::gradient_parts()), summed in order
    // chunk by chunk as the update goes: the same numbers as summing them first.
    void step(Network& network, const GradientParts& gradients, float learning_rate);

private:
    struct Moments {
        Matrix weights;
        RowVector bias;
    };
    void ensure_state(const Network& network);

    OptimizerConfig config_;
    std::vector<Moments> first_;   // SGD velocity, or Adam's m
    std::vector<Moments> second_;  // Adam's v
    // One parameter array with its moment arrays and the parts of its gradient, all `size` floats long.
    struct ParameterSpan {
        float* w;
        std::size_t first_part;  // its gradient's parts are part_data_[first_part, first_part + parts)
        float* m;
        float* v;      // null for SGD
        Eigen::Index size;
        float decay;   // L2 factor added to this array's gradient (0 for biases)
    };
    std::vector<ParameterSpan> spans_;  // every parameter array with its state, rebuilt each step
    std::vector<const float*> part_data_;  // each span's gradient parts, rebuilt each step
    long long steps_ = 0;
};

}  // namespace fcnet
