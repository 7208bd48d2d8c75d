// Matrix products for training and batch inference, run by the fastest kernel this CPU supports.
#pragma once

#include "core/tensor.h"

namespace fcnet {

// Each product resizes `c` (keeping its buffer when the shape already fits: no allocation in
// training loops) and overwrites it; `c` must not share memory with `a` or `b`. On one machine the
// result depends only on the shapes and the thread count; CPUs with different instruction sets
// round differently (docs/gemm.md).

// c = a b: (m x k)(k x n) = m x n, e.g. Z = A_in W.
void multiply(const Eigen::Ref<const Matrix>& a, const Eigen::Ref<const Matrix>& b, Matrix& c);
// c = a^T b: (k x m)^T (k x n) = m x n, e.g. dL/dW = A_in^T dL/dZ.
void multiply_transposed_a(const Eigen::Ref<const Matrix>& a, const Eigen::Ref<const Matrix>& b, Matrix& c);
// c = a b^T: (m x k)(n x k)^T = m x n, e.g. dL/dA_in = dL/dZ W^T.
void multiply_transposed_b(const Eigen::Ref<const Matrix>& a, const Eigen::Ref<const Matrix>& b, Matrix& c);

// The same three into a block of a larger matrix (one thread's rows of a batch, a layer's rows of
// weights), which already has the result's shape and is written in place.
void multiply_into(const Eigen::Ref<const Matrix>& a, const Eigen::Ref<const Matrix>& b, Eigen::Ref<Matrix> c);
void multiply_transposed_a_into(const Eigen::Ref<const Matrix>& a, const Eigen::Ref<const Matrix>& b,
                                Eigen::Ref<Matrix> c);
void multiply_transposed_b_into(const Eigen::Ref<const Matrix>& a, const Eigen::Ref<const Matrix>& b,
                                Eigen::Ref<Matrix> c);

// The instruction set the products run with on this machine ("AVX-512", "AVX2+FMA", ...).
const char* gemm_instruction_set();

}  // namespace fcnet
