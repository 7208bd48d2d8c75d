// The fast paths agree with the reference ones: data-parallel backprop with the single-thread
// pass, Predictor with Network::predict; and multi-threaded training is reproducible.
#include <catch2/catch.hpp>

#include "core/backprop.h"
#include "core/optimizer.h"
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

TEST_CASE("backprop over gathered rows equals backprop over the copied batch, bit for bit", "[speed]") {
    const int threads = GENERATE(1, 2, 3);
    INFO("threads " << threads);
    ThreadCount count(threads);
    Network network({20, 12, 4}, Activation::relu, 5);
    network.normalization = {0.3f, 1.7f};
    const Matrix samples = random_matrix(90, 20, 6);
    std::vector<int> labels(90);
    for (int i = 0; i < 90; ++i) labels[i] = (i * 5) % 4;
    const std::vector<int> rows = {17, 3, 88, 3, 45, 60, 12, 71, 0, 33, 52, 89, 8, 24, 66, 40, 19, 77, 5, 61,
                                   30, 14, 83, 49, 2, 58, 36, 70, 9, 27, 64, 81, 44, 11, 55, 38, 6, 73};
    Matrix copied(rows.size(), 20);
    std::vector<int> copied_labels;
    for (std::size_t r = 0; r < rows.size(); ++r) {
        copied.row(r) = samples.row(rows[r]);
        copied_labels.push_back(labels[rows[r]]);
    }

    Backprop from_copy, gathered;
    const double copy_loss = from_copy.compute(network, copied, copied_labels.data());
    CHECK(gathered.compute(network, samples, labels.data(), rows.data(), rows.size()) == copy_loss);
    for (std::size_t l = 0; l < network.layers().size(); ++l) {
        CHECK(from_copy.gradients()[l].weights == gathered.gradients()[l].weights);
        CHECK(from_copy.gradients()[l].bias == gathered.gradients()[l].bias);
    }
}

TEST_CASE("applying each share of the gradient as backprop finishes it equals one step on the whole, bit for bit",
          "[speed]") {
    const auto kind = GENERATE(OptimizerKind::sgd, OptimizerKind::adam);
    const int threads = GENERATE(1, 2, 3);
    INFO("threads " << threads);
    ThreadCount count(threads);
    Network network({30, 700, 5}, Activation::relu, 4);  // 21,000 weights: several update chunks
    const Matrix x = random_matrix(64, 30, 8);
    std::vector<int> labels(64);
    for (int i = 0; i < 64; ++i) labels[i] = i % 5;

    OptimizerConfig config;
    config.kind = kind;
    config.weight_decay = 0.01f;
    Network by_shares = network, by_step = network;
    Optimizer shared(config), whole(config);
    Backprop shares_backprop, step_backprop;
    const ShareReady apply = [&](const std::vector<LayerGradients>& gradients, const GradientShare& share) {
        shared.update(by_shares, gradients, share);
    };
    for (int step = 0; step < 3; ++step) {
        shared.begin_step(by_shares, 0.01f);
        shares_backprop.compute(by_shares, x, labels.data(), apply);
        step_backprop.compute(by_step, x, labels.data());
        whole.step(by_step, step_backprop.gradients(), 0.01f);
    }
    for (std::size_t l = 0; l < network.layers().size(); ++l) {
        CHECK(by_shares.layers()[l].weights == by_step.layers()[l].weights);
        CHECK(by_shares.layers()[l].bias == by_step.layers()[l].bias);
        CHECK(by_shares.layers()[l].weights != network.layers()[l].weights);
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
