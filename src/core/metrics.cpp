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
    for (int c = 0; c < classes; ++c) {
        int predicted_as_c = 0;
        for (int t = 0; t < classes; ++t) predicted_as_c += result.confusion[t][c];
        ClassMetrics& m = result.per_class[c];
        const int true_positive = result.confusion[c][c];
        m.support = std::count(labels.begin(), labels.end(), c);
        m.precision = safe_ratio(true_positive, predicted_as_c);
        m.recall = safe_ratio(true_positive, m.support);
        m.f1 = safe_ratio(2 * m.precision * m.recall, m.precision + m.recall);
        macro.precision += m.precision / classes;
        macro.recall += m.recall / classes;
        macro.f1 += m.f1 / classes;
        const double weight = safe_ratio(m.support, result.samples);
        weighted.precision += weight * m.precision;
        weighted.recall += weight * m.recall;
        weighted.f1 += weight * m.f1;
    }
    macro.support = weighted.support = result.samples;
    return result;
}

}  // namespace fcnet
