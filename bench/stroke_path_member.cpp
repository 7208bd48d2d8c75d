// Measures a network that reads the pen's path (preprocess/trajectory.h) beside the shipped pixel model, on held-out writers' strokes.
//
// Usage: fcnet_stroke_path_member <strokes-folder> <model.fcnet> [--epochs N] [--seed N] [--renders N]
//                                 [--letter-renders N] [--generated N] [--reverse P] [--hidden A,B] [--threads N]
//
// Trains a 246-A-B-11 network (256-128 unless --hidden) on the path features of the training writers' digits and
// letters (stroke_split.h), generated doodles, letters and digits, each drawn `renders` times
// like training draws them (random_rendering, jitter, resampling), with each stroke run
// backwards, and the stroke order reversed, with probability `reverse`; validation writers pick
// the best epoch and its temperature. Then reads the validation and test writers' digits and
// letters and held-out doodles once more, as the app sees them (strokes), with the pixel model
// (preprocess_strokes), the path network, and both: softmax(w z_pixels / T + (1 - w) z_path / T').
// For each w, the threshold is the largest digit probability that keeps 99% of the validation
// writers' digits, and the table gives the test writers' digits read right and kept, letters
// and each doodle kind rejected. Deterministic for a seed and thread count.
#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/calibration.h"
#include "core/trainer.h"
#include "data/doodles.h"
#include "data/hand_digits.h"
#include "data/hand_letters.h"
#include "data/stroke_render.h"
#include "data/stroke_split.h"
#include "data/strokes.h"
#include "io/model_file.h"
#include "preprocess/stroke_drawing.h"
#include "preprocess/trajectory.h"

using namespace fcnet;

namespace {

constexpr int kNotADigit = 10;
constexpr int kDoodlesPerKind = 200;
constexpr std::uint64_t kTestSeed = 7'160'000'002, kValidationSeed = 7'160'000'012;  // as `fcnet evaluate --strokes`

struct Options {
    std::string strokes, model;
    int epochs = 15, seed = 1, renders = 6, letter_renders = 36, generated = 20000, threads = 2;
    float reverse = 0.2f;
    int hidden[2] = {256, 128};
};

Options parse(int argc, char** argv) {
    Options o;
    std::vector<std::string> positional;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) throw std::invalid_argument(arg + " needs a value");
            return argv[++i];
        };
        if (arg == "--epochs") o.epochs = std::stoi(value());
        else if (arg == "--seed") o.seed = std::stoi(value());
        else if (arg == "--renders") o.renders = std::stoi(value());
        else if (arg == "--letter-renders") o.letter_renders = std::stoi(value());
        else if (arg == "--generated") o.generated = std::stoi(value());
        else if (arg == "--reverse") o.reverse = std::stof(value());
        else if (arg == "--threads") o.threads = std::stoi(value());
        else if (arg == "--hidden") {
            const std::string sizes = value();
            const std::size_t comma = sizes.find(',');
            if (comma == std::string::npos) throw std::invalid_argument("--hidden needs two sizes, such as 128,64");
            o.hidden[0] = std::stoi(sizes.substr(0, comma)), o.hidden[1] = std::stoi(sizes.substr(comma + 1));
        }
        else if (!arg.empty() && arg[0] != '-') positional.push_back(arg);
        else throw std::invalid_argument("unknown argument '" + arg + "'");
    }
    if (positional.size() != 2) {
        throw std::invalid_argument("usage: fcnet_stroke_path_member <strokes-folder> <model.fcnet> [--epochs N] [--seed N] "
                                    "[--renders N] [--letter-renders N] [--generated N] [--reverse P] [--hidden A,B] [--threads N]");
    }
    o.strokes = positional[0], o.model = positional[1];
    return o;
}

struct Character {
    const std::vector<Polyline>* strokes;
    int label;  // 0-9, or kNotADigit
};

// Each character drawn `copies` times: path features (rows x 246) and, when `pixels` is given,
// the app's 28x28 image of the same drawing (rows x 784). Drawing i's randomness comes from the
// i-th number of `seed`'s generator, so the result does not depend on the thread count.
void draw(const std::vector<Character>& characters, int copies, std::uint64_t seed, float reverse, Matrix& paths,
          Matrix* pixels, std::vector<int>& labels) {
    const Eigen::Index rows = static_cast<Eigen::Index>(characters.size()) * copies;
    paths.resize(rows, kTrajectoryFeatures);
    if (pixels != nullptr) pixels->resize(rows, kDigitPixels);
    labels.resize(rows);
    std::vector<std::uint64_t> seeds(rows);
    std::mt19937_64 seeder(seed);
    for (std::uint64_t& s : seeds) s = seeder();
#pragma omp parallel for schedule(dynamic, 64)
    for (Eigen::Index i = 0; i < rows; ++i) {
        const Character& c = characters[i / copies];
        std::mt19937_64 rng(seeds[i]);
        const StrokeRendering rendering = random_rendering(rng);
        std::vector<Polyline> placed = place_strokes(*c.strokes, rendering, rng);
        std::bernoulli_distribution backwards(reverse);
        for (Polyline& line : placed) {
            if (backwards(rng)) std::reverse(line.begin(), line.end());
        }
        if (backwards(rng)) std::reverse(placed.begin(), placed.end());
        const Trajectory path = trajectory_features(placed);
        std::copy(path.begin(), path.end(), paths.row(i).data());
        if (pixels != nullptr) {
            const DigitImage image = preprocess_strokes(placed, pen_width_of(placed, rendering));
            std::copy(image.pixels.begin(), image.pixels.end(), pixels->row(i).data());
        }
        labels[i] = c.label;
    }
}

// One held-out set read by both networks: their calibrated logits (rows x 11) and the labels.
struct Readings {
    Matrix pixel_logits, path_logits;
    std::vector<int> labels;
};

Readings read(const std::vector<Character>& characters, int copies, std::uint64_t seed, const Model& model,
              const Network& path_network) {
    Readings r;
    Matrix paths, pixels;
    draw(characters, copies, seed, 0.0f, paths, &pixels, r.labels);
    r.pixel_logits = model.network.logits(pixels) / model.network.temperature;
    r.path_logits = path_network.logits(paths) / path_network.temperature;
    return r;
}

// For each row of softmax(w a + (1 - w) b): the largest of the ten digit probabilities and its digit.
void digit_scores(const Readings& r, float w, std::vector<float>& confidence, std::vector<int>& digit) {
    const Matrix z = w * r.pixel_logits + (1 - w) * r.path_logits;  // rows x 11
    confidence.resize(z.rows()), digit.resize(z.rows());
    for (Eigen::Index i = 0; i < z.rows(); ++i) {
        const float top = z.row(i).maxCoeff();
        const float sum = (z.row(i).array() - top).exp().sum();
        Eigen::Index d;
        confidence[i] = std::exp(z.row(i).head(10).maxCoeff(&d) - top) / sum;
        digit[i] = static_cast<int>(d);
    }
}

double percent(int part, std::size_t whole) { return whole > 0 ? 100.0 * part / static_cast<double>(whole) : 0.0; }

}  // namespace

int main(int argc, char** argv) try {
    const Options o = parse(argc, argv);
    Eigen::setNbThreads(o.threads);
    const Model model = load_model(o.model);
    if (model.network.layers().back().outputs() != kNotADigit + 1) throw std::runtime_error(o.model + ": not an 11-class digit model");
    const StrokeCollection collection = read_stroke_folder(o.strokes);

    // The characters of each part; training letters count letter_renders / renders times.
    std::vector<Character> train_set, validation, test_digits[kStrokeSets], test_letters;
    for (const HandwrittenCharacter& c : collection.characters) {
        const StrokePart part = stroke_part_of(c);
        if (!c.is_digit() && !is_nondigit_letter(c)) continue;
        const Character character{&c.strokes, c.is_digit() ? c.label[0] - '0' : kNotADigit};
        if (part == StrokePart::train) {
            const int copies = c.is_digit() ? 1 : std::max(1, o.letter_renders / o.renders);
            for (int k = 0; k < copies; ++k) train_set.push_back(character);
        } else if (part == StrokePart::validation) {
            validation.push_back(character);
        } else if (c.is_digit()) {
            test_digits[static_cast<int>(c.set)].push_back(character);
        } else {
            test_letters.push_back(character);
        }
    }
    std::vector<std::vector<Polyline>> generated;  // doodles, letters and digits in turn
    generated.reserve(3 * static_cast<std::size_t>(o.generated));
    std::mt19937_64 rng(3 + o.seed);
    for (int i = 0; i < o.generated; ++i) {
        generated.push_back(draw_doodle(rng, static_cast<DoodleKind>(i % kDoodleKinds)));
        generated.push_back(draw_hand_letter(rng, hand_letters()[i % hand_letters().size()]));
        generated.push_back(draw_hand_digit(rng, i % 10));
    }
    for (int i = 0; i < o.generated; ++i) {
        train_set.push_back({&generated[3 * i], kNotADigit});
        train_set.push_back({&generated[3 * i + 1], kNotADigit});
        train_set.push_back({&generated[3 * i + 2], i % 10});
    }
    std::vector<std::vector<Polyline>> doodles;  // held out: kDoodlesPerKind of each kind in turn
    std::vector<Character> doodle_set;
    doodles.reserve(kDoodleKinds * kDoodlesPerKind);
    for (int kind = 0; kind < kDoodleKinds; ++kind) {
        for (int i = 0; i < kDoodlesPerKind; ++i) {
            std::mt19937_64 doodle_rng(kTestSeed + 1000 * kind + i);
            doodles.push_back(draw_doodle(doodle_rng, static_cast<DoodleKind>(kind)));
        }
    }
    for (const auto& d : doodles) doodle_set.push_back({&d, kNotADigit});

    Dataset train_data, validation_data;  // path features: rows x 246
    draw(train_set, o.renders, 11 + 100 * o.seed, o.reverse, train_data.features, nullptr, train_data.labels);
    draw(validation, 4, 12, 0.0f, validation_data.features, nullptr, validation_data.labels);
    train_data.classes = validation_data.classes = kNotADigit + 1;
    std::printf("path network: %d training drawings, %d validation drawings\n", train_data.size(), validation_data.size());

    Network path_network({kTrajectoryFeatures, o.hidden[0], o.hidden[1], kNotADigit + 1}, Activation::relu, o.seed, Initialization::he);
    path_network.normalization = {0.0f, 0.5f};  // the features lie in [-1, 1]
    TrainConfig config;
    config.epochs = o.epochs;
    config.seed = o.seed;
    config.optimizer.kind = OptimizerKind::adam;
    config.schedule.base_rate = 1e-3f;
    const TrainResult trained = train(path_network, train_data, validation_data, config);
    path_network.temperature =
        fit_temperature(path_network.logits(validation_data.features), validation_data.labels).temperature;
    std::printf("best epoch %d of %d, validation accuracy %.2f%%, temperature %.3f\n", trained.best_epoch, o.epochs,
                100 * trained.history[trained.best_epoch - 1].validation_accuracy, path_network.temperature);

    const Readings valid = read(validation, 4, kValidationSeed, model, path_network);  // digits and letters
    Readings digits[kStrokeSets];
    for (int set = 0; set < kStrokeSets; ++set) digits[set] = read(test_digits[set], 1, kTestSeed + set, model, path_network);
    const Readings letters = read(test_letters, 4, kTestSeed + 300, model, path_network);
    const Readings held_doodles = read(doodle_set, 1, kTestSeed + 200, model, path_network);

    std::printf("\n| pixel weight w | threshold | validation digits right | validation letters rejected |");
    for (int set = 0; set < kStrokeSets; ++set) std::printf(" %s right & kept |", stroke_set_name(static_cast<StrokeSet>(set)));
    std::printf(" letters rejected |");
    for (int kind = 0; kind < kDoodleKinds; ++kind) std::printf(" %s |", doodle_kind_name(static_cast<DoodleKind>(kind)));
    std::printf("\n");
    for (const float w : {1.0f, 0.8f, 0.7f, 0.6f, 0.5f, 0.0f}) {
        std::vector<float> confidence;
        std::vector<int> digit;
        digit_scores(valid, w, confidence, digit);
        std::vector<float> kept;  // the validation digits' scores, to find the 99% threshold
        int right = 0, letters_in = 0, letters_out = 0;
        for (std::size_t i = 0; i < valid.labels.size(); ++i) {
            if (valid.labels[i] < kNotADigit) kept.push_back(confidence[i]), right += digit[i] == valid.labels[i];
        }
        std::sort(kept.begin(), kept.end());
        const float threshold = kept[kept.size() / 100];
        for (std::size_t i = 0; i < valid.labels.size(); ++i) {
            if (valid.labels[i] == kNotADigit) ++letters_in, letters_out += confidence[i] < threshold;
        }
        std::printf("| %.1f | %.4f | %.2f%% | %.1f%% |", w, threshold, percent(right, kept.size()), percent(letters_out, letters_in));
        for (const Readings& set : digits) {
            digit_scores(set, w, confidence, digit);
            int good = 0;
            for (std::size_t i = 0; i < set.labels.size(); ++i) good += digit[i] == set.labels[i] && confidence[i] >= threshold;
            std::printf(" %.2f%% |", percent(good, set.labels.size()));
        }
        digit_scores(letters, w, confidence, digit);
        std::printf(" %.1f%% |", percent(static_cast<int>(std::count_if(confidence.begin(), confidence.end(),
                                                                         [&](float c) { return c < threshold; })),
                                         confidence.size()));
        digit_scores(held_doodles, w, confidence, digit);
        for (int kind = 0; kind < kDoodleKinds; ++kind) {
            const auto first = confidence.begin() + kind * kDoodlesPerKind;
            std::printf(" %.1f%% |", percent(static_cast<int>(std::count_if(first, first + kDoodlesPerKind,
                                                                             [&](float c) { return c < threshold; })),
                                             kDoodlesPerKind));
        }
        std::printf("\n");
    }
    return 0;
} catch (const std::exception& e) {
    std::fprintf(stderr, "fcnet_stroke_path_member: %s\n", e.what());
    return 1;
}
