// Fitting a model's temperature on validation data and describing the change, for train and calibrate.
#include "cli/calibration_step.h"

#include <algorithm>
#include <cstdio>

#include "cli/report.h"
#include "core/calibration.h"
#include "core/error.h"
#include "core/loss.h"
#include "core/metrics.h"
#include "preprocess/digit_prediction.h"

namespace fcnet::cli {

namespace {

std::string before_after(const char* label, const Matrix& logits, const Dataset& data, float before, float after) {
    const Evaluation old_scores = evaluate(logits, data.labels, before);
    const Evaluation new_scores = evaluate(logits, data.labels, after);
    char line[256];
    std::snprintf(line, sizeof line, "%-10s NLL %.4f -> %.4f   ECE %.2f%% -> %.2f%%   accuracy %.2f%% (unchanged)\n",
                  label, old_scores.nll, new_scores.nll, 100 * old_scores.ece, 100 * new_scores.ece,
                  100 * new_scores.accuracy);
    return line;
}

// The confidence that `share` of the samples reach: a lower quantile of the top probabilities.
// With a rejection class (index `rejection_class` >= 0), only samples labelled otherwise count,
// and their confidence is the largest probability among the other classes.
float confidence_reached_by(const Matrix& logits, const std::vector<int>& labels, float temperature, double share,
                            int rejection_class) {
    Matrix probabilities = logits / temperature;
    softmax_rows(probabilities);
    std::vector<float> confidences;
    for (Eigen::Index i = 0; i < probabilities.rows(); ++i) {
        if (rejection_class < 0) {
            confidences.push_back(probabilities.row(i).maxCoeff());
        } else if (labels[i] != rejection_class) {
            probabilities(i, rejection_class) = 0;
            confidences.push_back(probabilities.row(i).maxCoeff());
        }
    }
    if (confidences.empty()) throw Error("calibration: the validation part holds no digits to fit the threshold on");
    const auto nth = confidences.begin() + static_cast<std::ptrdiff_t>((1.0 - share) * (confidences.size() - 1));
    std::nth_element(confidences.begin(), nth, confidences.end());
    return *nth;
}

// The share of the samples labelled with a digit whose most probable digit (the argmax of the
// first kDigitClasses logits, whatever the other classes say) is the label: the digit `fcnet
// predict`, the app and the module report. 0 when no sample is labelled with a digit.
double reported_digit_accuracy(const Matrix& logits, const std::vector<int>& labels) {
    int digits = 0, right = 0;
    for (Eigen::Index i = 0; i < logits.rows(); ++i) {
        if (labels[i] >= kDigitClasses) continue;
        Eigen::Index digit = 0;
        logits.row(i).head(kDigitClasses).maxCoeff(&digit);
        ++digits, right += digit == labels[i];
    }
    return digits > 0 ? static_cast<double>(right) / digits : 0.0;
}

}  // namespace

std::string calibrate_model(Model& model, const Dataset& validation, const Dataset& test) {
    if (validation.size() == 0) throw Error("calibration needs a validation part, and it is empty (see --val)");
    Network& network = model.network;
    const float before = network.temperature;
    const Matrix validation_logits = network.logits(validation.features);
    const TemperatureFit fit = fit_temperature(validation_logits, validation.labels);
    network.temperature = fit.temperature;

    char line[128];
    std::snprintf(line, sizeof line, "temperature %.4f -> %.4f (fitted on %d validation samples)\n", before,
                  fit.temperature, validation.size());
    std::string report = line;
    report += before_after("validation", validation_logits, validation, before, fit.temperature);
    if (test.size() > 0) report += before_after("test", network.logits(test.features), test, before, fit.temperature);
    const auto named = std::find(model.class_names.begin(), model.class_names.end(), kNotADigitClass);
    const int rejection_class =
        named == model.class_names.end() ? -1 : static_cast<int>(named - model.class_names.begin());
    const float threshold = confidence_reached_by(validation_logits, validation.labels, fit.temperature,
                                                  kAcceptedShare, rejection_class);
    std::snprintf(line, sizeof line, "rejection threshold: confidence %.4f (reached by %.0f%% of validation %s)\n",
                  threshold, 100 * kAcceptedShare, rejection_class < 0 ? "samples" : "digits");
    report += line;
    std::snprintf(line, sizeof line, "%.6g", threshold);
    model.metadata["reject_confidence"] = line;
    model.metadata["calibrated_on"] = validation.name;
    return report;
}

Evaluation record_test_scores(Model& model, const Dataset& test) {
    const Matrix logits = model.network.logits(test.features);  // samples x classes
    const Evaluation scores = evaluate(logits, test.labels, model.network.temperature);
    model.metadata["test_data"] = test.name + ", " + std::to_string(test.size()) + " samples";
    model.metadata["test_accuracy"] = format_number(scores.accuracy);
    model.metadata["test_nll"] = format_number(scores.nll);
    model.metadata["test_ece"] = format_number(scores.ece);
    if (has_rejection_class(model)) {
        model.metadata["test_digit_accuracy"] = format_number(reported_digit_accuracy(logits, test.labels));
    }
    return scores;
}

}  // namespace fcnet::cli
