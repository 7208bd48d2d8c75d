// x86-64: the matrix-product kernels this CPU (and its OS) can run, the widest instruction set first.
#include "core/gemm_kernel.h"

namespace fcnet {

extern const GemmKernel gemm_kernel_avx512;    // x86-64-v4: AVX-512 F/BW/CD/DQ/VL
extern const GemmKernel gemm_kernel_avx2_fma;  // x86-64-v3: AVX2, FMA
extern const GemmKernel gemm_kernel_sse2;      // x86-64: every x86-64 CPU

std::vector<const GemmKernel*> supported_gemm_kernels() {
    std::vector<const GemmKernel*> kernels;
    if (__builtin_cpu_supports("x86-64-v4")) kernels.push_back(&gemm_kernel_avx512);
    if (__builtin_cpu_supports("x86-64-v3")) kernels.push_back(&gemm_kernel_avx2_fma);
    kernels.push_back(&gemm_kernel_sse2);
    return kernels;
}

}  // namespace fcnet
