// The data options train and calibrate share: "not a digit" sources and pen strokes added to the MNIST-like parts.
#include "cli/training_data.h"

namespace fcnet::cli {

void add_training_data_options(CLI::App* command, TrainingData& data) {
    command->add_option("--nondigits", data.nondigits,
                        "Add this many generated non-digits as an extra class \"not a digit\" (train and validation)")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str();
    command->add_option("--nondigit-seed", data.nondigit_seed, "Seed of the generated non-digits")->capture_default_str();
    command->add_option("--nondigit-images", data.nondigit_images.path,
                        "Dataset whose training images join \"not a digit\" (e.g. Fashion-MNIST's folder)");
    command->add_option("--nondigit-image-count", data.nondigit_images.count,
                        "How many of --nondigit-images, drawn at random (with --nondigit-seed)")
        ->check(CLI::NonNegativeNumber)
        ->needs("--nondigit-images");
    command->add_option("--strokes", data.strokes.folder,
                        "Folder of real pen strokes (like ../shared/data/strokes): renderings of its train and "
                        "validation writers' digits join those parts (and its letters join \"not a digit\")");
    command->add_option("--stroke-renders", data.strokes.renders, "Renderings of each pen-stroke character")
        ->check(CLI::PositiveNumber)
        ->capture_default_str()
        ->needs("--strokes");
    command->add_option("--letter-renders", data.strokes.letter_renders, "Renderings of each pen-stroke letter (\"not a digit\")")
        ->check(CLI::PositiveNumber)
        ->capture_default_str()
        ->needs("--strokes");
    command->add_option("--doodles", data.strokes.doodles, "Hand-drawn doodles (house, heart, ...) added to \"not a digit\"")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str()
        ->needs("--strokes");
    command->add_option("--hand-digits", data.strokes.hand_digits,
                        "Generated hand-drawn digits (open 4, crossed 7, hooked 9, flagged 1, ...) added to the digits")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str()
        ->needs("--strokes");
    command->add_option("--hand-letters", data.strokes.hand_letters,
                        "Generated hand-drawn letters (not o l s z b g q and their capitals) added to \"not a digit\"")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str()
        ->needs("--strokes");
    command->add_option("--stroke-seed", data.strokes.seed, "Seed of the stroke renderings and doodles")
        ->capture_default_str()
        ->needs("--strokes");
}

std::string add_training_data(DataParts& parts, const TrainingData& data) {
    if (data.nondigit_class()) add_nondigit_class(parts, data.nondigits, data.nondigit_seed, data.nondigit_images);
    return add_stroke_parts(parts, data.strokes);
}

void record_training_data(const TrainingData& data, Model& model) {
    if (data.nondigit_class()) {
        model.metadata["nondigits"] = std::to_string(data.nondigits);
        model.metadata["nondigit_seed"] = std::to_string(data.nondigit_seed);
    }
    if (!data.strokes.folder.empty()) {
        model.metadata["strokes"] = std::to_string(data.strokes.renders) + " renderings a digit, " +
                                    std::to_string(data.strokes.letter_renders) + " a letter, " +
                                    std::to_string(data.strokes.doodles) + " doodles, " +
                                    std::to_string(data.strokes.hand_digits) + " generated digits, " +
                                    std::to_string(data.strokes.hand_letters) + " generated letters, seed " +
                                    std::to_string(data.strokes.seed);
    }
    if (data.nondigit_images.count > 0) {
        model.metadata["nondigit_images"] = std::to_string(data.nondigit_images.count) + " from " + data.nondigit_images.path;
    }
}

}  // namespace fcnet::cli
