// Matrix products for training and batch inference: shapes checked here, the work done by gemm_kernel.h.
#include "core/gemm.h"

#include <cassert>

#include "core/gemm_kernel.h"
#include "core/parallel.h"

namespace fcnet {

namespace {

const GemmKernel*& active_kernel() {
    static const GemmKernel* active = supported_gemm_kernels().front();
    return active;
}

const GemmKernel& kernel() { return *active_kernel(); }

int rows(const Eigen::Ref<const Matrix>& x) { return static_cast<int>(x.rows()); }
int cols(const Eigen::Ref<const Matrix>& x) { return static_cast<int>(x.cols()); }
int stride(const Eigen::Ref<const Matrix>& x) { return static_cast<int>(x.outerStride()); }

void run(Product product, int m, int n, int k, const Eigen::Ref<const Matrix>& a, const Eigen::Ref<const Matrix>& b,
         Eigen::Ref<Matrix> c) {
    assert(rows(c) == m && cols(c) == n);
    // inside a parallel region (a training step's threads) each product runs on its caller's thread
    kernel().multiply(product, m, n, k, a.data(), stride(a), b.data(), stride(b), c.data(),
                      static_cast<int>(c.outerStride()), in_parallel_region() ? 1 : Eigen::nbThreads());
}

}  // namespace

void multiply_into(const Eigen::Ref<const Matrix>& a, const Eigen::Ref<const Matrix>& b, Eigen::Ref<Matrix> c) {
    assert(cols(a) == rows(b));
    run(Product::a_b, rows(a), cols(b), cols(a), a, b, c);  // (m x k)(k x n)
}

void multiply_transposed_a_into(const Eigen::Ref<const Matrix>& a, const Eigen::Ref<const Matrix>& b,
                                Eigen::Ref<Matrix> c) {
    assert(rows(a) == rows(b));
    run(Product::at_b, cols(a), cols(b), rows(a), a, b, c);  // (k x m)^T (k x n)
}

void multiply_transposed_b_into(const Eigen::Ref<const Matrix>& a, const Eigen::Ref<const Matrix>& b,
                                Eigen::Ref<Matrix> c) {
    assert(cols(a) == cols(b));
    run(Product::a_bt, rows(a), rows(b), cols(a), a, b, c);  // (m x k)(n x k)^T
}

void multiply(const Eigen::Ref<const Matrix>& a, const Eigen::Ref<const Matrix>& b, Matrix& c) {
    c.resize(a.rows(), b.cols());
    multiply_into(a, b, c);
}

void multiply_transposed_a(const Eigen::Ref<const Matrix>& a, const Eigen::Ref<const Matrix>& b, Matrix& c) {
    c.resize(a.cols(), b.cols());
    multiply_transposed_a_into(a, b, c);
}

void multiply_transposed_b(const Eigen::Ref<const Matrix>& a, const Eigen::Ref<const Matrix>& b, Matrix& c) {
    c.resize(a.rows(), b.rows());
    multiply_transposed_b_into(a, b, c);
}

const char* gemm_instruction_set() { return kernel().name; }

UpdateFunction parameter_update() { return kernel().update; }

void use_gemm_kernel(const GemmKernel& chosen) { active_kernel() = &chosen; }

}  // namespace fcnet
