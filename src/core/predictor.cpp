// Single-sample inference without allocation: the network with its input normalisation folded
// into the first layer, so blank (zero) pixels cost nothing, run by the SIMD dense kernel.
#include "core/predictor.h"

#include <algorithm>
#include <stdexcept>

#include "core/loss.h"
#include "core/simd_dense.h"

namespace fcnet {

Predictor::Predictor(const Network& network) : layers_(network.layers()), temperature_(network.temperature) {
    if (layers_.empty()) throw std::invalid_argument("Predictor: the network has no layers");
    // ((x - mean) / stddev) W + b = x (W / stddev) + (b - (mean / stddev) * 1 W): (1 x in)(in x out)
    DenseLayer& first = layers_.front();
    const float mean = network.normalization.mean, stddev = network.normalization.stddev;
    first.bias -= (mean / stddev) * first.weights.colwise().sum();
    first.weights /= stddev;
    int widest = first.inputs();
    for (const DenseLayer& layer : layers_) widest = std::max(widest, layer.outputs());
    a_.resize(widest);
    b_.resize(widest);
    nonzero_index_.resize(widest);
    nonzero_value_.resize(widest);
}

void Predictor::logits(const float* features, float* logits) {
    const float* input = features;
    for (std::size_t l = 0; l < layers_.size(); ++l) {
        const DenseLayer& layer = layers_[l];
        float* output = (l + 1 == layers_.size()) ? logits : (l % 2 == 0 ? a_.data() : b_.data());
        const int count = simd::nonzero_inputs(input, layer.inputs(), nonzero_index_.data(), nonzero_value_.data());
        simd::dense_sample(nonzero_index_.data(), nonzero_value_.data(), count, layer.weights.data(),
                           layer.bias.data(), layer.outputs(), output);
        Eigen::Map<Matrix> z(output, 1, layer.outputs());
        activate(layer.activation, z);
        input = output;
    }
}

void Predictor::predict(const float* features, float* probabilities) {
    logits(features, probabilities);
    Eigen::Map<Matrix> scores(probabilities, 1, classes());
    scores /= temperature_;
    softmax_rows(scores);
}

}  // namespace fcnet
