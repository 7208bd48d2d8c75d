// `fcnet ensemble A B ... --out C`: one model whose output is the mean of several models' (core/ensemble.h).
#include <algorithm>
#include <iostream>
#include <iterator>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/model_history.h"
#include "cli/report.h"
#include "core/ensemble.h"
#include "io/model_file.h"

namespace fcnet::cli {

namespace {

struct EnsembleOptions {
    std::vector<std::string> model_paths;
    std::string out_path, weights;  // weights: "" keeps the first model's storage
};

// Metadata that describes one trained network's figures and dates, not the ensemble's.
constexpr const char* kMemberOnlyKeys[] = {"reject_confidence", "test_data", "test_accuracy", "test_digit_accuracy",
                                           "test_nll", "test_ece", "best_epoch", "training_seconds", "train_seed",
                                           "trained", "built", "corrections", "calibrated_on"};

// One member as the ensemble's metadata lists it: "784-640-256-11, trained 2026-12-04, train_seed 1".
std::string member_entry(const Model& member) {
    std::string text = architecture_string(member.network);
    for (const char* key : {"trained", "built", "train_seed"}) {
        const auto found = member.metadata.find(key);
        if (found != member.metadata.end()) text += std::string(", ") + key + ' ' + found->second;
    }
    return text;
}

void run_ensemble(const EnsembleOptions& options) {
    std::vector<Model> members;
    for (const std::string& path : options.model_paths) members.push_back(load_model(path));
    std::vector<const Network*> networks;
    for (const Model& member : members) networks.push_back(&member.network);
    const auto split_seed = [](const Model& model) {
        const auto found = model.metadata.find("seed");
        return found == model.metadata.end() ? std::string() : found->second;
    };
    for (std::size_t k = 1; k < members.size(); ++k) {
        if (split_seed(members[k]) != split_seed(members[0])) {
            std::cerr << "note: " << options.model_paths[k] << " was split with another seed than "
                      << options.model_paths[0] << ", so the ensemble's validation part (the first's) holds some of "
                      << "its training samples (fcnet train --split-seed keeps one split)\n";
        }
    }

    Model ensemble = members.front();  // class names, the split and the data the members were trained on
    ensemble.network = ensemble_network(networks);
    // A member's pen-path network was mixed with that member alone, at its threshold: none carries over.
    const bool had_pen_path = std::any_of(members.begin(), members.end(), [](const Model& m) { return m.pen_path.has_value(); });
    ensemble.pen_path.reset();
    for (const char* key : kMemberOnlyKeys) ensemble.metadata.erase(key);
    for (auto entry = ensemble.metadata.begin(); entry != ensemble.metadata.end();) {  // a member ensemble's members
        entry = entry->first.rfind("member_", 0) == 0 ? ensemble.metadata.erase(entry) : std::next(entry);
    }
    std::string listed;
    for (const std::string& path : options.model_paths) listed += (listed.empty() ? "" : ", ") + path;
    ensemble.metadata["ensemble"] = std::to_string(members.size()) + " models: " + listed;
    ensemble.metadata["built"] = today();
    for (std::size_t k = 0; k < members.size(); ++k) {
        ensemble.metadata["member_" + std::to_string(k + 1)] = member_entry(members[k]);
    }
    if (!options.weights.empty()) ensemble.weight_storage = weight_storage_named(options.weights, "--weights");
    store_weights_as(ensemble, ensemble.weight_storage);
    save_model(options.out_path, ensemble);
    std::cout << "saved " << options.out_path << ": the mean of " << members.size() << " models' logits, "
              << ensemble.network.parameter_count() << " parameters, " << weight_storage_name(ensemble.weight_storage)
              << " weights, temperature 1 and no rejection threshold yet: fit both with\n  fcnet calibrate --model "
              << options.out_path << " --data DIR [the training command's data options]\n";
    if (had_pen_path) {
        std::cout << "note: the members' pen-path networks are left out; add one to the ensemble with\n  fcnet pen-path "
                     "--model "
                  << options.out_path << " --strokes DIR (after calibrate)\n";
    }
}

}  // namespace

void add_ensemble_command(CLI::App& app) {
    auto* command = app.add_subcommand(
        "ensemble", "Combine models of the same inputs, classes and depth into one whose logits are the mean of theirs");
    auto options = std::make_shared<EnsembleOptions>();
    command->add_option("models", options->model_paths, "Two or more .fcnet models")->required()->expected(2, -1);
    command->add_option("--out,-o", options->out_path, "Model file to write")->required();
    command->add_option("--weights", options->weights, "Store the weights as float32, float16 or int8 (default: as the first model)")
        ->check(CLI::IsMember({"float32", "float16", "int8"}));
    command->callback([options] { run_ensemble(*options); });
}

}  // namespace fcnet::cli
