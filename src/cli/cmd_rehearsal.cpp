// `fcnet rehearsal`: draws the small sample of a model's training data that fine-tuning rehearses on.
#include <iostream>

#include "cli/commands.h"
#include "cli/data_parts.h"
#include "cli/nondigit_class.h"
#include "cli/stroke_parts.h"
#include "core/finetune.h"
#include "data/generated_rehearsal.h"
#include "io/model_file.h"
#include "io/rehearsal_file.h"
#include "preprocess/digit_prediction.h"

namespace fcnet::cli {

namespace {

struct RehearsalOptions {
    std::string model_path, data_path, strokes_path, out_path;
    int per_class = 60;
    std::uint64_t seed = 11;
};

void run_rehearsal(const RehearsalOptions& options) {
    const Model model = load_model(options.model_path);
    check_digit_model(model);
    DataParts parts = load_parts(options.data_path, part_sizes_from(model));
    if (has_rejection_class(model)) add_nondigit_class(parts, 4 * options.per_class, options.seed);
    StrokeTraining strokes;
    strokes.folder = options.strokes_path;
    strokes.renders = 1;
    strokes.letter_renders = 1;
    strokes.seed = options.seed;
    const std::string summary = add_stroke_parts(parts, strokes);
    if (!summary.empty()) std::cout << summary << '\n';
    Dataset sample = choose_rehearsal_sample(parts.train, options.per_class, options.seed);
    sample.name = options.out_path;
    // For a pen-path network, the pen paths of the generated sample (the app's): corrections given
    // strokes then teach that network too (docs/finetune.md).
    const PathRehearsal paths = model.pen_path ? make_generated_path_rehearsal(options.per_class, model.network.classes(),
                                                                               options.seed)
                                               : PathRehearsal{};
    save_rehearsal(options.out_path, sample, paths);
    std::cout << "saved " << sample.size() << " samples (" << options.per_class << " per class of the training part)";
    if (!paths.labels.empty()) std::cout << " and " << paths.labels.size() << " generated pen paths";
    std::cout << " to " << options.out_path << '\n';
}

}  // namespace

void add_rehearsal_command(CLI::App& app) {
    auto* command = app.add_subcommand(
        "rehearsal", "Draw the small sample of training data that `fcnet finetune` and the app rehearse on");
    auto options = std::make_shared<RehearsalOptions>();
    command->add_option("--model,-m", options->model_path, "The digit model it is for (.fcnet): its split and classes")
        ->required();
    command->add_option("--data,-d", options->data_path, "The model's training data (IDX directory or CSV)")->required();
    command->add_option("--strokes", options->strokes_path,
                        "Pen strokes folder (like ../shared/data/strokes): renders of train writers join the pool");
    command->add_option("--per-class", options->per_class, "Samples of each class")->capture_default_str();
    command->add_option("--seed", options->seed, "Seed of the draw, the non-digits and the renders")
        ->capture_default_str();
    command->add_option("--out,-o", options->out_path, "Where to save the rehearsal sample")->required();
    command->callback([options] { run_rehearsal(*options); });
}

}  // namespace fcnet::cli
