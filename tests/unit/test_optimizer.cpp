// Optimizer steps, schedules and every instruction set's update kernel, against values computed by hand or in double.
#include <catch2/catch.hpp>

#include <cmath>
#include <random>

#include "core/gemm_kernel.h"
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

TEST_CASE("every instruction set's update kernel applies SGD and Adam as in double precision", "[optimizer]") {
    // 2500 elements: no multiple of any vector width.
    constexpr std::ptrdiff_t n = 2500;
    std::mt19937 rng(7);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    std::vector<float> w0(n), m0(n), v0(n), gradient(n);
    for (std::ptrdiff_t i = 0; i < n; ++i) {
        w0[i] = normal(rng), m0[i] = 0.1f * normal(rng), v0[i] = 0.01f * std::abs(normal(rng));
        gradient[i] = normal(rng);
    }
    const float decay = 0.01f;
    for (const bool adam : {false, true}) {
        UpdateRule rule;
        rule.adam = adam;
        rule.rate = 0.01f, rule.momentum = 0.9f;
        rule.beta1 = 0.9f, rule.beta2 = 0.999f, rule.epsilon = 1e-8f;
        rule.adam_step = 0.01f / (1.0f - 0.9f * 0.9f), rule.inverse_correction2 = 1.0f / (1.0f - 0.999f * 0.999f);
        for (const GemmKernel* kernel : supported_gemm_kernels()) {
            INFO(kernel->name << (adam ? " Adam" : " SGD"));
            std::vector<float> w = w0, m = m0, v = v0;
            // Elements [3, n): the slice need not start at the array's beginning.
            kernel->update(rule, {w.data(), m.data(), adam ? v.data() : nullptr, gradient.data(), decay, 3, n});
            for (std::ptrdiff_t i = 0; i < n; ++i) {
                if (i < 3) {
                    REQUIRE(w[i] == w0[i]);
                    continue;
                }
                // The rule's own float constants, in double: 1 - 0.999f is 1.3e-5 away from 0.001.
                const double b1 = rule.beta1, b2 = rule.beta2;
                const double g = gradient[i] + decay * double(w0[i]);
                const double expected_m = adam ? b1 * m0[i] + (1 - b1) * g : double(rule.momentum) * m0[i] + g;
                double expected_w;
                if (adam) {
                    const double expected_v = b2 * v0[i] + (1 - b2) * g * g;
                    REQUIRE(v[i] == Approx(expected_v).epsilon(1e-5).margin(1e-12));
                    const double denominator =
                        std::sqrt(expected_v * double(rule.inverse_correction2)) + double(rule.epsilon);
                    expected_w = w0[i] - double(rule.adam_step) * expected_m / denominator;
                } else {
                    expected_w = w0[i] - double(rule.rate) * expected_m;
                }
                REQUIRE(m[i] == Approx(expected_m).epsilon(1e-5).margin(1e-6));
                REQUIRE(w[i] == Approx(expected_w).epsilon(1e-5).margin(1e-6));
            }
        }
    }
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
