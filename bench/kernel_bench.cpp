// Google Benchmark kernels per benchmark config: dense forward, one backward pass, one Adam
// update, one full training step (also with each matrix-product kernel the CPU runs) and its
// matrix-product bound; and single-image inference latency (784-256-128-10).
#include <benchmark/benchmark.h>

#include <Eigen/Core>
#include <algorithm>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "configs.h"
#include "digit_image.h"
#include "core/backprop.h"
#include "core/gemm.h"
#include "core/gemm_kernel.h"
#include "core/optimizer.h"
#include "core/parallel.h"
#include "core/predictor.h"

using namespace fcnet;

namespace {

// A batch of random pixels in [0, 1] with labels cycling through the classes.
struct Batch {
    Matrix features;
    std::vector<int> labels;
};

Batch random_batch(int rows, int features, int classes) {
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<float> uniform(0.0f, 1.0f);
    Batch batch{Matrix(rows, features), std::vector<int>(rows)};
    for (Eigen::Index i = 0; i < batch.features.size(); ++i) batch.features.data()[i] = uniform(rng);
    for (int i = 0; i < rows; ++i) batch.labels[i] = i % classes;
    return batch;
}

const bench::Config& config_at(const benchmark::State& state) { return bench::kTrainingConfigs[state.range(0)]; }

// One run per config, timed by the wall clock: with 2 threads the main thread's CPU time is half the story.
void name_configs(benchmark::internal::Benchmark* b) {
    for (std::size_t i = 0; i < bench::kTrainingConfigs.size(); ++i) b->Arg(static_cast<int>(i));
    b->UseRealTime();
}

void set_throughput(benchmark::State& state, int batch) {
    state.counters["samples/s"] = benchmark::Counter(static_cast<double>(state.iterations()) * batch,
                                                     benchmark::Counter::kIsRate);
    state.SetLabel(config_at(state).name);
}

// The first (largest) dense layer of each config: (batch x 784) * (784 x hidden) + bias, ReLU.
void BM_DenseForward(benchmark::State& state) {
    const bench::Config& c = config_at(state);
    const Network network(c.sizes, Activation::relu, 1);
    const Batch batch = random_batch(c.batch, c.sizes.front(), c.sizes.back());
    Matrix output;
    for (auto _ : state) {
        forward_layer(network.layers().front(), batch.features, output);
        benchmark::DoNotOptimize(output.data());
    }
    set_throughput(state, c.batch);
}

// Forward and backward over a whole batch: the loss and every parameter gradient.
void BM_Backprop(benchmark::State& state) {
    const bench::Config& c = config_at(state);
    const Network network(c.sizes, Activation::relu, 1);
    const Batch batch = random_batch(c.batch, c.sizes.front(), c.sizes.back());
    Backprop backprop;
    for (auto _ : state) benchmark::DoNotOptimize(backprop.compute(network, batch.features, batch.labels.data()));
    set_throughput(state, c.batch);
}

// The bound: only the matrix products of one training step, split across threads the way
// Backprop splits the batch (each thread its block of rows): per layer the forward product,
// dW = A^T dZ, and dA = dZ W^T for every layer but the first. No bias, activation, loss,
// gradient sum or update, so a real step can only be slower; fcnet / bound is its efficiency.
void BM_ProductBound(benchmark::State& state) {
    const bench::Config& c = config_at(state);
    const Network network(c.sizes, Activation::relu, 1);
    const auto& layers = network.layers();
    const int threads = std::max(1, Eigen::nbThreads());
    struct Block {
        std::vector<Matrix> activations, deltas, weight_gradients;
    };
    std::vector<Block> blocks(threads);
    for (int t = 0; t < threads; ++t) {
        const Eigen::Index rows = c.batch * (t + 1) / threads - c.batch * t / threads;
        Block& b = blocks[t];
        b.activations.push_back(random_batch(static_cast<int>(rows), c.sizes.front(), c.sizes.back()).features);
        for (const DenseLayer& layer : layers) {
            b.activations.push_back(Matrix::Constant(rows, layer.outputs(), 0.5f));
            b.deltas.push_back(Matrix::Constant(rows, layer.outputs(), 0.01f));
            b.weight_gradients.emplace_back(layer.inputs(), layer.outputs());
        }
    }
    auto products = [&](Block& b) {
        for (std::size_t l = 0; l < layers.size(); ++l) {
            multiply(b.activations[l], layers[l].weights, b.activations[l + 1]);  // (rows x in)(in x out)
        }
        for (std::size_t l = layers.size(); l-- > 0;) {
            multiply_transposed_a(b.activations[l], b.deltas[l], b.weight_gradients[l]);  // (rows x in)^T (rows x out)
            if (l > 0) multiply_transposed_b(b.deltas[l], layers[l].weights, b.deltas[l - 1]);  // (rows x out)(in x out)^T
        }
    };
    for (auto _ : state) {
#pragma omp parallel num_threads(threads)
        products(blocks[thread_index()]);
        benchmark::DoNotOptimize(blocks[0].weight_gradients[0].data());
    }
    set_throughput(state, c.batch);
}

// Backprop plus an Adam update: what train() does per batch (each share of the gradient applied as
// backprop finishes it), without shuffling.
void BM_TrainingStep(benchmark::State& state) {
    const bench::Config& c = config_at(state);
    Network network(c.sizes, Activation::relu, 1);
    const Batch batch = random_batch(c.batch, c.sizes.front(), c.sizes.back());
    Backprop backprop;
    Optimizer optimizer(OptimizerConfig{});
    const ShareReady apply = [&](const std::vector<LayerGradients>& gradients, const GradientShare& share) {
        optimizer.update(network, gradients, share);
    };
    for (auto _ : state) {
        optimizer.begin_step(network, 1e-4f);
        benchmark::DoNotOptimize(backprop.compute(network, batch.features, batch.labels.data(), apply));
    }
    set_throughput(state, c.batch);
}

// BM_TrainingStep with each matrix-product kernel this CPU runs (SSE2 is what the default build
// ran before the kernels were chosen at run time): arguments config, kernel (widest first).
void BM_TrainingStepPerKernel(benchmark::State& state) {
    const std::vector<const GemmKernel*> kernels = supported_gemm_kernels();
    const GemmKernel& kernel = *kernels[std::min<std::size_t>(state.range(1), kernels.size() - 1)];
    use_gemm_kernel(kernel);
    BM_TrainingStep(state);
    use_gemm_kernel(*kernels.front());
    state.SetLabel(std::string(config_at(state).name) + " " + kernel.name);
}

void name_configs_and_kernels(benchmark::internal::Benchmark* b) {
    for (std::size_t kernel = 0; kernel < supported_gemm_kernels().size(); ++kernel) {
        for (std::size_t i = 0; i < bench::kTrainingConfigs.size(); ++i) b->Args({static_cast<int>(i), static_cast<int>(kernel)});
    }
    b->UseRealTime();
}

// The Adam update alone, as a separate step over the whole gradient.
void BM_OptimizerStep(benchmark::State& state) {
    const bench::Config& c = config_at(state);
    Network network(c.sizes, Activation::relu, 1);
    const Batch batch = random_batch(c.batch, c.sizes.front(), c.sizes.back());
    Backprop backprop;
    backprop.compute(network, batch.features, batch.labels.data());
    Optimizer optimizer(OptimizerConfig{});
    for (auto _ : state) optimizer.step(network, backprop.gradients(), 1e-4f);
    set_throughput(state, c.batch);
}

// One 28x28 image through 784-256-128-10 to its class probabilities, as the app and CLI do.
void BM_SingleImageInference(benchmark::State& state) {
    const Network network({784, 256, 128, 10}, Activation::relu, 1);
    const Batch image = random_batch(1, 784, 10);
    for (auto _ : state) {
        Matrix probabilities = network.predict(image.features);
        benchmark::DoNotOptimize(probabilities.data());
    }
}

// The same image through Predictor: no allocation, normalisation folded, zero inputs skipped.
// The image is a real-looking digit (about 80% blank pixels, like MNIST), not uniform noise.
void BM_SingleImagePredictor(benchmark::State& state) {
    Network network({784, 256, 128, 10}, Activation::relu, 1);
    network.normalization = {0.1307f, 0.3081f};
    Predictor predictor(network);
    const std::vector<float> image = bench::digit_like_image();
    std::vector<float> probabilities(10);
    for (auto _ : state) {
        predictor.predict(image.data(), probabilities.data());
        benchmark::DoNotOptimize(probabilities.data());
    }
}

}  // namespace

BENCHMARK(BM_DenseForward)->Apply(name_configs);
BENCHMARK(BM_Backprop)->Apply(name_configs);
BENCHMARK(BM_TrainingStep)->Apply(name_configs);
BENCHMARK(BM_TrainingStepPerKernel)->Apply(name_configs_and_kernels);
BENCHMARK(BM_OptimizerStep)->Apply(name_configs);
BENCHMARK(BM_ProductBound)->Apply(name_configs);
BENCHMARK(BM_SingleImageInference)->Repetitions(5)->ReportAggregatesOnly(true);
BENCHMARK(BM_SingleImagePredictor)->Repetitions(5)->ReportAggregatesOnly(true);

int main(int argc, char** argv) {
    Eigen::setNbThreads(std::getenv("FCNET_THREADS") ? std::atoi(std::getenv("FCNET_THREADS")) : 2);  // training thread count
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
