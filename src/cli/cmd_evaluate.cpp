// `fcnet evaluate`: the classification report of a model on a dataset (and how it rejects non-digits), as a table or JSON.
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <map>
#include <sstream>

#include "cli/commands.h"
#include "cli/data_parts.h"
#include "cli/rejection_report.h"
#include "cli/report.h"
#include "cli/stroke_report.h"
#include "core/error.h"
#include "core/metrics.h"
#include "io/file_system.h"
#include "io/model_file.h"

namespace fcnet::cli {

namespace {

struct EvaluateOptions {
    std::string model_path, data_path, part = "test";
    std::string probabilities_path;  // "": not written
    bool json = false;
    int nondigits = -1;  // -1: no "Not a digit" section
    std::string strokes; // a pen-stroke folder: the "Real pen strokes" section
    ScoreRule score = ScoreRule::probability;  // of the "Not a digit" section
};

// One line per sample, its class probabilities separated by commas ("%.9g": the floats round-trip).
void write_probabilities(const std::string& path, const Matrix& probabilities) {
    std::ostringstream csv;
    char number[32];
    for (Eigen::Index r = 0; r < probabilities.rows(); ++r) {
        for (Eigen::Index c = 0; c < probabilities.cols(); ++c) {
            std::snprintf(number, sizeof number, "%.9g", static_cast<double>(probabilities(r, c)));
            csv << (c ? "," : "") << number;
        }
        csv << '\n';
    }
    const std::string text = csv.str();
    write_file_atomically(path, reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
}

void run_evaluate(const EvaluateOptions& options) {
    const Model model = load_model(options.model_path);
    const Dataset data = select_part(load_parts(options.data_path, part_sizes_from(model)), options.part);
    if (data.size() == 0) throw Error("the " + options.part + " part of " + options.data_path + " is empty");
    if (data.feature_count() != model.network.inputs()) {
        throw Error(options.data_path + " has " + std::to_string(data.feature_count()) + " features but " +
                    options.model_path + " takes " + std::to_string(model.network.inputs()));
    }
    if (data.classes > model.network.classes()) {
        throw Error(options.data_path + " has labels up to " + std::to_string(data.classes - 1) + " but " +
                    options.model_path + " has " + std::to_string(model.network.classes()) + " classes");
    }
    if (!options.probabilities_path.empty()) write_probabilities(options.probabilities_path, model.network.predict(data.features));
    const Evaluation evaluation = evaluate(model.network.logits(data.features), data.labels, model.network.temperature);
    // Held-out non-digits and writers: validation ones with the validation digits, to choose on.
    const HeldOutPart held_out = options.part == "validation" ? HeldOutPart::validation : HeldOutPart::test;
    StrokeReport strokes;
    if (!options.strokes.empty()) strokes = stroke_report(model, options.strokes, held_out, options.score);
    const bool rejection_section = options.nondigits >= 0 || !options.strokes.empty();
    RejectionReport rejection;
    if (rejection_section) {
        try {
            rejection =
                rejection_report(model, data, std::max(options.nondigits, 0), strokes.nondigits, options.score, held_out);
        } catch (const Error& error) {
            throw Error(options.model_path + ": --nondigits: " + error.what());
        }
        keep_at(strokes, rejection.threshold);
    }
    if (options.json) {
        nlohmann::json report = evaluation_json(evaluation, model);
        report["model"] = options.model_path;
        report["data"] = data.name;
        if (!options.strokes.empty()) report["strokes"] = stroke_json(strokes);
        if (rejection_section) report["not_a_digit"] = rejection_json(rejection);
        std::cout << report.dump() << '\n';
    } else {
        std::cout << "model " << options.model_path << " on " << data.name << " (" << data.size() << " samples)\n\n";
        std::cout << evaluation_table(evaluation, model);
        if (!options.strokes.empty()) std::cout << stroke_table(strokes);
        if (rejection_section) std::cout << rejection_table(rejection);
    }
}

}  // namespace

void add_evaluate_command(CLI::App& app) {
    auto* command = app.add_subcommand("evaluate", "Report accuracy, per-class metrics, NLL, ECE and confusion matrix");
    auto options = std::make_shared<EvaluateOptions>();
    command->add_option("--model,-m", options->model_path, "Model file (.fcnet)")->required();
    command->add_option("--data,-d", options->data_path, "IDX directory or CSV file")->required();
    command->add_option("--part", options->part,
                        "Which part: test (the data's own test files, or the split the model was trained with), "
                        "validation, train or all")
        ->capture_default_str()
        ->check(CLI::IsMember({"test", "validation", "train", "all"}));
    command->add_flag("--json", options->json, "Print one JSON object instead of the table");
    command->add_option("--probabilities", options->probabilities_path,
                        "Also write every sample's class probabilities to this CSV file (one line per sample)");
    command->add_option("--nondigits", options->nondigits,
                        "Add a \"Not a digit\" section (digit models): how many generated non-digits to score "
                        "(10000 for the model card; 0 = only Fashion-MNIST) against the digits of --part, with "
                        "Fashion-MNIST test images from $FCNET_FASHION_MNIST_DIR (default /usr/share/datasets/fashion-mnist); "
                        "with --part validation, non-digits of another seed and 10,000 Fashion-MNIST training images "
                        "the model's training did not draw")
        ->check(CLI::NonNegativeNumber);
    command->add_option("--strokes", options->strokes,
                        "Add a \"Real pen strokes\" section (digit models): the held-out writers of this folder "
                        "(like ../shared/data/strokes) drawn on 280x280 and 1000x600 canvases with a stylus and a "
                        "finger, and held-out doodles and letters in the \"Not a digit\" section; with --part "
                        "validation, the validation writers and doodles of other seeds instead");
    command->add_option("--score", options->score,
                        "How the \"Not a digit\" section scores a sample, its threshold keeping 99% of the digits: "
                        "probability (the largest digit probability: the app's rule), logit-margin (the largest digit "
                        "logit minus the \"not a digit\" one), energy (logsumexp of the digit logits minus it), "
                        "margin (the two largest digit probabilities' difference times the largest)")
        ->transform(CLI::CheckedTransformer(std::map<std::string, ScoreRule>{{"probability", ScoreRule::probability},
                                                                             {"logit-margin", ScoreRule::logit_margin},
                                                                             {"energy", ScoreRule::energy},
                                                                             {"margin", ScoreRule::margin}}))
        ->capture_default_str();
    command->callback([options] { run_evaluate(*options); });
}

}  // namespace fcnet::cli
