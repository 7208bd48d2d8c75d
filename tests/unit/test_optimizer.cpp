// Optimizer steps and learning-rate schedules against values computed by hand.
#include <catch2/catch.hpp>

#include "core/optimizer.h"
#include "core/schedule.h"

using namespace fcnet;

namespace {

// A 1 -> 1 network with weight w and bias b, and gradients g for both.
Network scalar_network(float w, float b) {
    Network network({1, 1}, Activation::identity, 0);
    network.layers()[0].weights(0, 0) = w;
    network.layers()[0].bias(0) = b;
    return network;
}

std::vector<LayerGradients> scalar_gradients(float g_weight, float g_bias) {
    LayerGradients g;
    g.weights = Matrix::Constant(1, 1, g_weight);
    g.bias = RowVector::Constant(1, g_bias);
    return {g};
}

float weight(const Network& n) { return n.layers()[0].weights(0, 0); }
float bias(const Network& n) { return n.layers()[0].bias(0); }

}  // namespace

TEST_CASE("SGD with momentum: v = mu v + g, w -= lr v", "[optimizer]") {
    OptimizerConfig config;
    config.kind = OptimizerKind::sgd;
    config.momentum = 0.9f;
    Optimizer optimizer(config);
    Network network = scalar_network(1.0f, 0.0f);
    optimizer.step(network, scalar_gradients(0.5f, -1.0f), 0.1f);
    CHECK(weight(network) == Approx(0.95f));   // v = 0.5,   w = 1 - 0.05
    CHECK(bias(network) == Approx(0.1f));      // v = -1,    b = 0 + 0.1
    optimizer.step(network, scalar_gradients(0.5f, -1.0f), 0.1f);
    CHECK(weight(network) == Approx(0.855f));  // v = 0.95,  w = 0.95 - 0.095
    CHECK(bias(network) == Approx(0.29f));     // v = -1.9,  b = 0.1 + 0.19
}

TEST_CASE("Adam: bias-corrected moments", "[optimizer]") {
    Optimizer optimizer(OptimizerConfig{});  // adam, beta1 0.9, beta2 0.999, eps 1e-8
    Network network = scalar_network(1.0f, 0.0f);
    optimizer.step(network, scalar_gradients(0.5f, 0.0f), 0.1f);
    // m = 0.05, v = 0.00025; m^ = 0.5, v^ = 0.25; w -= 0.1 * 0.5 / 0.5
    CHECK(weight(network) == Approx(0.9f));
    CHECK(bias(network) == 0.0f);
    optimizer.step(network, scalar_gradients(-0.5f, 0.0f), 0.1f);
    // m = 0.045 - 0.05 = -0.005, v = 0.00024975 + 0.00025 = 0.00049975
    // m^ = -0.005 / 0.19, v^ = 0.00049975 / 0.001999; w -= 0.1 * m^ / sqrt(v^)
    const double m_hat = -0.005 / 0.19, v_hat = 0.00049975 / (1 - 0.999 * 0.999);
    CHECK(weight(network) == Approx(0.9 - 0.1 * m_hat / std::sqrt(v_hat)).epsilon(1e-5));
}

TEST_CASE("L2 weight decay adds lambda w to the weight gradient only", "[optimizer]") {
    OptimizerConfig config;
    config.kind = OptimizerKind::sgd;
    config.momentum = 0.0f;
    config.weight_decay = 0.1f;
    Optimizer optimizer(config);
    Network network = scalar_network(2.0f, 3.0f);
    optimizer.step(network, scalar_gradients(0.0f, 0.0f), 0.5f);
    CHECK(weight(network) == Approx(1.9f));  // g = 0 + 0.1 * 2; w = 2 - 0.5 * 0.2
    CHECK(bias(network) == 3.0f);
}

TEST_CASE("learning-rate schedules", "[schedule]") {
    LearningRateSchedule schedule;
    schedule.base_rate = 0.1f;
    CHECK(schedule.rate(7.5, 10) == Approx(0.1f));

    schedule.kind = LearningRateSchedule::Kind::step;
    schedule.step_epochs = 3;
    schedule.step_factor = 0.5f;
    CHECK(schedule.rate(2.9, 10) == Approx(0.1f));
    CHECK(schedule.rate(3.0, 10) == Approx(0.05f));
    CHECK(schedule.rate(6.5, 10) == Approx(0.025f));

    schedule.kind = LearningRateSchedule::Kind::cosine;
    CHECK(schedule.rate(0, 10) == Approx(0.1f));
    CHECK(schedule.rate(5, 10) == Approx(0.05f));
    CHECK(schedule.rate(10, 10) == Approx(0.0f).margin(1e-7));

    CHECK(parse_schedule("cosine") == LearningRateSchedule::Kind::cosine);
    CHECK_THROWS_WITH(parse_schedule("linear"), Catch::Contains("linear"));
    CHECK_THROWS_WITH(parse_optimizer("rmsprop"), Catch::Contains("rmsprop"));
}
