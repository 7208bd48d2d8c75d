// The fast paths agree with the reference ones: data-parallel backprop with the single-thread
// pass, Predictor with Network::predict; and multi-threaded training is reproducible.
#include <catch2/catch.hpp>


#include "core/backprop.h"
#include "core/predictor.h"
#include "core/trainer.h"
#include "support/test_support.h"

using namespace fcnet;

namespace {

// Restores Eigen's thread count when a test ends.
struct ThreadCount {
    explicit ThreadCount(int threads) : saved(Eigen::nbThreads()) { Eigen::setNbThreads(threads); }
    ~ThreadCount() { Eigen::setNbThreads(saved); }
    int saved;
};

}  // namespace

TEST_CASE("backprop split over 2 and 3 threads gives the 1-thread loss and gradients", "[speed]") {
    const auto activation = GENERATE(Activation::relu, Activation::tanh);
    Network network({20, 12, 7, 4}, activation, 5, Initialization::xavier);
    network.normalization = {0.3f, 1.7f};
    for (auto& layer : network.layers()) layer.bias = random_matrix(1, layer.outputs(), 9, 0.2f);
    const Matrix x = random_matrix(53, 20, 6);  // 53 rows: uneven blocks
    std::vector<int> labels(53);
    for (int i = 0; i < 53; ++i) labels[i] = (i * 7) % 4;

    Backprop reference;
    double reference_loss;
    {
        ThreadCount one(1);
        reference_loss = reference.compute(network, x, labels.data());
    }
    const int threads = GENERATE(2, 3);
    INFO("threads " << threads);
    ThreadCount many(threads);
    Backprop split;
    CHECK(split.compute(network, x, labels.data()) == Approx(reference_loss).epsilon(1e-6));
    for (std::size_t l = 0; l < network.layers().size(); ++l) {
        const auto& a = reference.gradients()[l];
        const auto& b = split.gradients()[l];
        CHECK((a.weights - b.weights).cwiseAbs().maxCoeff() <= 1e-6f + 1e-5f * a.weights.cwiseAbs().maxCoeff());
        CHECK((a.bias - b.bias).cwiseAbs().maxCoeff() <= 1e-6f + 1e-5f * a.bias.cwiseAbs().maxCoeff());
    }
}

TEST_CASE("training with 2 threads is bit-for-bit reproducible for a seed", "[speed]") {
    ThreadCount two(2);
    Dataset data;
    data.features = random_matrix(400, 10, 11).cwiseAbs();
    data.classes = 3;
    for (int i = 0; i < 400; ++i) data.labels.push_back(data.features(i, 0) > data.features(i, 1) ? 0 : i % 2 + 1);
    TrainConfig config;
    config.epochs = 2;
    config.batch_size = 64;
    auto run = [&] {
        Network network({10, 16, 3}, Activation::relu, 3);
        train(network, data, Dataset{}, config);
        return network;
    };
    const Network a = run(), b = run();
    for (std::size_t l = 0; l < a.layers().size(); ++l) {
        CHECK(a.layers()[l].weights == b.layers()[l].weights);
        CHECK(a.layers()[l].bias == b.layers()[l].bias);
    }
}

TEST_CASE("Predictor gives Network::predict's probabilities, blank inputs included", "[speed]") {
    const auto activation = GENERATE(Activation::relu, Activation::leaky_relu, Activation::sigmoid,
                                     Activation::tanh, Activation::identity);
    INFO("activation " << activation_name(activation));
    // 70 and 37 outputs: a full 64-wide block plus a tail, and tails only.
    Network network({100, 70, 37, 10}, activation, 2);
    network.normalization = {0.13f, 0.31f};
    network.temperature = 1.4f;
    for (auto& layer : network.layers()) layer.bias = random_matrix(1, layer.outputs(), 4, 0.1f);
    Matrix x = random_matrix(1, 100, 8).cwiseAbs();
    for (int i = 0; i < 100; i += 3) x(0, i) = 0.0f;  // blank pixels, skipped by the kernel
    const Matrix expected = network.predict(x);
    Predictor predictor(network);
    RowVector probabilities(10);
    predictor.predict(x.data(), probabilities.data());
    CHECK(probabilities.sum() == Approx(1.0f).epsilon(1e-5));
    CHECK((probabilities - expected).cwiseAbs().maxCoeff() <= 2e-6f);
}
