// Training a pen-path network declared in pen_path_training.h: real writers' strokes and generated ones, drawn like people draw.
#include "data/pen_path_training.h"

#include <algorithm>
#include <random>

#include "core/calibration.h"
#include "core/error.h"
#include "core/loss.h"
#include "data/doodles.h"
#include "data/hand_digits.h"
#include "data/hand_letters.h"
#include "data/stroke_render.h"
#include "data/stroke_split.h"
#include "preprocess/digit_prediction.h"
#include "preprocess/stroke_drawing.h"
#include "preprocess/stroke_reading.h"
#include "preprocess/trajectory.h"

namespace fcnet {

namespace {

constexpr int kNotADigit = kDigitClasses;         // class 10
constexpr int kValidationCopies = 4;              // drawings of each validation writer's character
constexpr std::uint64_t kValidationSeed = 12;     // of those drawings while training
constexpr float kKeptDigits = 0.99f;              // of the validation writers' digits, above the threshold

}  // namespace

void draw_pen_paths(const std::vector<PenPathCharacter>& characters, int copies, std::uint64_t seed, float reverse,
                    Matrix& paths, Matrix* images, std::vector<int>& labels) {
    const Eigen::Index rows = static_cast<Eigen::Index>(characters.size()) * copies;
    paths.resize(rows, kTrajectoryFeatures);  // rows x 246
    if (images != nullptr) images->resize(rows, kDigitPixels);  // rows x 784
    labels.resize(static_cast<std::size_t>(rows));
    std::vector<std::uint64_t> seeds(static_cast<std::size_t>(rows));
    std::mt19937_64 seeder(seed);
    for (std::uint64_t& s : seeds) s = seeder();
#pragma omp parallel for schedule(dynamic, 64)
    for (Eigen::Index r = 0; r < rows; ++r) {
        const PenPathCharacter& c = characters[static_cast<std::size_t>(r / copies)];
        std::mt19937_64 rng(seeds[static_cast<std::size_t>(r)]);
        const StrokeRendering rendering = random_rendering(rng);
        std::vector<Polyline> placed = place_strokes(*c.strokes, rendering, rng);
        std::bernoulli_distribution backwards(reverse);
        for (Polyline& line : placed) {
            if (backwards(rng)) std::reverse(line.begin(), line.end());
        }
        if (backwards(rng)) std::reverse(placed.begin(), placed.end());
        const Trajectory path = trajectory_features(placed);
        std::copy(path.begin(), path.end(), paths.row(r).data());
        if (images != nullptr) {
            const DigitImage image = preprocess_strokes(placed, pen_width_of(placed, rendering));
            std::copy(image.pixels.begin(), image.pixels.end(), images->row(r).data());
        }
        labels[static_cast<std::size_t>(r)] = c.label;
    }
}

std::vector<PenPathCharacter> pen_path_characters(const StrokeCollection& collection, StrokePart part) {
    std::vector<PenPathCharacter> characters;
    for (const HandwrittenCharacter& c : collection.characters) {
        if (stroke_part_of(c) != part) continue;
        if (c.is_digit()) characters.push_back({&c.strokes, c.label[0] - '0'});
        else if (is_nondigit_letter(c)) characters.push_back({&c.strokes, kNotADigit});
    }
    return characters;
}

Network train_pen_path(const StrokeCollection& collection, const PenPathTraining& options) {
    if (options.renders < 1 || options.letter_renders < 1 || options.generated < 0 || options.epochs < 1 ||
        options.hidden[0] < 1 || options.hidden[1] < 1 || !(options.reverse >= 0.0f && options.reverse <= 1.0f)) {
        throw Error("train_pen_path: renders, letter renders, epochs and hidden sizes must be positive, generated "
                    "not negative, reverse in [0, 1]");
    }
    // The training writers' characters; a letter counts letter_renders / renders times.
    std::vector<PenPathCharacter> training;
    for (const PenPathCharacter& c : pen_path_characters(collection, StrokePart::train)) {
        const int copies = c.label == kNotADigit ? std::max(1, options.letter_renders / options.renders) : 1;
        for (int k = 0; k < copies; ++k) training.push_back(c);
    }
    std::vector<std::vector<Polyline>> generated;  // doodles, letters and digits in turn
    generated.reserve(3 * static_cast<std::size_t>(options.generated));
    std::mt19937_64 rng(options.seed);
    const std::string& letters = hand_letters();
    for (int i = 0; i < options.generated; ++i) {
        generated.push_back(draw_doodle(rng, static_cast<DoodleKind>(i % kDoodleKinds)));
        generated.push_back(draw_hand_letter(rng, letters[static_cast<std::size_t>(i) % letters.size()]));
        generated.push_back(draw_hand_digit(rng, i % kDigitClasses));
    }
    for (int i = 0; i < options.generated; ++i) {
        training.push_back({&generated[3 * static_cast<std::size_t>(i)], kNotADigit});
        training.push_back({&generated[3 * static_cast<std::size_t>(i) + 1], kNotADigit});
        training.push_back({&generated[3 * static_cast<std::size_t>(i) + 2], i % kDigitClasses});
    }
    const std::vector<PenPathCharacter> validation = pen_path_characters(collection, StrokePart::validation);
    if (training.empty() || validation.empty()) {
        throw Error("train_pen_path: the stroke data has no training or no validation writers");
    }

    Dataset train_data, validation_data;  // path features: rows x 246
    draw_pen_paths(training, options.renders, options.seed + 1, options.reverse, train_data.features, nullptr,
                   train_data.labels);
    draw_pen_paths(validation, kValidationCopies, kValidationSeed, 0.0f, validation_data.features, nullptr,
                   validation_data.labels);
    train_data.classes = validation_data.classes = kNotADigit + 1;

    Network network({kTrajectoryFeatures, options.hidden[0], options.hidden[1], kNotADigit + 1}, Activation::relu,
                    options.seed, Initialization::he);
    network.normalization = {0.0f, 0.5f};  // the features lie in [-1, 1]
    TrainConfig config;
    config.epochs = options.epochs;
    config.seed = options.seed;
    config.optimizer.kind = OptimizerKind::adam;
    config.schedule.base_rate = 1e-3f;
    TrainCallbacks callbacks;
    callbacks.on_epoch = options.on_epoch;
    train(network, train_data, validation_data, config, callbacks);
    network.temperature = fit_temperature(network.logits(validation_data.features), validation_data.labels).temperature;
    return network;
}

float pen_path_threshold(const Model& model, const StrokeCollection& collection, std::uint64_t seed) {
    std::vector<PenPathCharacter> digits;
    for (const PenPathCharacter& c : pen_path_characters(collection, StrokePart::validation)) {
        if (c.label != kNotADigit) digits.push_back(c);
    }
    if (digits.empty()) throw Error("pen_path_threshold: the stroke data has no validation writers' digits");
    Matrix paths, images;
    std::vector<int> labels;
    draw_pen_paths(digits, kValidationCopies, seed, 0.0f, paths, &images, labels);
    Matrix probabilities = stroke_logits(model, images, paths);  // rows x classes
    softmax_rows(probabilities);
    std::vector<float> scores(static_cast<std::size_t>(probabilities.rows()));
    for (Eigen::Index r = 0; r < probabilities.rows(); ++r) {
        scores[static_cast<std::size_t>(r)] = digit_score(model, probabilities.row(r).data(), kDigitClasses);
    }
    const auto kept = scores.begin() + static_cast<std::ptrdiff_t>((1.0f - kKeptDigits) * static_cast<float>(scores.size()));
    std::nth_element(scores.begin(), kept, scores.end());
    return *kept;
}

}  // namespace fcnet
