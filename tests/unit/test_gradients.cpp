// Backpropagation checked against central finite differences, for every activation and the loss.
#include <catch2/catch.hpp>


#include "core/activation.h"
#include "core/backprop.h"
#include "core/loss.h"
#include "core/network.h"
#include "support/test_support.h"

using namespace fcnet;

namespace {

double loss_of(const Network& network, const Matrix& x, const std::vector<int>& labels) {
    return softmax_cross_entropy(network.logits(x), labels.data(), nullptr);
}

// |numeric - analytic| <= 1e-3 + 2% of |analytic| for every parameter.
void check_parameter(Network& network, float& parameter, float analytic, const Matrix& x,
                     const std::vector<int>& labels) {
    const float eps = 1e-3f;
    const float saved = parameter;
    parameter = saved + eps;
    const double plus = loss_of(network, x, labels);
    parameter = saved - eps;
    const double minus = loss_of(network, x, labels);
    parameter = saved;
    const double numeric = (plus - minus) / (2 * eps);
    CHECK(std::abs(numeric - analytic) <= 1e-3 + 0.02 * std::abs(analytic));
}

}  // namespace

TEST_CASE("backprop matches finite differences for every hidden activation", "[gradients]") {
    const auto activation = GENERATE(Activation::relu, Activation::leaky_relu, Activation::sigmoid,
                                     Activation::tanh, Activation::identity);
    INFO("activation " << activation_name(activation));
    Network network({6, 5, 4, 3}, activation, 7, Initialization::xavier);
    network.normalization = {0.2f, 1.5f};
    for (auto& layer : network.layers()) layer.bias = random_matrix(1, layer.outputs(), 99, 0.3f);
    const Matrix x = random_matrix(8, 6, 3);
    const std::vector<int> labels{0, 1, 2, 2, 1, 0, 1, 2};

    Backprop backprop;
    const double loss = backprop.compute(network, x, labels.data());
    REQUIRE(loss == Approx(loss_of(network, x, labels)).epsilon(1e-5));
    const auto gradients = backprop.gradients();  // copy: the checks below re-run the network
    for (std::size_t l = 0; l < network.layers().size(); ++l) {
        DenseLayer& layer = network.layers()[l];
        for (Eigen::Index i = 0; i < layer.weights.size(); ++i) {
            check_parameter(network, layer.weights.data()[i], gradients[l].weights.data()[i], x, labels);
        }
        for (Eigen::Index i = 0; i < layer.bias.size(); ++i) {
            check_parameter(network, layer.bias.data()[i], gradients[l].bias.data()[i], x, labels);
        }
    }
}

TEST_CASE("softmax cross-entropy gradient is (softmax - one_hot) / n and matches finite differences",
          "[gradients]") {
    Matrix logits = random_matrix(4, 5, 11, 2.0f);
    const std::vector<int> labels{4, 0, 2, 2};
    Matrix gradient;
    softmax_cross_entropy(logits, labels.data(), &gradient);
    Matrix probabilities = logits;
    softmax_rows(probabilities);
    for (int i = 0; i < 4; ++i) {
        for (int j = 0; j < 5; ++j) {
            const double expected = (probabilities(i, j) - (j == labels[i] ? 1.0 : 0.0)) / 4.0;
            CHECK(gradient(i, j) == Approx(expected).margin(1e-6));
            const float saved = logits(i, j);
            logits(i, j) = saved + 1e-3f;
            const double plus = softmax_cross_entropy(logits, labels.data(), nullptr);
            logits(i, j) = saved - 1e-3f;
            const double minus = softmax_cross_entropy(logits, labels.data(), nullptr);
            logits(i, j) = saved;
            CHECK((plus - minus) / 2e-3 == Approx(gradient(i, j)).margin(2e-4));
        }
    }
}

TEST_CASE("softmax cross-entropy stays finite for huge logits", "[loss]") {
    Matrix logits(1, 3);
    logits << 1000.0f, -1000.0f, 0.0f;
    const std::vector<int> right{0}, wrong{1};
    CHECK(softmax_cross_entropy(logits, right.data(), nullptr) == Approx(0.0).margin(1e-6));
    CHECK(softmax_cross_entropy(logits, wrong.data(), nullptr) == Approx(2000.0));
}

TEST_CASE("activation derivatives match finite differences of the activation", "[gradients]") {
    const auto activation = GENERATE(Activation::relu, Activation::leaky_relu, Activation::sigmoid, Activation::tanh);
    INFO("activation " << activation_name(activation));
    Matrix z(1, 6);
    z << -2.0f, -0.5f, -0.1f, 0.1f, 0.7f, 3.0f;
    Matrix a = z;
    activate(activation, a);
    Matrix derivative = Matrix::Ones(1, 6);
    multiply_by_derivative(activation, a, derivative);
    for (int j = 0; j < 6; ++j) {
        Matrix plus = z, minus = z;
        plus(0, j) += 1e-3f;
        minus(0, j) -= 1e-3f;
        activate(activation, plus);
        activate(activation, minus);
        CHECK((plus(0, j) - minus(0, j)) / 2e-3f == Approx(derivative(0, j)).margin(1e-3));
    }
}
