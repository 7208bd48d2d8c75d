// `fcnet finetune`: teaches a digit model one person's drawings, as the app's corrections do.
#include <algorithm>
#include <filesystem>
#include <iostream>

#include "cli/commands.h"
#include "core/error.h"
#include "core/finetune.h"
#include "data/generated_rehearsal.h"
#include "io/model_file.h"
#include "io/rehearsal_file.h"
#include "preprocess/digit_prediction.h"
#include "preprocess/image_decode.h"

namespace fcnet::cli {

namespace {

namespace fs = std::filesystem;

// The folder name that holds drawings of the "not a digit" class.
constexpr const char* kNotADigitFolder = "not-a-digit";

struct FinetuneCommandOptions {
    std::string model_path, data_path, rehearsal_path, out_path;
    bool all = false;
    std::uint64_t seed = 1;
};

struct LabelledDrawing {
    fs::path path;
    int label = 0;
};

// The drawings of `folder`: files in subfolders named 0 to 9 (and not-a-digit for a model with
// that class), in order of file name (then folder), as a person drew them.
std::vector<LabelledDrawing> drawings_in(const std::string& folder, const Model& model) {
    if (!fs::is_directory(folder)) {
        throw Error(folder + ": not a folder; expected one with subfolders 0 to 9 (and " + kNotADigitFolder +
                    ") of image files");
    }
    std::vector<LabelledDrawing> drawings;
    for (int label = 0; label <= kDigitClasses; ++label) {
        const fs::path sub = fs::path(folder) / (label < kDigitClasses ? std::to_string(label) : kNotADigitFolder);
        if (!fs::is_directory(sub)) continue;
        if (label == kDigitClasses && !has_rejection_class(model)) {
            throw Error(sub.string() + ": the model has no \"" + kNotADigitClass + "\" class to learn these as");
        }
        for (const auto& entry : fs::directory_iterator(sub)) {
            if (entry.is_regular_file()) drawings.push_back({entry.path(), label});
        }
    }
    if (drawings.empty()) throw Error(folder + ": no image files in subfolders 0 to 9 or " + kNotADigitFolder);
    std::sort(drawings.begin(), drawings.end(), [](const LabelledDrawing& a, const LabelledDrawing& b) {
        return a.path.filename() != b.path.filename() ? a.path.filename() < b.path.filename() : a.path < b.path;
    });
    return drawings;
}

void run_finetune(const FinetuneCommandOptions& options) {
    Model model = load_model(options.model_path);
    check_digit_model(model);
    Finetuner finetuner(options.rehearsal_path.empty()
                            ? make_generated_rehearsal(kGeneratedRehearsalPerClass, model.network.classes(),
                                                       kGeneratedRehearsalSeed)
                            : load_rehearsal(options.rehearsal_path).images);  // drawings as images: no paths
    const std::vector<LabelledDrawing> drawings = drawings_in(options.data_path, model);
    const int before = corrections(model);
    int misread = 0;
    for (std::size_t i = 0; i < drawings.size(); ++i) {
        const DigitImage image = preprocess_drawing(decode_image_file(drawings[i].path.string()).view());
        if (image.empty) throw Error(drawings[i].path.string() + ": nothing drawn (no ink found)");
        const DigitPrediction reading = classify_digit_image(model, image);
        const int label = drawings[i].label;
        const bool right = label == kDigitClasses ? !reading.is_digit : reading.is_digit && reading.digit == label;
        misread += !right;
        if (right && !options.all) continue;
        const FinetuneResult learned = finetuner.learn(model, image.pixels.data(), label, options.seed + i);
        std::cout << drawings[i].path.string() << ": read " << (reading.is_digit ? std::to_string(reading.digit) : "not a digit")
                  << ", learned as " << model.class_name(label);
        if (!learned.read_as_label) std::cout << " (but not read so yet after " << learned.steps << " steps)";
        std::cout << '\n';
    }
    save_model(options.out_path, model);
    const int total = corrections(model);
    std::cout << drawings.size() << (drawings.size() == 1 ? " drawing, " : " drawings, ") << misread << " misread; "
              << total - before << " learned (" << total << (total == 1 ? " correction" : " corrections")
              << " in all); saved " << options.out_path << '\n';
}

}  // namespace

void add_finetune_command(CLI::App& app) {
    auto* command = app.add_subcommand(
        "finetune", "Teach a digit model one person's drawings: each misread one is learned, in order, as in the app "
        "(images teach the image network; the app's strokes also teach the pen-path network)");
    auto options = std::make_shared<FinetuneCommandOptions>();
    command->add_option("--model,-m", options->model_path, "Digit model (.fcnet)")->required();
    command->add_option("--data,-d", options->data_path,
                        "Folder with subfolders 0 to 9 (and not-a-digit) of drawings (PNG, JPEG, BMP, ...)")
        ->required();
    command->add_option("--rehearsal,-r", options->rehearsal_path,
                        "Rehearsal sample of the model's training data (made by `fcnet rehearsal`); default: the "
                        "sample fcnet generates (designed digits, non-digits and doodles), as the app does");
    command->add_option("--out,-o", options->out_path, "Where to save the fine-tuned model")->required();
    command->add_flag("--all", options->all, "Learn every drawing, not only those the model misreads");
    command->add_option("--seed", options->seed, "Seed of the distorted copies")->capture_default_str();
    command->callback([options] { run_finetune(*options); });
}

}  // namespace fcnet::cli
