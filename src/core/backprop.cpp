// Forward and backward passes for training, with buffers reused from batch to batch.
#include "core/backprop.h"

#include "core/loss.h"

namespace fcnet {

double Backprop::compute(const Network& network, const Eigen::Ref<const Matrix>& features, const int* labels) {
    const auto& layers = network.layers();
    const std::size_t count = layers.size();
    activations_.resize(count + 1);
    gradients_.resize(count);

    const InputNormalization& norm = network.normalization;
    activations_[0] = (features.array() - norm.mean) / norm.stddev;
    for (std::size_t l = 0; l < count; ++l) forward_layer(layers[l], activations_[l], activations_[l + 1]);

    const double loss = softmax_cross_entropy(activations_[count], labels, &delta_);  // dL/dZ_last
    for (std::size_t l = count; l-- > 0;) {
        LayerGradients& g = gradients_[l];
        g.weights.noalias() = activations_[l].transpose() * delta_;  // dL/dW = A_in^T dL/dZ
        g.bias = delta_.colwise().sum();                             // dL/db = sum over samples
        if (l == 0) break;  // the input needs no gradient
        delta_below_.noalias() = delta_ * layers[l].weights.transpose();  // dL/dA_in = dL/dZ W^T
        multiply_by_derivative(layers[l - 1].activation, activations_[l], delta_below_);
        delta_.swap(delta_below_);
    }
    return loss;
}

}  // namespace fcnet
