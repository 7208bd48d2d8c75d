// `fcnet pen-path`: trains a network that reads the pen's path on real writers' strokes and adds it to a digit model.
#include <cstdio>
#include <vector>
#include <string>

#include "cli/commands.h"
#include "cli/report.h"
#include "core/error.h"
#include "data/pen_path_training.h"
#include "io/model_file.h"
#include "preprocess/digit_prediction.h"
#include "preprocess/trajectory.h"

namespace fcnet::cli {

namespace {

// Seed of the validation writers' drawings the stroke threshold is set on (none trains on them).
constexpr std::uint64_t kThresholdSeed = 7'160'000'022;

struct PenPathOptions {
    std::string model_path, strokes, out_path;
    float pixel_weight = 0.6f;
    PenPathTraining training;
    std::vector<int> hidden{training.hidden[0], training.hidden[1]};  // the library's defaults, as CLI11 reads them
};

void run_pen_path(PenPathOptions& options) {
    Model model = load_model(options.model_path);
    check_digit_model(model);
    if (!has_rejection_class(model)) {
        throw Error(options.model_path + ": the pen-path network needs a model with the class \"" + kNotADigitClass + "\"");
    }
    const StrokeCollection collection = read_stroke_folder(options.strokes);
    options.training.hidden[0] = options.hidden[0], options.training.hidden[1] = options.hidden[1];
    options.training.on_epoch = [](const EpochReport& r) {
        std::printf("epoch %2d  loss %.4f  validation loss %.4f  accuracy %.2f%%  %.1f s%s\n", r.epoch, r.train_loss,
                    r.validation_loss, 100 * r.validation_accuracy, r.seconds, r.improved ? "  (best)" : "");
        std::fflush(stdout);
    };
    PenPathNetwork pen;
    pen.network = train_pen_path(collection, options.training);
    pen.pixel_weight = options.pixel_weight;
    model.pen_path = pen;
    store_weights_as(model, model.weight_storage);  // set the threshold on what will be saved
    model.pen_path->reject_confidence = pen_path_threshold(model, collection, kThresholdSeed);
    const Network& saved = model.pen_path->network;
    std::printf("pen-path network %s, %lld parameters, temperature %.4g; strokes read as softmax(%.3g z / T + "
                        "%.3g z_path / T_path), accepted from %.4f (99%% of the validation writers' digits)\n",
                architecture_string(saved).c_str(), static_cast<long long>(saved.parameter_count()), saved.temperature,
                options.pixel_weight, 1 - options.pixel_weight, model.pen_path->reject_confidence);
    const std::string out = options.out_path.empty() ? options.model_path : options.out_path;
    save_model(out, model);
    std::printf("saved %s\n", out.c_str());
}

}  // namespace

void add_pen_path_command(CLI::App& app) {
    auto* command = app.add_subcommand(
        "pen-path", "Train a network that reads the pen's path (docs/strokes.md) on real writers' strokes and add it to a "
                    "digit model: drawings given as strokes are then read by both");
    auto options = std::make_shared<PenPathOptions>();
    PenPathTraining& t = options->training;
    command->add_option("--model,-m", options->model_path, "Digit model with a \"not a digit\" class (.fcnet)")->required();
    command->add_option("--strokes", options->strokes, "Folder of real pen strokes (like ../shared/data/strokes)")->required();
    command->add_option("--out,-o", options->out_path, "Where to save the model (default: over --model)");
    command->add_option("--pixel-weight", options->pixel_weight, "w in softmax(w z / T + (1 - w) z_path / T_path)")
        ->capture_default_str()
        ->check(CLI::Range(0.01f, 1.0f));
    command->add_option("--hidden", options->hidden, "The two hidden layers' sizes (128 64, or 128,64)")
        ->capture_default_str()
        ->delimiter(',')
        ->expected(2)
        ->check(CLI::PositiveNumber);
    command->add_option("--epochs", t.epochs, "Epochs")->capture_default_str()->check(CLI::PositiveNumber);
    command->add_option("--renders", t.renders, "Drawings of each training writer's digit")->capture_default_str()->check(CLI::PositiveNumber);
    command->add_option("--letter-renders", t.letter_renders, "Drawings of each training writer's letter")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    command->add_option("--generated", t.generated, "Generated doodles, letters and digits, of each")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber);
    command->add_option("--reverse", t.reverse, "Probability of running each stroke backwards, and, again, of reversing a drawing's stroke order")
        ->capture_default_str()
        ->check(CLI::Range(0.0f, 1.0f));
    command->add_option("--seed", t.seed, "Seed of the weights, shuffling and drawings")->capture_default_str();
    command->callback([options] { run_pen_path(*options); });
}

}  // namespace fcnet::cli
