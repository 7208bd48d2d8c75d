// Measures a network that reads the pen's path (preprocess/trajectory.h) beside the shipped pixel model, on held-out writers' strokes.
//
// Usage: fcnet_stroke_path_member <strokes-folder> <model.fcnet> [--epochs N] [--seed N] [--renders N]
//                                 [--letter-renders N] [--generated N] [--reverse P] [--hidden A,B] [--threads N]
//
// Trains a pen-path network as `fcnet pen-path` does (train_pen_path, data/pen_path_training.h;
// 246-A-B-11, 128-64 unless --hidden). Then reads the validation and test writers' digits and
// letters and held-out doodles once more, as the app sees them (strokes), with the pixel model
// (preprocess_strokes), the path network, and both: softmax(w z_pixels / T + (1 - w) z_path / T').
// For each w, the threshold is the largest digit probability that keeps 99% of the validation
// writers' digits, and the table gives the test writers' digits read right and kept, letters
// and each doodle kind rejected. Deterministic for a seed and thread count.
#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/loss.h"
#include "data/doodles.h"
#include "data/pen_path_training.h"
#include "data/stroke_split.h"
#include "data/strokes.h"
#include "io/model_file.h"
#include "preprocess/stroke_reading.h"

using namespace fcnet;

namespace {

constexpr int kNotADigit = 10;
constexpr int kDoodlesPerKind = 200;
constexpr std::uint64_t kTestSeed = 7'160'000'002, kValidationSeed = 7'160'000'012;  // as `fcnet evaluate --strokes`

struct Options {
    std::string strokes, model;
    int threads = 2;
    PenPathTraining training;
};

constexpr const char* kUsage =
    "usage: fcnet_stroke_path_member <strokes-folder> <model.fcnet> [--epochs N] [--seed N] [--renders N] "
    "[--letter-renders N] [--generated N] [--reverse P] [--hidden A,B] [--threads N]";

Options parse(int argc, char** argv) {
    Options o;
    std::vector<std::string> positional;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) throw std::invalid_argument(arg + " needs a value");
            return argv[++i];
        };
        PenPathTraining& t = o.training;
        if (arg == "--epochs") t.epochs = std::stoi(value());
        else if (arg == "--seed") t.seed = std::stoull(value());
        else if (arg == "--renders") t.renders = std::stoi(value());
        else if (arg == "--letter-renders") t.letter_renders = std::stoi(value());
        else if (arg == "--generated") t.generated = std::stoi(value());
        else if (arg == "--reverse") t.reverse = std::stof(value());
        else if (arg == "--threads") o.threads = std::stoi(value());
        else if (arg == "--hidden") {
            const std::string sizes = value();
            const std::size_t comma = sizes.find(',');
            if (comma == std::string::npos) throw std::invalid_argument("--hidden needs two sizes, such as 128,64");
            t.hidden[0] = std::stoi(sizes.substr(0, comma)), t.hidden[1] = std::stoi(sizes.substr(comma + 1));
        }
        else if (arg == "--help" || arg == "-h") {
            std::printf("%s\n", kUsage);
            std::exit(0);
        }
        else if (!arg.empty() && arg[0] != '-') positional.push_back(arg);
        else throw std::invalid_argument("unknown argument '" + arg + "'");
    }
    if (positional.size() != 2) {
        throw std::invalid_argument(kUsage);
    }
    o.strokes = positional[0], o.model = positional[1];
    return o;
}

// One held-out set drawn as the app sees it: images (rows x 784), paths (rows x 246), labels.
struct Drawn {
    Matrix images, paths;
    std::vector<int> labels;
};

Drawn drawn(const std::vector<PenPathCharacter>& characters, int copies, std::uint64_t seed) {
    Drawn d;
    draw_pen_paths(characters, copies, seed, 0.0f, d.paths, &d.images, d.labels);
    return d;
}

// For each drawing, read by `model` as strokes (stroke_logits): the largest of the ten digit
// probabilities and its digit.
void digit_scores(const Model& model, const Drawn& set, std::vector<float>& confidence, std::vector<int>& digit) {
    Matrix probabilities = stroke_logits(model, set.images, set.paths);  // rows x 11
    softmax_rows(probabilities);
    confidence.resize(probabilities.rows()), digit.resize(probabilities.rows());
    for (Eigen::Index i = 0; i < probabilities.rows(); ++i) {
        Eigen::Index d;
        confidence[i] = probabilities.row(i).head(10).maxCoeff(&d);
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

    // The held-out characters: validation writers' (digits and letters), test writers' digits by
    // set and letters, and doodles of seeds no training draws.
    const std::vector<PenPathCharacter> validation = pen_path_characters(collection, StrokePart::validation);
    std::vector<PenPathCharacter> test_digits[kStrokeSets], test_letters;
    for (const HandwrittenCharacter& c : collection.characters) {
        if (stroke_part_of(c) != StrokePart::test) continue;
        if (c.is_digit()) test_digits[static_cast<int>(c.set)].push_back({&c.strokes, c.label[0] - '0'});
        else if (is_nondigit_letter(c)) test_letters.push_back({&c.strokes, kNotADigit});
    }
    std::vector<std::vector<Polyline>> doodles;  // kDoodlesPerKind of each kind in turn
    std::vector<PenPathCharacter> doodle_set;
    doodles.reserve(kDoodleKinds * kDoodlesPerKind);
    for (int kind = 0; kind < kDoodleKinds; ++kind) {
        for (int i = 0; i < kDoodlesPerKind; ++i) {
            std::mt19937_64 doodle_rng(kTestSeed + 1000 * kind + i);
            doodles.push_back(draw_doodle(doodle_rng, static_cast<DoodleKind>(kind)));
        }
    }
    for (const auto& d : doodles) doodle_set.push_back({&d, kNotADigit});

    Model mixed = model;  // its pen-path network's pixel weight set for each row of the table
    mixed.pen_path.emplace();
    mixed.pen_path->network = train_pen_path(collection, o.training);
    std::printf("path network: temperature %.3f\n", mixed.pen_path->network.temperature);

    const Drawn valid = drawn(validation, 4, kValidationSeed);  // digits and letters
    Drawn digits[kStrokeSets];
    for (int set = 0; set < kStrokeSets; ++set) digits[set] = drawn(test_digits[set], 1, kTestSeed + set);
    const Drawn letters = drawn(test_letters, 4, kTestSeed + 300);
    const Drawn held_doodles = drawn(doodle_set, 1, kTestSeed + 200);

    std::printf("\n| pixel weight w | threshold | validation digits right | validation letters rejected |");
    for (int set = 0; set < kStrokeSets; ++set) std::printf(" %s right & kept |", stroke_set_name(static_cast<StrokeSet>(set)));
    std::printf(" test letters rejected |");
    for (int kind = 0; kind < kDoodleKinds; ++kind) std::printf(" %s |", doodle_kind_name(static_cast<DoodleKind>(kind)));
    std::printf("\n");
    for (const float w : {1.0f, 0.8f, 0.7f, 0.6f, 0.5f, 0.0f}) {  // weight of the pixel model
        mixed.pen_path->pixel_weight = w;
        std::vector<float> confidence;
        std::vector<int> digit;
        digit_scores(mixed, valid, confidence, digit);
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
        for (const Drawn& set : digits) {
            digit_scores(mixed, set, confidence, digit);
            int good = 0;
            for (std::size_t i = 0; i < set.labels.size(); ++i) good += digit[i] == set.labels[i] && confidence[i] >= threshold;
            std::printf(" %.2f%% |", percent(good, set.labels.size()));
        }
        digit_scores(mixed, letters, confidence, digit);
        std::printf(" %.1f%% |", percent(static_cast<int>(std::count_if(confidence.begin(), confidence.end(),
                                                                         [&](float c) { return c < threshold; })),
                                         confidence.size()));
        digit_scores(mixed, held_doodles, confidence, digit);
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
