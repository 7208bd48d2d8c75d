// Where a model came from and how it scored, as train, calibrate and ensemble record it and `fcnet info` tells it.
#include "cli/model_history.h"

#include <cstdio>
#include <ctime>

#include "core/metrics.h"
#include "preprocess/digit_prediction.h"

namespace fcnet::cli {

namespace {

// The metadata entry `key`, or "" when the model has none.
std::string entry(const Model& model, const char* key) {
    const auto found = model.metadata.find(key);
    return found == model.metadata.end() ? std::string() : found->second;
}

// A stored share ("0.9847") as a percentage ("98.47%"); anything else as it is.
std::string percentage(const std::string& stored) {
    double value = 0;
    if (!parse_number(stored, value)) return stored;
    char text[32];
    std::snprintf(text, sizeof text, "%.2f%%", 100 * value);
    return text;
}

// `text` without `suffix` when it ends with it, else "".
std::string without_suffix(const std::string& text, const std::string& suffix) {
    const bool ends = text.size() > suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
    return ends ? text.substr(0, text.size() - suffix.size()) : std::string();
}

// The data the test scores are on: "test_data", or for files from before it was recorded the
// test part of the --data given to the command that recorded them (calibrate or train, which
// name their parts "DIR (validation)" and "DIR (train)").
std::string test_data(const Model& model) {
    const std::string recorded = entry(model, "test_data");
    if (!recorded.empty()) return recorded;
    for (const auto& [key, suffix] : {std::pair{"calibrated_on", " (validation)"}, {"dataset", " (train)"}}) {
        const std::string folder = without_suffix(entry(model, key), suffix);
        if (!folder.empty()) return "the test part of " + folder;
    }
    return "its test part";
}

// "  label          text\n": a row of a summary, its text in the column of the model summary's values.
std::string row(const char* label, const std::string& text) {
    char start[32];
    std::snprintf(start, sizeof start, "  %-15s", label);
    return start + text + '\n';
}

}  // namespace

std::string today() {
    const std::time_t now = std::time(nullptr);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%d", std::gmtime(&now));
    return text;
}

std::string origin_summary(const Model& model) {
    const std::string ensemble = entry(model, "ensemble"), built = entry(model, "built"), trained = entry(model, "trained");
    if (!built.empty()) return "built          " + built + " by fcnet ensemble; the mean of " + ensemble + '\n';
    if (!ensemble.empty()) {
        std::string text = "built          by fcnet ensemble on a date this file does not record; the mean of " + ensemble + '\n';
        if (!trained.empty()) {
            text += "               (its 'trained' date, " + trained + ", is its first member's: fcnet ensemble kept it)\n";
        }
        return text;
    }
    return trained.empty() ? std::string() : "trained        " + trained + '\n';
}

std::string test_scores_summary(const Model& model) {
    const std::string accuracy = entry(model, "test_accuracy");
    if (accuracy.empty()) return {};
    std::string text = "test scores    on " + test_data(model) + '\n';
    if (has_rejection_class(model)) {
        text += row("accuracy", percentage(accuracy) + " (test_accuracy), the most probable of all " +
                                    std::to_string(model.network.classes()) + " outputs: a digit read as \"" +
                                    kNotADigitClass + "\" counts as wrong");
        const std::string digit = entry(model, "test_digit_accuracy");
        text += row("digit accuracy", (digit.empty() ? "not recorded in this file (fcnet evaluate ... --nondigits 1 prints it)"
                                                     : percentage(digit) + " (test_digit_accuracy)") +
                                          ", the most probable of the ten digits:");
        text += row("", "the digit predict, the app and the module report");
    } else {
        text += row("accuracy", percentage(accuracy) + " (test_accuracy)");
    }
    const std::string nll = entry(model, "test_nll"), ece = entry(model, "test_ece");
    if (!nll.empty()) text += row("NLL", nll + " (test_nll)");
    if (!ece.empty()) text += row("ECE", percentage(ece) + " (test_ece, " + std::to_string(kEceBins) + " bins)");
    return text;
}

bool summarised_key(const std::string& key) {
    for (const char* summarised : {"trained", "built", "ensemble", "test_data", "test_accuracy", "test_digit_accuracy",
                                   "test_nll", "test_ece"}) {
        if (key == summarised) return true;
    }
    return false;
}

}  // namespace fcnet::cli
