// x86-64: the matrix-product kernels this CPU (and its OS) can run, the widest instruction set first.
#include "core/gemm_kernel.h"

namespace fcnet {

extern const GemmKernel gemm_kernel_avx512;    // x86-64-v4: AVX-512 F/BW/CD/DQ/VL
extern const GemmKernel gemm_kernel_avx2_fma;  // x86-64-v3: AVX2, FMA
extern const GemmKernel gemm_kernel_sse2;      // x86-64: every x86-64 CPU

std::vector<const GemmKernel*> supported_gemm_kernels() {
    std::vector<const GemmKernel*> kernels;
    // Feature by feature, as GCC and clang both name them (clang 14 has no "x86-64-v3" here);
    // every CPU with AVX2, FMA and BMI2 also has the rest of v3 (F16C, LZCNT, MOVBE).
    const bool v3 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") &&
                    __builtin_cpu_supports("bmi") && __builtin_cpu_supports("bmi2");
    const bool v4 = v3 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                    __builtin_cpu_supports("avx512cd") && __builtin_cpu_supports("avx512dq") &&
                    __builtin_cpu_supports("avx512vl");
    if (v4) kernels.push_back(&gemm_kernel_avx512);
    if (v3) kernels.push_back(&gemm_kernel_avx2_fma);
    kernels.push_back(&gemm_kernel_sse2);
    return kernels;
}

}  // namespace fcnet
