// Classification metrics: accuracy, per-class precision/recall/F1, confusion matrix, NLL, ECE.
#include "core/metrics.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace fcnet {

namespace {

void check_shapes(const Matrix& logits, const std::vector<int>& labels) {
    if (static_cast<std::size_t>(logits.rows()) != labels.size()) {
        throw std::invalid_argument("metrics: " + std::to_string(logits.rows()) + " predictions but " +
                                    std::to_string(labels.size()) + " labels");
    }
    for (int label : labels) {
        if (label < 0 || label >= logits.cols()) {
            throw std::invalid_argument("metrics: label " + std::to_string(label) + " outside the model's " +
                                        std::to_string(logits.cols()) + " classes");
        }
    }
}

double safe_ratio(double numerator, double denominator) { return denominator > 0 ? numerator / denominator : 0.0; }

}  // namespace

double mean_nll(const Matrix& logits, const std::vector<int>& labels, float temperature) {
    check_shapes(logits, labels);
    double total = 0;
    for (Eigen::Index i = 0; i < logits.rows(); ++i) {
        // In double: temperature scaling searches this function to 1e-6, below float's noise.
        const Eigen::ArrayXd scaled = logits.row(i).transpose().cast<double>().array() / temperature;
        const double max = scaled.maxCoeff();
        total += max + std::log((scaled - max).exp().sum()) - scaled(labels[i]);  // logsumexp - z_y
    }
    return labels.empty() ? 0.0 : total / static_cast<double>(labels.size());
}

double expected_calibration_error(const std::vector<float>& confidences, const std::vector<bool>& correct,
                                  int bins) {
    std::vector<double> confidence_sum(bins, 0.0), correct_sum(bins, 0.0);
    std::vector<int> count(bins, 0);
    for (std::size_t i = 0; i < confidences.size(); ++i) {
        // (b/bins, (b+1)/bins] -> b; a confidence of exactly 0 goes to the first bin.
        const int bin = std::clamp(static_cast<int>(std::ceil(confidences[i] * bins)) - 1, 0, bins - 1);
        confidence_sum[bin] += confidences[i];
        correct_sum[bin] += correct[i] ? 1.0 : 0.0;
        ++count[bin];
    }
    double ece = 0;
    for (int b = 0; b < bins; ++b) {
        if (count[b] == 0) continue;
        ece += std::abs(correct_sum[b] - confidence_sum[b]) / static_cast<double>(confidences.size());
    }
    return ece;
}

Evaluation evaluate(const Matrix& logits, const std::vector<int>& labels, float temperature) {
    check_shapes(logits, labels);
    const int classes = static_cast<int>(logits.cols());
    Evaluation result;
    result.samples = static_cast<int>(labels.size());
    result.confusion.assign(classes, std::vector<int>(classes, 0));
    std::vector<float> confidences(labels.size());
    std::vector<bool> correct(labels.size());
    int hits = 0;
    for (Eigen::Index i = 0; i < logits.rows(); ++i) {
        int predicted = 0;
        const float max = logits.row(i).maxCoeff(&predicted);
        // The top probability of softmax(z / T) is 1 / sum_j exp((z_j - max) / T).
        confidences[i] = 1.0f / ((logits.row(i).array() - max) / temperature).exp().sum();
        correct[i] = predicted == labels[i];
        hits += correct[i];
        ++result.confusion[labels[i]][predicted];
    }
    result.accuracy = safe_ratio(hits, result.samples);
    result.nll = mean_nll(logits, labels, temperature);
    result.ece = expected_calibration_error(confidences, correct);

    result.per_class.resize(classes);
    ClassMetrics& macro = result.macro_average;
    ClassMetrics& weighted = result.weighted_average;
    int present = 0;  // classes with true samples: the macro average's classes
    for (int c = 0; c < classes; ++c) {
        int predicted_as_c = 0;
        for (int t = 0; t < classes; ++t) predicted_as_c += result.confusion[t][c];
        ClassMetrics& m = result.per_class[c];
        const int true_positive = result.confusion[c][c];
        m.support = std::count(labels.begin(), labels.end(), c);
        m.precision = safe_ratio(true_positive, predicted_as_c);
        m.recall = safe_ratio(true_positive, m.support);
        m.f1 = safe_ratio(2 * m.precision * m.recall, m.precision + m.recall);
        if (m.support > 0) {
            ++present;
            macro.precision += m.precision;
            macro.recall += m.recall;
            macro.f1 += m.f1;
        }
        const double weight = safe_ratio(m.support, result.samples);
        weighted.precision += weight * m.precision;
        weighted.recall += weight * m.recall;
        weighted.f1 += weight * m.f1;
    }
    macro.precision = safe_ratio(macro.precision, present);
    macro.recall = safe_ratio(macro.recall, present);
    macro.f1 = safe_ratio(macro.f1, present);
    macro.support = weighted.support = result.samples;
    return result;
}

// ---- telling two populations apart by a score -------------------------------------------

namespace {

void check_scores(const std::vector<float>& scores, const char* what) {
    if (scores.empty()) throw std::invalid_argument(std::string("metrics: no ") + what + " scores");
    for (float score : scores) {
        if (std::isnan(score)) throw std::invalid_argument(std::string("metrics: a NaN among the ") + what + " scores");
    }
}

}  // namespace

double auroc(const std::vector<float>& positive_scores, const std::vector<float>& negative_scores) {
    check_scores(positive_scores, "positive");
    check_scores(negative_scores, "negative");
    struct Scored {
        float score;
        bool positive;
    };
    std::vector<Scored> all;
    all.reserve(positive_scores.size() + negative_scores.size());
    for (float score : positive_scores) all.push_back({score, true});
    for (float score : negative_scores) all.push_back({score, false});
    std::sort(all.begin(), all.end(), [](const Scored& a, const Scored& b) { return a.score < b.score; });
    // Ranks 1..n ascending, a run of equal scores sharing the mean of its ranks.
    double positive_rank_sum = 0;
    for (std::size_t begin = 0; begin < all.size();) {
        std::size_t end = begin;
        int positives = 0;
        while (end < all.size() && all[end].score == all[begin].score) positives += all[end++].positive;
        positive_rank_sum += positives * (static_cast<double>(begin + 1 + end) / 2);
        begin = end;
    }
    const double p = static_cast<double>(positive_scores.size()), n = static_cast<double>(negative_scores.size());
    return (positive_rank_sum - p * (p + 1) / 2) / (p * n);  // U / (p n)
}

float acceptance_threshold(const std::vector<float>& positive_scores, double acceptance) {
    check_scores(positive_scores, "positive");
    if (!(acceptance > 0 && acceptance <= 1)) {
        throw std::invalid_argument("metrics: acceptance " + std::to_string(acceptance) + " is outside (0, 1]");
    }
    std::vector<float> sorted = positive_scores;
    // 1e-9 absorbs rounding: (1 - 0.99) * 100 must allow exactly 1 rejection, not 0.
    const auto rejected = static_cast<std::size_t>(std::floor((1 - acceptance) * sorted.size() + 1e-9));
    const auto nth = sorted.begin() + static_cast<std::ptrdiff_t>(std::min(rejected, sorted.size() - 1));
    std::nth_element(sorted.begin(), nth, sorted.end());
    return *nth;
}

double fraction_below(const std::vector<float>& scores, float threshold) {
    const auto below = std::count_if(scores.begin(), scores.end(), [&](float score) { return score < threshold; });
    return scores.empty() ? 0.0 : static_cast<double>(below) / static_cast<double>(scores.size());
}

double rejection_at_acceptance(const std::vector<float>& positive_scores, const std::vector<float>& negative_scores,
                               double acceptance) {
    check_scores(negative_scores, "negative");
    return fraction_below(negative_scores, acceptance_threshold(positive_scores, acceptance));
}

}  // namespace fcnet
