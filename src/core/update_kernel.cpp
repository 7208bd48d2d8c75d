// The optimizer's update loops on raw arrays, one build per instruction set (cmake/gemm.cmake).
//
// Plain loops the compiler vectorises for the build's instruction set: Adam's square root and
// division run 16 floats at a time with AVX-512 where the default build's Eigen code ran 4 (SSE2).
#include <algorithm>
#include <cmath>

#include "core/update_kernel.h"

namespace fcnet {

namespace {

// Elements updated at a time: a chunk's sum of the gradient parts (4 KiB) is written and read
// back while it is in L1.
constexpr std::ptrdiff_t kChunk = 1024;

// One chunk, n <= kChunk elements, every pointer at the chunk's first element. The constants are
// locals, so the loops need not reload them after each store and vectorise.
void update_chunk(const UpdateRule& rule, float* __restrict w, float* __restrict m, float* __restrict v,
                  const float* __restrict raw, float decay, std::ptrdiff_t n) {
    if (!rule.adam) {
        const float momentum = rule.momentum, rate = rule.rate;
        for (std::ptrdiff_t i = 0; i < n; ++i) {
            const float g = raw[i] + decay * w[i];
            m[i] = momentum * m[i] + g;
            w[i] -= rate * m[i];
        }
        return;
    }
    const float b1 = rule.beta1, b2 = rule.beta2, epsilon = rule.epsilon, step = rule.adam_step,
                c2 = rule.inverse_correction2;
    for (std::ptrdiff_t i = 0; i < n; ++i) {
        const float g = raw[i] + decay * w[i];
        m[i] = b1 * m[i] + (1.0f - b1) * g;
        v[i] = b2 * v[i] + (1.0f - b2) * g * g;
        w[i] -= step * m[i] / (std::sqrt(v[i] * c2) + epsilon);
    }
}

}  // namespace

void FCNET_UPDATE_FUNCTION(const UpdateRule& rule, const ParameterSlice& p);
void FCNET_UPDATE_FUNCTION(const UpdateRule& rule, const ParameterSlice& p) {
    float sum[kChunk];  // the parts' sum for one chunk, while it is in L1
    for (std::ptrdiff_t begin = p.begin; begin < p.end; begin += kChunk) {
        const std::ptrdiff_t n = std::min(kChunk, p.end - begin);
        const float* raw = p.parts[0] + begin;
        if (p.part_count > 1) {
            const float* __restrict first = p.parts[0] + begin;
            const float* __restrict second = p.parts[1] + begin;
            for (std::ptrdiff_t i = 0; i < n; ++i) sum[i] = first[i] + second[i];
            for (std::size_t k = 2; k < p.part_count; ++k) {
                const float* __restrict part = p.parts[k] + begin;
                for (std::ptrdiff_t i = 0; i < n; ++i) sum[i] += part[i];
            }
            raw = sum;
        }
        update_chunk(rule, p.w + begin, p.m + begin, p.v ? p.v + begin : nullptr, raw, p.decay, n);
    }
}

}  // namespace fcnet
