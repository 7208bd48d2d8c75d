// Single-sample inference without allocation: the network with its input normalisation folded
// into the first layer, so blank (zero) pixels cost nothing, run by the SIMD dense kernel.
#pragma once

#include <vector>

#include "core/network.h"

namespace fcnet {

class Predictor {
public:
    // Copies what it needs from `network`; later changes to `network` are not seen.
    explicit Predictor(const Network& network);

    // softmax(logits / temperature) for one sample of raw features (network.inputs() floats)
    // into `probabilities` (network.classes() floats). Same result as Network::predict up to
    // float rounding. Reuses internal buffers: one Predictor per thread.
    void predict(const float* features, float* probabilities);
    // The last layer's output before the temperature and softmax (network.classes() floats).
    void logits(const float* features, float* logits);

    float temperature() const { return temperature_; }

    int inputs() const { return layers_.empty() ? 0 : layers_.front().inputs(); }
    int classes() const { return layers_.empty() ? 0 : layers_.back().outputs(); }

private:
    std::vector<DenseLayer> layers_;  // layer 0: weights / stddev, bias - (mean / stddev) * colsum(weights)
    float temperature_ = 1.0f;
    std::vector<float> a_, b_;        // activations of the layer being computed and of the one before
    std::vector<int> nonzero_index_;  // the current layer input's non-zero entries: indices
    std::vector<float> nonzero_value_;  // and values
};

}  // namespace fcnet
