// Eigen's matrix products on raw row-major buffers: the single build's kernel (cmake/gemm.cmake).
//
// Each build renames Eigen's namespace (FCNET_GEMM_EIGEN) so that the templates instantiated here for
// one instruction set never merge, at link time, with those of another build or of the rest of
// the library: a CPU without AVX-512 must never run an AVX-512 copy of a shared template.
#define Eigen FCNET_GEMM_EIGEN

#include <Eigen/Core>
#include <atomic>
#include <mutex>

#include "core/gemm_kernel.h"

namespace fcnet {

namespace {

using RowMajor = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Input = Eigen::Map<const RowMajor, Eigen::Unaligned, Eigen::OuterStride<>>;
using Output = Eigen::Map<RowMajor, Eigen::Unaligned, Eigen::OuterStride<>>;

// Sets this build's Eigen thread count when it changes (outside training's parallel regions; the
// lock orders the one write before every product that reads it).
void use_threads(int threads) {
    static std::atomic<int> current{0};
    static std::mutex change;
    if (current.load(std::memory_order_acquire) == threads) return;
    const std::lock_guard<std::mutex> lock(change);
    if (current.load(std::memory_order_relaxed) == threads) return;
    Eigen::setNbThreads(threads);
    current.store(threads, std::memory_order_release);
}

void multiply(Product product, int m, int n, int k, const float* a, int lda, const float* b, int ldb, float* c,
              int ldc, int threads) {
    use_threads(threads);
    Output out(c, m, n, Eigen::OuterStride<>(ldc));  // m x n
    switch (product) {
        case Product::a_b:  // (m x k)(k x n)
            out.noalias() = Input(a, m, k, Eigen::OuterStride<>(lda)) * Input(b, k, n, Eigen::OuterStride<>(ldb));
            break;
        case Product::at_b:  // (k x m)^T (k x n)
            out.noalias() =
                Input(a, k, m, Eigen::OuterStride<>(lda)).transpose() * Input(b, k, n, Eigen::OuterStride<>(ldb));
            break;
        case Product::a_bt:  // (m x k)(n x k)^T
            out.noalias() =
                Input(a, m, k, Eigen::OuterStride<>(lda)) * Input(b, n, k, Eigen::OuterStride<>(ldb)).transpose();
            break;
    }
}

}  // namespace

void FCNET_UPDATE_FUNCTION(const UpdateRule& rule, const ParameterSlice& slice);  // update_kernel.cpp, same build

extern const GemmKernel FCNET_GEMM_KERNEL;
const GemmKernel FCNET_GEMM_KERNEL{FCNET_GEMM_NAME, multiply, FCNET_UPDATE_FUNCTION};

}  // namespace fcnet
