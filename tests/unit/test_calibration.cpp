// Temperature scaling: recovers a known temperature, lowers NLL, never changes accuracy.
#include <catch2/catch.hpp>

#include <random>

#include "core/calibration.h"
#include "core/loss.h"
#include "core/metrics.h"

using namespace fcnet;

namespace {

// Logits z ~ N(0, 2) whose labels are drawn from softmax(z): calibrated at T = 1 by construction.
void calibrated_sample(int rows, int classes, std::uint64_t seed, Matrix& logits, std::vector<int>& labels) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<float> normal(0.0f, 2.0f);
    logits.resize(rows, classes);
    labels.resize(rows);
    for (Eigen::Index i = 0; i < logits.size(); ++i) logits.data()[i] = normal(rng);
    Matrix probabilities = logits;
    softmax_rows(probabilities);
    for (int i = 0; i < rows; ++i) {
        std::discrete_distribution<int> pick(probabilities.row(i).data(), probabilities.row(i).data() + classes);
        labels[i] = pick(rng);
    }
}

}  // namespace

TEST_CASE("temperature scaling recovers the temperature that overconfident logits were scaled by",
          "[calibration]") {
    Matrix logits;
    std::vector<int> labels;
    calibrated_sample(20000, 10, 5, logits, labels);
    const float scale = GENERATE(0.5f, 3.0f);
    const Matrix scaled = logits * scale;  // T = scale undoes it
    const TemperatureFit fit = fit_temperature(scaled, labels);
    CHECK(fit.temperature == Approx(scale).epsilon(0.05));
    CHECK(fit.nll_after < fit.nll_before);
    CHECK(fit.nll_before == Approx(mean_nll(scaled, labels, 1.0f)));
    CHECK(fit.nll_after == Approx(mean_nll(scaled, labels, fit.temperature)));
    // The fitted T is a minimum: nudging it either way does not lower the NLL.
    CHECK(mean_nll(scaled, labels, fit.temperature * 1.01f) >= fit.nll_after);
    CHECK(mean_nll(scaled, labels, fit.temperature / 1.01f) >= fit.nll_after);
    CHECK(evaluate(scaled, labels, fit.temperature).accuracy == evaluate(scaled, labels, 1.0f).accuracy);
}

TEST_CASE("temperature scaling lowers ECE on overconfident logits", "[calibration]") {
    Matrix logits;
    std::vector<int> labels;
    calibrated_sample(20000, 10, 9, logits, labels);
    const Matrix overconfident = logits * 2.5f;
    const TemperatureFit fit = fit_temperature(overconfident, labels);
    const double ece_before = evaluate(overconfident, labels, 1.0f).ece;
    const double ece_after = evaluate(overconfident, labels, fit.temperature).ece;
    CHECK(ece_before > 0.1);
    CHECK(ece_after < 0.02);
}

TEST_CASE("temperature scaling needs data", "[calibration]") {
    CHECK_THROWS(fit_temperature(Matrix(0, 3), {}));
}
