// Classification metrics: accuracy, per-class precision/recall/F1, confusion matrix, NLL, ECE; AUROC and rejection.
#pragma once

#include <vector>

#include "core/tensor.h"

namespace fcnet {

struct ClassMetrics {
    double precision = 0;  // a class never predicted has precision 0 (as scikit-learn reports)
    double recall = 0;
    double f1 = 0;
    int support = 0;       // true samples of this class (for averages: all samples)
};

struct Evaluation {
    int samples = 0;
    double accuracy = 0;
    std::vector<ClassMetrics> per_class;
    ClassMetrics macro_average;     // unweighted mean over the classes that have true samples (a
                                    // "not a digit" row with none, as on MNIST, would only pull it down)
    ClassMetrics weighted_average;  // mean weighted by support
    std::vector<std::vector<int>> confusion;  // confusion[true][predicted]
    double nll = 0;                 // mean -log p(true class)
    double ece = 0;                 // expected calibration error, kEceBins equal-width bins
};

constexpr int kEceBins = 15;

// Probabilities are softmax(logits / temperature); labels are in [0, logits.cols()).
Evaluation evaluate(const Matrix& logits, const std::vector<int>& labels, float temperature = 1.0f);

// ECE over equal-width confidence bins (Guo et al. 2017): sum_b |B_b|/n * |acc(B_b) - conf(B_b)|,
// bin b holds confidences in (b/bins, (b+1)/bins].
double expected_calibration_error(const std::vector<float>& confidences, const std::vector<bool>& correct,
                                  int bins = kEceBins);

// Mean negative log-likelihood of softmax(logits / temperature), computed stably from logits.
double mean_nll(const Matrix& logits, const std::vector<int>& labels, float temperature);

// ---- telling two populations apart by a score (higher = more "positive") -----------------

// The area under the ROC curve: the probability that a random positive scores higher than a
// random negative, ties counting one half (the Mann-Whitney U statistic / (positives x negatives)).
// Throws std::invalid_argument if either list is empty or holds a NaN.
double auroc(const std::vector<float>& positive_scores, const std::vector<float>& negative_scores);

// The threshold at which `acceptance` (in (0, 1]) of the positives are accepted (score >= it):
// with the positives sorted ascending, s[floor((1 - acceptance) * n)], so at most that many are
// below it. Throws std::invalid_argument if the list is empty or acceptance is outside (0, 1].
float acceptance_threshold(const std::vector<float>& positive_scores, double acceptance);

// The fraction of negatives scoring below acceptance_threshold(positive, acceptance): the share
// rejected when `acceptance` of the positives are kept. Throws as acceptance_threshold, and if
// there are no negatives.
double rejection_at_acceptance(const std::vector<float>& positive_scores, const std::vector<float>& negative_scores,
                               double acceptance = 0.99);

// The fraction of `scores` below `threshold`.
double fraction_below(const std::vector<float>& scores, float threshold);

}  // namespace fcnet
