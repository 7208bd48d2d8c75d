// The dense kernel for one sample, y = bias + x W, skipping zero inputs: wasm_simd128 under
// Emscripten, Eigen (SSE/AVX as compiled) elsewhere. The only platform switch for it.
#pragma once

#include <Eigen/Core>

#ifdef __EMSCRIPTEN__
#include <wasm_simd128.h>
#endif

namespace fcnet::simd {

// Collects the non-zero entries of x (1 x in): their indices and values, in increasing index
// order. Returns how many; `index` and `value` need room for `in` entries.
inline int nonzero_inputs(const float* x, int in, int* index, float* value) {
    int count = 0;
    for (int i = 0; i < in; ++i) {  // branch-free: ReLU zeros fall at random
        index[count] = i;
        value[count] = x[i];
        count += x[i] != 0.0f;
    }
    return count;
}

// y (1 x out) = bias (1 x out) + sum over k < count of value[k] * weights[index[k], :], with
// weights (in x out, row-major): x W + bias over x's non-zero entries (ReLU outputs and blank
// pixels cost nothing). The sum runs over k in increasing order for every output, on every platform.
inline void dense_sample(const int* index, const float* value, int count, const float* weights, const float* bias,
                         int out, float* y) {
#if defined(__EMSCRIPTEN__) && defined(__wasm_simd128__)
    // Blocks of 32 outputs held in 8 v128 accumulators across the whole input loop.
    int j0 = 0;
    for (; j0 + 32 <= out; j0 += 32) {
        v128_t acc[8];
        for (int k = 0; k < 8; ++k) acc[k] = wasm_v128_load(bias + j0 + 4 * k);
        int n = 0;
        for (; n + 2 <= count; n += 2) {  // two inputs per pass: half the loop overhead, same summation order
            const v128_t s0 = wasm_f32x4_splat(value[n]), s1 = wasm_f32x4_splat(value[n + 1]);
            const float* w0 = weights + static_cast<long>(index[n]) * out + j0;
            const float* w1 = weights + static_cast<long>(index[n + 1]) * out + j0;
            for (int k = 0; k < 8; ++k) {
                acc[k] = wasm_f32x4_add(acc[k], wasm_f32x4_mul(wasm_v128_load(w0 + 4 * k), s0));
                acc[k] = wasm_f32x4_add(acc[k], wasm_f32x4_mul(wasm_v128_load(w1 + 4 * k), s1));
            }
        }
        for (; n < count; ++n) {
            const v128_t s = wasm_f32x4_splat(value[n]);
            const float* w = weights + static_cast<long>(index[n]) * out + j0;
            for (int k = 0; k < 8; ++k) acc[k] = wasm_f32x4_add(acc[k], wasm_f32x4_mul(wasm_v128_load(w + 4 * k), s));
        }
        for (int k = 0; k < 8; ++k) wasm_v128_store(y + j0 + 4 * k, acc[k]);
    }
    for (; j0 + 4 <= out; j0 += 4) {
        v128_t acc = wasm_v128_load(bias + j0);
        for (int n = 0; n < count; ++n) {
            const v128_t w = wasm_v128_load(weights + static_cast<long>(index[n]) * out + j0);
            acc = wasm_f32x4_add(acc, wasm_f32x4_mul(w, wasm_f32x4_splat(value[n])));
        }
        wasm_v128_store(y + j0, acc);
    }
    for (; j0 < out; ++j0) {
        float acc = bias[j0];
        for (int n = 0; n < count; ++n) acc += value[n] * weights[static_cast<long>(index[n]) * out + j0];
        y[j0] = acc;
    }
#else
    // Blocks of 64 outputs in a fixed-size Eigen array (registers) across the whole input loop.
    constexpr int kBlock = 64;
    using Block = Eigen::Array<float, kBlock, 1>;
    int j0 = 0;
    for (; j0 + kBlock <= out; j0 += kBlock) {
        Block acc = Eigen::Map<const Block>(bias + j0);
        for (int n = 0; n < count; ++n) {
            acc += value[n] * Eigen::Map<const Block>(weights + static_cast<long>(index[n]) * out + j0);
        }
        Eigen::Map<Block>(y + j0) = acc;
    }
    if (j0 < out) {
        const int rest = out - j0;
        Eigen::Map<Eigen::ArrayXf> acc(y + j0, rest);
        acc = Eigen::Map<const Eigen::ArrayXf>(bias + j0, rest);
        for (int n = 0; n < count; ++n) {
            acc += value[n] * Eigen::Map<const Eigen::ArrayXf>(weights + static_cast<long>(index[n]) * out + j0, rest);
        }
    }
#endif
}

}  // namespace fcnet::simd
