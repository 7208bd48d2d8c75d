// Fitting a model's temperature on validation data and describing the change, for train and calibrate.
#include "cli/calibration_step.h"

#include <cstdio>

#include "core/calibration.h"
#include "core/error.h"
#include "core/metrics.h"

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
    model.metadata["calibrated_on"] = validation.name;
    return report;
}

}  // namespace fcnet::cli
