// Formatting of results for the terminal and as JSON: evaluation tables, model summaries.
#include "cli/report.h"

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <sstream>

#include "cli/model_history.h"
#include "core/activation.h"
#include "io/model_file.h"

namespace fcnet::cli {

namespace {

std::string format(const char* pattern, ...) __attribute__((format(printf, 1, 2)));
std::string format(const char* pattern, ...) {
    char text[512];
    va_list args;
    va_start(args, pattern);
    std::vsnprintf(text, sizeof text, pattern, args);
    va_end(args);
    return text;
}

}  // namespace

std::string format_number(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.6g", value);
    return text;
}

std::string architecture_string(const Network& network) {
    std::string text;
    for (int size : network.layer_sizes()) text += (text.empty() ? "" : "-") + std::to_string(size);
    return text;
}

std::string evaluation_table(const Evaluation& e, const Model& model) {
    const int classes = static_cast<int>(e.per_class.size());
    int name_width = 12;
    for (int c = 0; c < classes; ++c) name_width = std::max<int>(name_width, model.class_name(c).size());

    std::ostringstream out;
    out << format("%*s %9s %9s %9s %9s\n", name_width, "class", "precision", "recall", "f1", "support");
    for (int c = 0; c < classes; ++c) {
        const ClassMetrics& m = e.per_class[c];
        out << format("%*s %9.4f %9.4f %9.4f %9d\n", name_width, model.class_name(c).c_str(), m.precision, m.recall,
                      m.f1, m.support);
    }
    out << '\n';
    out << format("%*s %9s %9s %9.4f %9d\n", name_width, "accuracy", "", "", e.accuracy, e.samples);
    for (const auto& [label, m] : {std::pair{"macro avg", e.macro_average}, {"weighted avg", e.weighted_average}}) {
        out << format("%*s %9.4f %9.4f %9.4f %9d\n", name_width, label, m.precision, m.recall, m.f1, m.support);
    }
    out << format("\naccuracy %.2f%%  NLL %.4f  ECE %.2f%% (%d bins, T = %.4f)\n", 100 * e.accuracy, e.nll,
                  100 * e.ece, kEceBins, model.network.temperature);

    int count_width = 4;
    for (const auto& row : e.confusion) {
        for (int v : row) count_width = std::max<int>(count_width, std::to_string(v).size() + 1);
    }
    out << "\nconfusion matrix (rows: true class, columns: predicted)\n";
    out << format("%*s", name_width, "");
    for (int c = 0; c < classes; ++c) out << format(" %*s", count_width, model.class_name(c).substr(0, count_width).c_str());
    out << '\n';
    for (int t = 0; t < classes; ++t) {
        out << format("%*s", name_width, model.class_name(t).c_str());
        for (int p = 0; p < classes; ++p) out << format(" %*d", count_width, e.confusion[t][p]);
        out << '\n';
    }
    return out.str();
}

nlohmann::json evaluation_json(const Evaluation& e, const Model& model) {
    auto averages = [](const ClassMetrics& m) {
        return nlohmann::json{{"precision", m.precision}, {"recall", m.recall}, {"f1", m.f1}, {"support", m.support}};
    };
    nlohmann::json per_class = nlohmann::json::array();
    for (std::size_t c = 0; c < e.per_class.size(); ++c) {
        nlohmann::json row = averages(e.per_class[c]);
        row["class"] = model.class_name(static_cast<int>(c));
        per_class.push_back(row);
    }
    return {{"samples", e.samples},
            {"accuracy", e.accuracy},
            {"nll", e.nll},
            {"ece", e.ece},
            {"ece_bins", kEceBins},
            {"temperature", model.network.temperature},
            {"per_class", per_class},
            {"macro_avg", averages(e.macro_average)},
            {"weighted_avg", averages(e.weighted_average)},
            {"confusion", e.confusion}};
}

std::string model_summary(const Model& model) {
    const Network& network = model.network;
    std::ostringstream out;
    out << "architecture   " << architecture_string(network) << '\n';
    out << "activations   ";
    for (const DenseLayer& layer : network.layers()) out << ' ' << activation_name(layer.activation);
    out << "  (last layer: logits into softmax)\n";
    out << "parameters     " << network.parameter_count() << '\n';
    out << "weights        " << weight_storage_name(model.weight_storage) << '\n';
    out << format("temperature    %.6g\n", network.temperature);
    out << format("normalisation  (x - %.6g) / %.6g\n", network.normalization.mean, network.normalization.stddev);
    out << "classes       ";
    for (int c = 0; c < network.classes(); ++c) out << ' ' << model.class_name(c);
    out << '\n';
    if (model.pen_path) {
        const PenPathNetwork& pen = *model.pen_path;
        out << "pen path       " << architecture_string(pen.network) << " network, " << pen.network.parameter_count()
            << format(" parameters, temperature %.6g; drawings given as strokes are read as\n", pen.network.temperature)
            << format("               softmax(%.3g z / T + %.3g z_path / T_path), accepted from %.6g\n", pen.pixel_weight,
                      1 - pen.pixel_weight, pen.reject_confidence);
    }
    out << origin_summary(model) << test_scores_summary(model);
    out << "metadata\n";
    for (const auto& [key, value] : model.metadata) {
        if (!summarised_key(key)) out << format("  %-18s %s\n", key.c_str(), value.c_str());
    }
    return out.str();
}

}  // namespace fcnet::cli
