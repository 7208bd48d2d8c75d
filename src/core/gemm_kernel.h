// The raw matrix-product kernel behind gemm.h: row-major float products, one build per instruction set.
#pragma once

#include <vector>

#include "core/update_kernel.h"

namespace fcnet {

// Which product a kernel computes into c (m x n), all matrices row-major with the given row strides.
enum class Product {
    a_b,   // c = a b:     a (m x k), b (k x n)
    at_b,  // c = a^T b:   a (k x m), b (k x n)
    a_bt,  // c = a b^T:   a (m x k), b (n x k)
};

// One build of gemm_tiled.cpp (or gemm_eigen.cpp) and update_kernel.cpp. `threads` is the most
// threads one product may use (gemm.cpp passes 1 inside a parallel region).
struct GemmKernel {
    const char* name;  // the instruction set it was compiled for, e.g. "AVX-512"
    void (*multiply)(Product product, int m, int n, int k, const float* a, int lda, const float* b, int ldb,
                     float* c, int ldc, int threads);
    UpdateFunction update;  // the optimizer's element-wise update, same instruction set
};

// The builds this CPU can run, widest instruction set first: chosen from what the CPU and its OS
// support (gemm_dispatch.cpp), or the single build (gemm_single.cpp: WebAssembly, FCNET_NATIVE_ARCH,
// CPUs other than x86-64). gemm.h runs every product on the first.
std::vector<const GemmKernel*> supported_gemm_kernels();

// Runs the products and the optimizer's updates from now on with `kernel` (one of
// supported_gemm_kernels()), as on a CPU whose widest instruction set it is: for tests and
// benchmarks, between products, never during one.
void use_gemm_kernel(const GemmKernel& kernel);

}  // namespace fcnet
