// The optimizer's element-wise update behind optimizer.cpp, compiled once per instruction set beside gemm_kernel.cpp.
#pragma once

#include <cstddef>

namespace fcnet {

// One step's update rule, applied to every element with g = gradient + decay * w:
//   SGD:  m = momentum m + g;  w -= rate m
//   Adam: m = beta1 m + (1 - beta1) g;  v = beta2 v + (1 - beta2) g^2;
//         w -= adam_step m / (sqrt(v inverse_correction2) + epsilon)
//   with adam_step = rate / (1 - beta1^t) and inverse_correction2 = 1 / (1 - beta2^t) at step t.
struct UpdateRule {
    bool adam = true;
    float rate = 0, momentum = 0;
    float beta1 = 0, beta2 = 0, epsilon = 0, adam_step = 0, inverse_correction2 = 0;
};

// Elements [begin, end) of one parameter array: weights w, moments m (SGD's velocity or Adam's
// first) and v (Adam's second, null for SGD), and its gradient.
struct ParameterSlice {
    float* w;
    float* m;
    float* v;
    const float* gradient;
    float decay;  // L2 factor (0 for biases)
    std::ptrdiff_t begin, end;
};

// Updates the slice's elements in place.
using UpdateFunction = void (*)(const UpdateRule& rule, const ParameterSlice& slice);

// The update built for the instruction set gemm.h's products run with on this machine.
UpdateFunction parameter_update();

}  // namespace fcnet
