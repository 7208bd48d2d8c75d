// How long one core takes to see a cache line another core wrote: a flag bounced between threads pinned to CPUs 0 and 1.
//
// Training on 2 threads moves data between cores every step (the weights one core updated, the
// activations the other computed), so this latency bounds how well a step scales from 1 thread to 2.
// Usage: fcnet_core_latency [round trips]  (default 2,000,000); Linux only.
#include <pthread.h>
#include <sched.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

namespace {

alignas(64) std::atomic<long> flag{0};

bool pin_to(int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return pthread_setaffinity_np(pthread_self(), sizeof set, &set) == 0;
}

}  // namespace

int main(int argc, char** argv) {
    const long trips = argc > 1 ? std::atol(argv[1]) : 2'000'000;
    if (trips <= 0 || std::thread::hardware_concurrency() < 2) {
        std::fprintf(stderr, "fcnet_core_latency: needs a positive count and 2 CPUs\n");
        return 2;
    }
    // The other thread answers each odd value with the next even one.
    std::thread echo([trips] {
        pin_to(1);
        for (long i = 0; i < trips; ++i) {
            while (flag.load(std::memory_order_acquire) != 2 * i + 1) {
            }
            flag.store(2 * i + 2, std::memory_order_release);
        }
    });
    if (!pin_to(0)) std::fprintf(stderr, "fcnet_core_latency: could not pin to CPU 0; figures may mix cores\n");
    const auto start = std::chrono::steady_clock::now();
    for (long i = 0; i < trips; ++i) {
        flag.store(2 * i + 1, std::memory_order_release);
        while (flag.load(std::memory_order_acquire) != 2 * i + 2) {
        }
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    echo.join();
    const double round_trip = seconds / static_cast<double>(trips) * 1e9;
    std::printf("core to core (CPUs 0 and 1): round trip %.0f ns, one way %.0f ns\n", round_trip, round_trip / 2);
    std::printf("result core-latency %.1f\n", round_trip / 2);
    return 0;
}
