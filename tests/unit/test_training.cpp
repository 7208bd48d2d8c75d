// Training behaviour: learning, reproducibility, layer adaptation, early stopping, divergence.
#include <catch2/catch.hpp>

#include <random>

#include "core/error.h"
#include "core/metrics.h"
#include "core/trainer.h"
#include "support/test_support.h"

using namespace fcnet;

namespace {

double accuracy(const Network& network, const Dataset& data) {
    return evaluate(network.logits(data.features), data.labels).accuracy;
}

}  // namespace

TEST_CASE("both optimizers learn separable data", "[training]") {
    const Dataset train_set = blobs(600, 8, 4, 1), validation = blobs(200, 8, 4, 2);
    const auto kind = GENERATE(OptimizerKind::sgd, OptimizerKind::adam);
    INFO("optimizer " << optimizer_name(kind));
    Network network({8, 16, 4}, Activation::tanh, 3, Initialization::xavier);
    TrainConfig config;
    config.epochs = 15;
    config.batch_size = 32;
    config.optimizer.kind = kind;
    config.schedule.base_rate = kind == OptimizerKind::adam ? 0.01f : 0.05f;
    const double before = accuracy(network, validation);
    const TrainResult result = train(network, train_set, validation, config);
    CHECK(result.history.size() == 15);
    CHECK(result.history.back().train_loss < result.history.front().train_loss);
    CHECK(accuracy(network, validation) > 0.95);
    CHECK(accuracy(network, validation) > before);
}

TEST_CASE("the same seed reproduces the same model bit for bit", "[training]") {
    const Dataset train_set = blobs(300, 6, 3, 4), validation = blobs(60, 6, 3, 5);
    TrainConfig config;
    config.epochs = 3;
    config.batch_size = 16;
    config.seed = 42;
    auto run = [&](std::uint64_t seed) {
        config.seed = seed;
        Network network({6, 10, 3}, Activation::relu, seed);
        train(network, train_set, validation, config);
        return network;
    };
    const Network a = run(42), b = run(42), c = run(43);
    for (std::size_t l = 0; l < a.layers().size(); ++l) {
        CHECK(a.layers()[l].weights == b.layers()[l].weights);
        CHECK(a.layers()[l].bias == b.layers()[l].bias);
    }
    CHECK(a.layers()[0].weights != c.layers()[0].weights);
}

TEST_CASE("keep_best ends with the best validation epoch and early stopping halts", "[training]") {
    // Labels unrelated to the features: validation accuracy cannot keep improving.
    Dataset train_set = blobs(200, 5, 2, 6), validation = blobs(100, 5, 2, 7);
    std::mt19937_64 rng(8);
    for (int& label : train_set.labels) label = static_cast<int>(rng() % 2);
    for (int& label : validation.labels) label = static_cast<int>(rng() % 2);
    Network network({5, 32, 2}, Activation::relu, 9);
    TrainConfig config;
    config.epochs = 60;
    config.patience = 3;
    config.schedule.base_rate = 0.01f;
    const TrainResult result = train(network, train_set, validation, config);
    REQUIRE(result.stopped_early);
    CHECK(result.history.size() == static_cast<std::size_t>(result.best_epoch + 3));
    CHECK(accuracy(network, validation) == Approx(result.history[result.best_epoch - 1].validation_accuracy));
}

TEST_CASE("a diverging run stops with a clear error and leaves finite weights", "[training]") {
    const Dataset train_set = blobs(200, 4, 2, 10, 100.0f);
    Network network({4, 8, 2}, Activation::relu, 11);
    TrainConfig config;
    config.epochs = 5;
    config.optimizer.kind = OptimizerKind::sgd;
    config.schedule.base_rate = 1e30f;
    CHECK_THROWS_AS(train(network, train_set, Dataset{}, config), Error);
    CHECK_THROWS_WITH(train(network, train_set, Dataset{}, config), Catch::Contains("diverged"));
    CHECK(network.all_finite());
}

TEST_CASE("adapt_to resizes the first and last layers and says so", "[network]") {
    Network network({784, 32, 10}, Activation::relu, 1);
    const Matrix untouched = network.layers()[0].weights;
    CHECK(network.adapt_to(784, 10, 1).empty());
    CHECK(network.layers()[0].weights == untouched);

    const std::string message = network.adapt_to(20, 3, 1);
    CHECK(message == "input layer resized from 784 to 20 features; output layer resized from 10 to 3 classes "
                     "to match the data");
    CHECK(network.layer_sizes() == std::vector<int>{20, 32, 3});
    CHECK(network.predict(Matrix::Random(2, 20)).rows() == 2);
}

TEST_CASE("predict gives rows that sum to one, sharpened or softened by the temperature", "[network]") {
    Network network({5, 7, 4}, Activation::sigmoid, 2, Initialization::xavier);
    const Matrix x = Matrix::Random(6, 5);
    const Matrix p1 = network.predict(x);
    network.temperature = 4.0f;
    const Matrix p4 = network.predict(x);
    for (int i = 0; i < 6; ++i) {
        CHECK(p1.row(i).sum() == Approx(1.0f));
        CHECK(p4.row(i).maxCoeff() <= p1.row(i).maxCoeff() + 1e-6f);
    }
    const std::vector<int> classes = network.predict_class(x);
    for (int i = 0; i < 6; ++i) {
        int expected = 0;
        p4.row(i).maxCoeff(&expected);
        CHECK(classes[i] == expected);
    }
    CHECK_THROWS(network.logits(Matrix::Zero(1, 4)));
    CHECK(network.parameter_count() == 5 * 7 + 7 + 7 * 4 + 4);
}
