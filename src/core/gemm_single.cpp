// WebAssembly, FCNET_NATIVE_ARCH and CPUs other than x86-64: the one matrix-product kernel, built with the library's flags.
#include "core/gemm_kernel.h"

namespace fcnet {

extern const GemmKernel gemm_kernel_single;

std::vector<const GemmKernel*> supported_gemm_kernels() { return {&gemm_kernel_single}; }

}  // namespace fcnet
