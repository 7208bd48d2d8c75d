// Single-image inference latency (784-256-128-10), the same source natively and in wasm:
// bench/wasm_inference.sh builds it with emcc and runs it under node; CMake builds it natively.
// Prints "result <native|wasm>-inference 784-256-128-10 1 <median microseconds>" for Predictor,
// and the same for Network::predict with "-network" appended to the label. Exits 1 when the
// two disagree by more than 1e-5 on any probability.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include <Eigen/Core>

#include "core/predictor.h"
#include "digit_image.h"

using namespace fcnet;

namespace {

// Median over `rounds` of the mean time of `calls` calls, in microseconds.
template <typename Call>
double median_microseconds(Call call, int rounds, int calls) {
    for (int i = 0; i < calls; ++i) call();  // warm-up: caches, JIT tiers
    std::vector<double> means;
    for (int r = 0; r < rounds; ++r) {
        const auto start = std::chrono::steady_clock::now();
        for (int i = 0; i < calls; ++i) call();
        means.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count() /
                        calls);
    }
    std::nth_element(means.begin(), means.begin() + rounds / 2, means.end());
    return means[rounds / 2];
}

}  // namespace

int main() {
#ifdef __EMSCRIPTEN__
    const char* platform = "wasm";
#else
    const char* platform = "native";
#endif
    Network network({784, 256, 128, 10}, Activation::relu, 1);
    network.normalization = {0.1307f, 0.3081f};
    const std::vector<float> image = bench::digit_like_image();
    Predictor predictor(network);
    std::vector<float> probabilities(10);
    const Matrix features = Eigen::Map<const Matrix>(image.data(), 1, 784);
    // The kernel under test must agree with the reference path before it is timed.
    predictor.predict(image.data(), probabilities.data());
    const Matrix expected = network.predict(features);
    const float difference = (Eigen::Map<const Matrix>(probabilities.data(), 1, 10) - expected).cwiseAbs().maxCoeff();
    if (!(difference <= 1e-5f)) {
        std::fprintf(stderr, "inference_latency: Predictor differs from Network::predict by %g (limit 1e-5)\n",
                     difference);
        return 1;
    }
    float sink = 0;
    const double fast = median_microseconds(
        [&] {
            predictor.predict(image.data(), probabilities.data());
            sink += probabilities[0];
        },
        41, 200);
    const double reference = median_microseconds([&] { sink += network.predict(features)(0, 0); }, 21, 100);
    std::printf("result %s-inference-network 784-256-128-10 1 %.2f\n", platform, reference);
    std::printf("result %s-inference 784-256-128-10 1 %.2f\n", platform, fast);
    return sink == 12345.0f ? 1 : 0;  // keeps the calls from being optimised away
}
