// The fully-connected network: dense layers, a softmax output, a calibration temperature.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/activation.h"
#include "core/tensor.h"

namespace fcnet {

// One dense layer: z = x * weights + bias, then a = f(z).
struct DenseLayer {
    Matrix weights;   // inputs x outputs
    RowVector bias;   // 1 x outputs
    Activation activation = Activation::identity;

    int inputs() const { return static_cast<int>(weights.rows()); }
    int outputs() const { return static_cast<int>(weights.cols()); }
};

// output = f(input * weights + bias): (n x in) * (in x out) + (1 x out) = n x out.
// `output` is reused when it already has the right shape (no allocation in training loops).
void forward_layer(const DenseLayer& layer, const Eigen::Ref<const Matrix>& input, Matrix& output);
// The same into `output`, which already has the n x out shape (for example one thread's rows of a batch).
void forward_layer_into(const DenseLayer& layer, const Eigen::Ref<const Matrix>& input, Eigen::Ref<Matrix> output);

// Raw features are mapped to (x - mean) / stddev before the first layer.
struct InputNormalization {
    float mean = 0.0f;
    float stddev = 1.0f;
};

enum class Initialization { he, xavier };

class Network {
public:
    Network() = default;
    // sizes = {inputs, hidden..., classes}; hidden layers use `hidden`, the last is linear
    // (its logits go to softmax). Weights are drawn from `seed`.
    Network(const std::vector<int>& sizes, Activation hidden, std::uint64_t seed,
            Initialization init = Initialization::he);

    // Re-draws every weight for the current architecture (biases to zero).
    void initialize(std::uint64_t seed, Initialization init);

    // Makes the first layer take `inputs` features and the last give `classes` logits,
    // re-initialising only the layers whose size changed. Returns a one-line description
    // of what changed, or "" when nothing did.
    std::string adapt_to(int inputs, int classes, std::uint64_t seed);

    // Logits (samples x classes) for raw features (samples x inputs).
    Matrix logits(const Matrix& features) const;
    // softmax(logits / temperature), rows sum to one.
    Matrix predict(const Matrix& features) const;
    // Index of the largest probability for each sample.
    std::vector<int> predict_class(const Matrix& features) const;

    std::vector<int> layer_sizes() const;
    Activation hidden_activation() const;
    std::int64_t parameter_count() const;
    int inputs() const { return layers_.empty() ? 0 : layers_.front().inputs(); }
    int classes() const { return layers_.empty() ? 0 : layers_.back().outputs(); }
    bool all_finite() const;

    std::vector<DenseLayer>& layers() { return layers_; }
    const std::vector<DenseLayer>& layers() const { return layers_; }

    float temperature = 1.0f;
    InputNormalization normalization;

private:
    std::vector<DenseLayer> layers_;
};

}  // namespace fcnet
