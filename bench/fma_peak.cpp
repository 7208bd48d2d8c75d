// The CPU's measured float FMA throughput (GFLOP/s): independent fused multiply-adds on the widest
// vectors the CPU supports, on 1 thread and on N. Usage: fcnet_fma_peak [threads]  (default 2)
#include <omp.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>

namespace {

constexpr int kChains = 16;             // independent accumulators: more than FMA latency x FMA ports
constexpr long kRounds = 20'000'000;    // per chain and thread

typedef float Floats16 __attribute__((vector_size(64)));
typedef float Floats8 __attribute__((vector_size(32)));
typedef float Floats4 __attribute__((vector_size(16)));

// kChains chains of x = x * a + b, each `width` floats wide; returns a value that depends on all of them.
template <typename Vector, int width>
__attribute__((always_inline)) inline float fma_chains(float seed) {  // inlined: built for its caller's target
    Vector x[kChains], a, b;
    for (int i = 0; i < width; ++i) a[i] = 0.999999f, b[i] = 1e-6f;
    for (int c = 0; c < kChains; ++c)
        for (int i = 0; i < width; ++i) x[c][i] = seed + static_cast<float>(c);
    for (long r = 0; r < kRounds; ++r) {
#pragma GCC unroll 16
        for (int c = 0; c < kChains; ++c) x[c] = x[c] * a + b;
        asm volatile("" : "+v"(a));  // keeps the loop from being folded
    }
    float sum = 0;
    for (int c = 0; c < kChains; ++c) sum += x[c][0];
    return sum;
}

__attribute__((target("avx512f"))) float chains_avx512(float seed) { return fma_chains<Floats16, 16>(seed); }
__attribute__((target("avx2,fma"))) float chains_avx2(float seed) { return fma_chains<Floats8, 8>(seed); }
float chains_sse2(float seed) { return fma_chains<Floats4, 4>(seed); }  // multiply then add: 2 flops all the same

struct Kernel {
    const char* name;
    int width;
    float (*run)(float);
};

Kernel widest() {
    if (__builtin_cpu_supports("avx512f")) return {"AVX-512 FMA", 16, chains_avx512};
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return {"AVX2 FMA", 8, chains_avx2};
    return {"SSE2 multiply+add", 4, chains_sse2};
}

// GFLOP/s of `threads` threads each running the kernel once, timed together.
double gflops(const Kernel& kernel, int threads) {
    float sink = 0;
    const auto start = std::chrono::steady_clock::now();
#pragma omp parallel num_threads(threads) reduction(+ : sink)
    sink += kernel.run(static_cast<float>(omp_get_thread_num()));
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (sink == 12345.0f) std::puts("");  // uses the result
    return 2.0 * kernel.width * kChains * kRounds * threads / seconds * 1e-9;
}

}  // namespace

int main(int argc, char** argv) {
    const int threads = argc > 1 ? std::atoi(argv[1]) : 2;
    const Kernel kernel = widest();
    gflops(kernel, 1);  // warms the clock up
    const double one = gflops(kernel, 1), all = gflops(kernel, threads);
    std::printf("result fma-peak %s 1 %.1f %d %.1f\n", kernel.name, one, threads, all);
    return 0;
}
