// Metrics against known answers: scikit-learn's classification_report and hand-computed ECE / NLL.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "core/metrics.h"

using namespace fcnet;

namespace {

// Logits whose argmax is each predicted class (a one-hot of 5 scaled up).
Matrix logits_predicting(const std::vector<int>& predicted, int classes) {
    Matrix logits = Matrix::Zero(predicted.size(), classes);
    for (std::size_t i = 0; i < predicted.size(); ++i) logits(i, predicted[i]) = 5.0f;
    return logits;
}

}  // namespace

TEST_CASE("evaluate reproduces scikit-learn's classification_report", "[metrics]") {
    // classification_report(y_true, y_pred, digits=6, zero_division=0) printed, for these labels:
    //   class 0: 0.500000 0.666667 0.571429 3     class 3: 1.000000 0.500000 0.666667 2
    //   class 1: 0.500000 0.666667 0.571429 3     class 4: 0.000000 0.000000 0.000000 1
    //   class 2: 0.500000 0.500000 0.500000 4     accuracy 0.538462 (13)
    //   macro avg    0.500000 0.466667 0.461905   weighted avg 0.538462 0.538462 0.520147
    const std::vector<int> y_true{0, 1, 2, 2, 2, 1, 0, 0, 1, 2, 3, 3, 4};
    const std::vector<int> y_pred{0, 2, 2, 2, 1, 1, 0, 1, 1, 0, 3, 0, 2};
    const Evaluation e = evaluate(logits_predicting(y_pred, 5), y_true);

    CHECK(e.samples == 13);
    CHECK(e.accuracy == Approx(0.538462).margin(1e-6));
    const double expected[5][3] = {{0.5, 0.666667, 0.571429},
                                   {0.5, 0.666667, 0.571429},
                                   {0.5, 0.5, 0.5},
                                   {1.0, 0.5, 0.666667},
                                   {0.0, 0.0, 0.0}};
    const int support[5] = {3, 3, 4, 2, 1};
    for (int c = 0; c < 5; ++c) {
        INFO("class " << c);
        CHECK(e.per_class[c].precision == Approx(expected[c][0]).margin(1e-6));
        CHECK(e.per_class[c].recall == Approx(expected[c][1]).margin(1e-6));
        CHECK(e.per_class[c].f1 == Approx(expected[c][2]).margin(1e-6));
        CHECK(e.per_class[c].support == support[c]);
    }
    CHECK(e.macro_average.precision == Approx(0.5).margin(1e-6));
    CHECK(e.macro_average.recall == Approx(0.466667).margin(1e-6));
    CHECK(e.macro_average.f1 == Approx(0.461905).margin(1e-6));
    CHECK(e.weighted_average.precision == Approx(0.538462).margin(1e-6));
    CHECK(e.weighted_average.recall == Approx(0.538462).margin(1e-6));
    CHECK(e.weighted_average.f1 == Approx(0.520147).margin(1e-6));
    // confusion_matrix(y_true, y_pred): rows are true classes.
    const std::vector<std::vector<int>> confusion{
        {2, 1, 0, 0, 0}, {0, 2, 1, 0, 0}, {1, 1, 2, 0, 0}, {1, 0, 0, 1, 0}, {0, 0, 1, 0, 0}};
    CHECK(e.confusion == confusion);
}

TEST_CASE("the macro average leaves out a class with no true samples", "[metrics]") {
    // "Not a digit" on MNIST's test set: never the true class, sometimes predicted. Class 0:
    // precision 1/1, recall 1/2, F1 2/3; class 1: 1, 1, 1; class 2: no true sample, precision 0.
    // classification_report(y_true, y_pred, labels=[0, 1]) gives macro 1.0, 0.75, 0.833333.
    const std::vector<int> y_true{0, 0, 1, 1};
    const std::vector<int> y_pred{0, 2, 1, 1};
    const Evaluation e = evaluate(logits_predicting(y_pred, 3), y_true);

    CHECK(e.per_class[2].support == 0);
    CHECK(e.per_class[2].precision == 0.0);
    CHECK(e.macro_average.precision == Approx(1.0).margin(1e-6));
    CHECK(e.macro_average.recall == Approx(0.75).margin(1e-6));
    CHECK(e.macro_average.f1 == Approx(0.833333).margin(1e-6));
    // The weighted average weighs by support, so the empty class never counted there.
    CHECK(e.weighted_average.recall == Approx(0.75).margin(1e-6));
}

TEST_CASE("ECE uses 15 equal-width bins, (b/15, (b+1)/15]", "[metrics]") {
    // Bin 14 (0.933.., 1]: confidences 0.95, 0.99 with one correct -> |1 - 1.94| = 0.94
    // Bin 8 (0.533.., 0.6]: confidence 0.6 correct -> |1 - 0.6| = 0.4
    // Bin 0 [0, 1/15]: confidence 0.0 wrong -> 0
    // ECE = (0.94 + 0.4 + 0) / 4 = 0.335
    const std::vector<float> confidences{0.95f, 0.99f, 0.6f, 0.0f};
    const std::vector<bool> correct{true, false, true, false};
    CHECK(expected_calibration_error(confidences, correct) == Approx(0.335).epsilon(1e-6));
    // A perfectly calibrated bin contributes nothing: 0.75 confidence, 3 of 4 right.
    CHECK(expected_calibration_error({0.75f, 0.75f, 0.75f, 0.75f}, {true, true, true, false}) ==
          Approx(0.0).margin(1e-7));
}

TEST_CASE("NLL and confidences follow the temperature", "[metrics]") {
    Matrix logits(2, 3);
    logits << 2.0f, 1.0f, 0.0f,
              0.0f, 0.0f, 3.0f;
    const std::vector<int> labels{0, 1};
    auto nll = [](double z0, double z1, double z2, double zy) {
        return std::log(std::exp(z0) + std::exp(z1) + std::exp(z2)) - zy;
    };
    const double at_one = (nll(2, 1, 0, 2) + nll(0, 0, 3, 0)) / 2;
    const double at_two = (nll(1, 0.5, 0, 1) + nll(0, 0, 1.5, 0)) / 2;
    CHECK(mean_nll(logits, labels, 1.0f) == Approx(at_one));
    CHECK(mean_nll(logits, labels, 2.0f) == Approx(at_two));
    CHECK(evaluate(logits, labels, 2.0f).nll == Approx(at_two));
    CHECK(evaluate(logits, labels, 1.0f).accuracy == 0.5);
}

TEST_CASE("evaluate rejects labels outside the classes and mismatched counts", "[metrics]") {
    const Matrix logits = Matrix::Zero(2, 3);
    CHECK_THROWS_WITH(evaluate(logits, {0, 3}), Catch::Contains("label 3"));
    CHECK_THROWS_WITH(evaluate(logits, {0}), Catch::Contains("2 predictions but 1 labels"));
}

TEST_CASE("AUROC counts positive-over-negative pairs, ties as halves (scikit-learn's roc_auc_score)", "[metrics]") {
    // 20 pairs: 0.9 and 0.8 beat all 4 negatives, 0.7 beats 3, each 0.5 beats 2 and ties 1:
    // (4 + 4 + 3 + 2.5 + 2.5) / 20 = 0.8, which roc_auc_score([1]*5 + [0]*4, ...) also gives.
    CHECK(auroc({0.9f, 0.8f, 0.7f, 0.5f, 0.5f}, {0.5f, 0.3f, 0.75f, 0.1f}) == Approx(0.8));
    CHECK(auroc({2, 3}, {0, 1}) == 1.0);
    CHECK(auroc({0, 1}, {2, 3}) == 0.0);
    CHECK(auroc({1, 1, 1}, {1, 1}) == 0.5);
    CHECK_THROWS_WITH(auroc({}, {1}), Catch::Contains("no positive scores"));
    CHECK_THROWS_WITH(auroc({1}, {NAN}), Catch::Contains("NaN"));
}

TEST_CASE("AUROC equals the pair count on random scores with many ties", "[metrics]") {
    std::vector<float> positive, negative;
    for (int i = 0; i < 300; ++i) positive.push_back(static_cast<float>((i * 37) % 23) / 10);
    for (int i = 0; i < 200; ++i) negative.push_back(static_cast<float>((i * 11) % 17) / 10);
    double wins = 0;
    for (float p : positive) {
        for (float n : negative) wins += p > n ? 1.0 : p == n ? 0.5 : 0.0;
    }
    CHECK(auroc(positive, negative) == Approx(wins / (300.0 * 200.0)).epsilon(1e-12));
}

TEST_CASE("rejection at 99% acceptance: the threshold keeps 99 of 100 positives", "[metrics]") {
    std::vector<float> positive;
    for (int i = 1; i <= 100; ++i) positive.push_back(i / 100.0f);  // 0.01 .. 1.00, shuffled order is fine
    std::reverse(positive.begin(), positive.end());
    CHECK(acceptance_threshold(positive, 0.99) == 0.02f);  // only 0.01 falls below
    CHECK(acceptance_threshold(positive, 1.0) == 0.01f);
    CHECK(acceptance_threshold(positive, 0.5) == 0.51f);
    CHECK(rejection_at_acceptance(positive, {0.0f, 0.015f, 0.02f, 0.5f}) == 0.5);  // 0.0 and 0.015 are below
    CHECK(rejection_at_acceptance(positive, {0.3f, 0.4f}, 0.5) == 1.0);
    CHECK(fraction_below({0.1f, 0.2f, 0.3f, 0.4f}, 0.35f) == 0.75);
    CHECK_THROWS_WITH(acceptance_threshold(positive, 0.0), Catch::Contains("acceptance"));
    CHECK_THROWS_WITH(rejection_at_acceptance(positive, {}), Catch::Contains("no negative scores"));
}
