// A training step allocates no memory: counted by replacing malloc in this test program.
#include <catch2/catch.hpp>

#include <atomic>
#include <cstddef>
#include <numeric>

#include "core/backprop.h"
#include "core/optimizer.h"
#include "core/trainer.h"
#include "support/test_support.h"

using namespace fcnet;

// ASan and UBSan's runtime replaces malloc itself: there the count is not taken.
#if defined(__SANITIZE_ADDRESS__)
#define FCNET_COUNTS_ALLOCATIONS 0
#else
#define FCNET_COUNTS_ALLOCATIONS 1
#endif

namespace {

std::atomic<long> allocations{0};  // calls of the functions below, from any thread

}  // namespace

#if FCNET_COUNTS_ALLOCATIONS
// glibc's own entry points, under the names it exports them by; every allocation in the program
// (operator new, Eigen's aligned_malloc, OpenMP) reaches one of these replacements.
extern "C" {
void* __libc_malloc(std::size_t size);
void* __libc_calloc(std::size_t count, std::size_t size);
void* __libc_realloc(void* pointer, std::size_t size);
void* __libc_memalign(std::size_t alignment, std::size_t size);

void* malloc(std::size_t size) { return ++allocations, __libc_malloc(size); }
void* calloc(std::size_t count, std::size_t size) { return ++allocations, __libc_calloc(count, size); }
void* realloc(void* pointer, std::size_t size) { return ++allocations, __libc_realloc(pointer, size); }
void* aligned_alloc(std::size_t alignment, std::size_t size) { return ++allocations, __libc_memalign(alignment, size); }
void* memalign(std::size_t alignment, std::size_t size) { return ++allocations, __libc_memalign(alignment, size); }
int posix_memalign(void** out, std::size_t alignment, std::size_t size) {
    ++allocations;
    *out = __libc_memalign(alignment, size);
    return *out != nullptr ? 0 : 12;  // ENOMEM
}
}
#endif

namespace {

// Restores Eigen's thread count when a test ends.
struct ThreadCount {
    explicit ThreadCount(int threads) : saved(Eigen::nbThreads()) { Eigen::setNbThreads(threads); }
    ~ThreadCount() { Eigen::setNbThreads(saved); }
    int saved;
};

Dataset random_digits(int samples) {
    Dataset data;
    data.features = random_matrix(samples, 784, 3).cwiseAbs().cwiseMin(1.0f);
    data.classes = 10;
    for (int i = 0; i < samples; ++i) data.labels.push_back(i % 10);
    return data;
}

}  // namespace

TEST_CASE("the counter sees allocations", "[speed][memory]") {
    if (!FCNET_COUNTS_ALLOCATIONS) {
        WARN("not counted under AddressSanitizer");
        return;
    }
    const long before = allocations;
    Matrix fresh = Matrix::Zero(50, 50);
    CHECK(allocations - before == 1);
    CHECK(fresh.sum() == 0.0f);
}

TEST_CASE("backprop and optimizer steps allocate nothing once their buffers exist", "[speed][memory]") {
    if (!FCNET_COUNTS_ALLOCATIONS) {
        WARN("not counted under AddressSanitizer");
        return;
    }
    const int threads = GENERATE(1, 2);
    const auto kind = GENERATE(OptimizerKind::adam, OptimizerKind::sgd);
    const auto sizes = GENERATE(std::vector<int>{784, 128, 10}, std::vector<int>{784, 512, 256, 10});
    INFO("threads " << threads << ", " << sizes.size() - 1 << " layers, " << optimizer_name(kind));
    ThreadCount count(threads);
    Network network(sizes, Activation::relu, 1);
    const Dataset data = random_digits(600);
    std::vector<int> rows(256);
    std::iota(rows.begin(), rows.end(), 100);
    OptimizerConfig config;
    config.kind = kind;
    Backprop backprop;
    Optimizer optimizer(config);
    const ShareReady apply = [&](const std::vector<LayerGradients>& gradients, const GradientShare& share) {
        optimizer.update(network, gradients, share);
    };
    auto step = [&] {
        optimizer.begin_step(network, 1e-3f);
        backprop.compute(network, data.features, data.labels.data(), rows.data(), static_cast<Eigen::Index>(rows.size()),
                         apply);
        optimizer.step(network, backprop.gradients(), 1e-3f);  // the unshared step too
    };
    step();  // sizes every buffer
    const long before = allocations;
    for (int i = 0; i < 5; ++i) step();
    CHECK(allocations - before == 0);
}

TEST_CASE("train() allocates nothing from one batch to the next", "[speed][memory]") {
    if (!FCNET_COUNTS_ALLOCATIONS) {
        WARN("not counted under AddressSanitizer");
        return;
    }
    const int threads = GENERATE(1, 2);
    INFO("threads " << threads);
    ThreadCount count(threads);
    Network network({784, 64, 10}, Activation::relu, 2);
    const Dataset data = random_digits(640);  // 10 batches of 64 an epoch
    TrainConfig config;
    config.epochs = 2;
    config.batch_size = 64;
    long at_previous_batch = 0, between_batches = 0;
    int counted = 0;
    TrainCallbacks callbacks;
    callbacks.on_batch = [&](const BatchProgress& progress) {
        const long now = allocations;
        if (progress.batch >= 3) between_batches += now - at_previous_batch, ++counted;  // the first sizes the buffers
        at_previous_batch = now;
    };
    train(network, data, Dataset{}, config, callbacks);
    CHECK(counted == 16);
    CHECK(between_batches == 0);
}
