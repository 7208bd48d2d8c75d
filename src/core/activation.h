// Hidden-layer activation functions and their derivatives.
#pragma once

#include <string>

#include "core/tensor.h"

namespace fcnet {

enum class Activation { identity, relu, leaky_relu, sigmoid, tanh };

constexpr float kLeakyReluSlope = 0.01f;

// Applies the activation to z in place: a = f(z).
void activate(Activation activation, Eigen::Ref<Matrix> z);

// z = f(z + bias) in one pass over z (rows x n), bias is 1 x n: the dense layer's epilogue.
void add_bias_and_activate(Activation activation, const RowVector& bias, Eigen::Ref<Matrix> z);

// Multiplies the upstream gradient by f'(z), given the activated values a = f(z):
// every activation here has a derivative expressible through its output.
void multiply_by_derivative(Activation activation, const Eigen::Ref<const Matrix>& activated,
                            Eigen::Ref<Matrix> gradient);

std::string activation_name(Activation activation);
// Throws std::invalid_argument naming the accepted values.
Activation parse_activation(const std::string& name);

}  // namespace fcnet
