// The optimizer's update loops on raw arrays, one build per instruction set (cmake/gemm.cmake).
//
// Plain loops the compiler vectorises for the build's instruction set: Adam's square root and
// division run 16 floats at a time with AVX-512 where the default build's Eigen code ran 4 (SSE2).
// Built once per instruction set, it calls no inline function from a header (the builtin square
// root, not std::sqrt): the linker would keep one build's copy for every caller.
#include "core/update_kernel.h"

namespace fcnet {

namespace {

// The loops for one slice, every pointer at the slice's first element. The constants are locals,
// so the loops need not reload them after each store and vectorise.
void update_elements(const UpdateRule& rule, float* __restrict w, float* __restrict m, float* __restrict v,
                     const float* __restrict gradient, float decay, std::ptrdiff_t n) {
    if (!rule.adam) {
        const float momentum = rule.momentum, rate = rule.rate;
        for (std::ptrdiff_t i = 0; i < n; ++i) {
            const float g = gradient[i] + decay * w[i];
            m[i] = momentum * m[i] + g;
            w[i] -= rate * m[i];
        }
        return;
    }
    const float b1 = rule.beta1, b2 = rule.beta2, epsilon = rule.epsilon, step = rule.adam_step,
                c2 = rule.inverse_correction2;
    for (std::ptrdiff_t i = 0; i < n; ++i) {
        const float g = gradient[i] + decay * w[i];
        m[i] = b1 * m[i] + (1.0f - b1) * g;
        v[i] = b2 * v[i] + (1.0f - b2) * g * g;
        w[i] -= step * m[i] / (__builtin_sqrtf(v[i] * c2) + epsilon);
    }
}

}  // namespace

void FCNET_UPDATE_FUNCTION(const UpdateRule& rule, const ParameterSlice& p);
void FCNET_UPDATE_FUNCTION(const UpdateRule& rule, const ParameterSlice& p) {
    update_elements(rule, p.w + p.begin, p.m + p.begin, p.v ? p.v + p.begin : nullptr, p.gradient + p.begin, p.decay,
                    p.end - p.begin);
}

}  // namespace fcnet
