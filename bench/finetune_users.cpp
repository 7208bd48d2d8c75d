// "Learn my handwriting" simulated: held-out writers correct the model digit by digit; errors, corrections, MNIST after.
//
// Usage: fcnet_finetune_users MODEL MNIST_DIR STROKES_DIR REHEARSAL [UNIPEN_WRITERS [OPTION=VALUE...]]
// REHEARSAL is a rehearsal file (`fcnet rehearsal`), or `generated` for the sample the library
// makes without data (data/generated_rehearsal.h; OPTION per_class sets its size).
// OPTIONs override FinetuneOptions' defaults: update=features|weights, layers, rows, share, steps, target,
// feature_steps, feature_lr, lr, path_lr, budget, copies;
// distort=K scales every distortion of the copies by K. part=validation
// takes the validation writers (pendigits' and UNIPEN's) instead of the test writers, to choose
// options on; memory=COSINE adds a memory of each writer's corrections (measured, not in the
// library: docs/finetune.md); reading=pixels reads the digits by their images alone (how the
// app read strokes before the pen-path network, and how the module reads images); with the
// generated sample the pen-path network learns too, from the sample's pen paths, as in the app
// (path=fixed: the image network alone learns, as with a rehearsal file).
// (scripts/bench-finetune.sh makes the rehearsal sample and runs it). Prints Markdown tables.
//
// Each held-out writer (pendigits' 14 test writers, then up to UNIPEN_WRITERS (default 14) of the
// UNIPEN test writers with the most digits; with part=validation their validation writers) starts from the shipped model and writes their digits
// in file order, each drawn as on the app's canvas and read as the app reads strokes (with a
// pen-path network, image and path mixed: stroke_reading.h). When the
// personal model misreads a digit (wrong digit, or "not a digit"), the writer corrects it: one
// Finetuner::learn. A digit is scored before it is learned, so every error counted is on a digit
// after all earlier correction points. The untouched model reads the same digits.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/finetune.h"
#include "core/loss.h"
#include "data/generated_rehearsal.h"
#include "data/load.h"
#include "data/nondigits.h"
#include "data/stroke_render.h"
#include "data/stroke_split.h"
#include "data/strokes.h"
#include "io/model_file.h"
#include "io/rehearsal_file.h"
#include "preprocess/digit_prediction.h"
#include "preprocess/stroke_reading.h"

using namespace fcnet;

namespace {

struct Writer {
    std::string name;
    std::vector<const HandwrittenCharacter*> digits;  // in file order
};

// How each digit reaches the model: the app's 280 x 280 canvas, a finger-width pen, read as
// strokes: its 28x28 image and its pen's path.
struct Drawing {
    DigitImage image;
    Trajectory path{};
};

Drawing drawn(const HandwrittenCharacter& digit, std::uint64_t seed) {
    StrokeRendering rendering;
    rendering.pen_fraction = 0.1f;
    std::mt19937_64 rng(seed);
    Drawing d;
    d.image = render_digit_image(digit.strokes, rendering, StrokeInput::strokes, rng, &d.path);
    return d;
}

bool read_paths = true;  // reading=pixels: false; a model without a pen-path network reads pixels anyway

// The path to hand to the model, or none when it reads the drawing's pixels alone.
const float* path_of(const Model& model, const Drawing& drawing) {
    return read_paths && model.pen_path ? drawing.path.data() : nullptr;
}

// A writer's remembered corrections (option memory=SIMILARITY): the output layer's input for each
// corrected drawing, at unit length (keys: corrections x hidden), and its label.
struct Memory {
    Matrix keys;
    std::vector<int> labels;
};
float memory_similarity = 0;  // the cosine a drawing needs to a remembered one to take its label; 0: no memory

// The output layer's inputs (rows x hidden) and the probabilities (rows x classes, softmax at the
// model's temperature) for raw features (rows x 784).
void forward(const Model& model, const Matrix& features, Matrix& hidden, Matrix& probabilities) {
    const Network& network = model.network;
    Matrix a = (features.array() - network.normalization.mean) / network.normalization.stddev, z;
    const auto& layers = network.layers();
    for (std::size_t l = 0; l < layers.size(); ++l) {
        if (l + 1 == layers.size()) hidden = a;
        forward_layer(layers[l], a, z);  // (rows x in)(in x out) + (1 x out)
        std::swap(a, z);
    }
    a /= network.temperature;
    softmax_rows(a);
    probabilities = std::move(a);
}

// Rows whose hidden vector is within memory_similarity (cosine) of a remembered correction read
// mostly as its label: p <- (1 - w) p + w one_hot(label), w large enough to make it the reading.
void recall(const Model& model, const Memory& memory, const Matrix& hidden, Matrix& probabilities) {
    if (memory_similarity <= 0 || memory.labels.empty()) return;
    const float threshold = rejection_threshold(model);
    const float weight = std::max(0.75f, 1.0f - 0.5f * threshold);
    const Eigen::VectorXf norms = hidden.rowwise().norm();
    const Matrix cosines = hidden * memory.keys.transpose();  // (rows x hidden)(hidden x corrections)
    for (Eigen::Index r = 0; r < hidden.rows(); ++r) {
        if (norms(r) <= 0) continue;
        Eigen::Index nearest = 0;
        const float best = cosines.row(r).maxCoeff(&nearest) / norms(r);
        if (best < memory_similarity) continue;
        probabilities.row(r) *= 1.0f - weight;
        probabilities(r, memory.labels[std::size_t(nearest)]) += weight;
    }
}

void remember(const Model& model, const DigitImage& image, int label, Memory& memory) {
    Matrix hidden, probabilities;
    forward(model, Eigen::Map<const Matrix>(image.pixels.data(), 1, kDigitPixels), hidden, probabilities);
    memory.keys.conservativeResize(memory.keys.rows() + 1, hidden.cols());
    memory.keys.bottomRows(1) = hidden / std::max(hidden.norm(), 1e-12f);
    memory.labels.push_back(label);
}

bool reads_right(const Model& model, const Memory& memory, const Drawing& drawing, int label) {
    const Eigen::Map<const Matrix> pixels(drawing.image.pixels.data(), 1, kDigitPixels);
    Matrix hidden, probabilities;
    forward(model, pixels, hidden, probabilities);
    float threshold = rejection_threshold(model);
    if (const float* path = path_of(model, drawing)) {  // the mixed reading (1 x classes) and its threshold
        probabilities = stroke_logits(model, pixels, Eigen::Map<const Matrix>(path, 1, kTrajectoryFeatures));
        softmax_rows(probabilities);
        threshold = stroke_threshold(model);
    }
    recall(model, memory, hidden, probabilities);
    const float* p = probabilities.data();
    const int digit = int(std::max_element(p, p + kDigitClasses) - p);
    return digit_score(model, p, int(probabilities.cols())) >= threshold && digit == label;
}

// Accuracy in percent on the MNIST test digits, leaving out those of class `except` when given.
double mnist_accuracy(const Model& model, const Dataset& test, int except = -1, const Memory& memory = {}) {
    Matrix hidden, probabilities;
    forward(model, test.features, hidden, probabilities);
    recall(model, memory, hidden, probabilities);
    int right = 0, counted = 0;
    for (int i = 0; i < test.size(); ++i) {
        if (test.labels[std::size_t(i)] == except) continue;
        Eigen::Index predicted = 0;
        probabilities.row(i).maxCoeff(&predicted);
        right += predicted == test.labels[std::size_t(i)];
        ++counted;
    }
    return 100.0 * right / counted;
}

// Percent of `nondigits` (28x28 images) the model rejects, read by the image alone as `fcnet predict` and
// the module read images.
double nondigits_rejected(const Model& model, const Dataset& nondigits) {
    Matrix hidden, probabilities;
    forward(model, nondigits.features, hidden, probabilities);
    int rejected = 0;
    for (Eigen::Index r = 0; r < probabilities.rows(); ++r) {
        rejected += !accepts_as_digit(model, probabilities.row(r).data(), int(probabilities.cols()));
    }
    return 100.0 * rejected / std::max<Eigen::Index>(1, probabilities.rows());
}

struct WriterResult {
    int digits = 0, shipped_errors = 0, personal_errors = 0, corrections = 0;
    int later_shipped = 0, later_personal = 0, later_digits = 0;  // the second half of the writer's digits
    // The shipped model's later errors on a digit it also misread earlier (in the writer's first half or
    // later, before this one): the errors a correction of that digit could have taught it to avoid.
    int later_shipped_repeats = 0;
    // Errors on the digits after the writer's first correction (the issue's "after each correction
    // point"): before it the personal model is the shipped one.
    int after_shipped = 0, after_personal = 0;
    double mnist = 0;
    double nondigits_rejected = 0;  // percent of the generated non-digits rejected after the corrections
};

std::vector<double> learn_ms;  // every correction's time, for the median
std::vector<int> learn_steps;  // every correction's steps, likewise
int unread_corrections = 0;     // corrections after which the drawing did not read as its label

WriterResult simulate(const Model& shipped, Finetuner& finetuner, const Writer& writer, const Dataset& mnist_test,
                      const Dataset& nondigits) {
    Model personal = shipped;
    Memory memory;
    WriterResult result;
    result.digits = static_cast<int>(writer.digits.size());
    std::set<int> misread_before;  // digits the shipped model has misread so far
    for (int i = 0; i < result.digits; ++i) {
        const HandwrittenCharacter& digit = *writer.digits[std::size_t(i)];
        const int label = digit.label[0] - '0';
        const Drawing drawing = drawn(digit, 1000 + std::uint64_t(i));
        if (drawing.image.empty) continue;
        const bool shipped_right = reads_right(shipped, {}, drawing, label);
        const bool personal_right = reads_right(personal, memory, drawing, label);
        const bool later = 2 * i >= result.digits;
        result.shipped_errors += !shipped_right;
        result.personal_errors += !personal_right;
        result.later_digits += later;
        result.later_shipped += later && !shipped_right;
        result.later_personal += later && !personal_right;
        if (result.corrections > 0) {
            result.after_shipped += !shipped_right;
            result.after_personal += !personal_right;
        }
        if (!shipped_right) {
            result.later_shipped_repeats += later && misread_before.count(label);
            misread_before.insert(label);
        }
        if (!personal_right) {
            if (memory_similarity > 0) remember(personal, drawing.image, label, memory);
            const auto start = std::chrono::steady_clock::now();
            const FinetuneResult learned = finetuner.learn(personal, drawing.image.pixels.data(), label,
                                                           std::uint64_t(corrections(personal)) + 1, path_of(personal, drawing));
            unread_corrections += !learned.read_as_label;
            learn_steps.push_back(learned.steps);
            learn_ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
            ++result.corrections;
        }
    }
    result.mnist = mnist_accuracy(personal, mnist_test, -1, memory);
    result.nondigits_rejected = nondigits_rejected(personal, nondigits);
    return result;
}

double percent(int part, int whole) { return whole > 0 ? 100.0 * part / whole : 0.0; }

}  // namespace

int main(int argc, char** argv) {
    if (argc < 5) {
        std::fprintf(stderr,
                     "usage: %s MODEL MNIST_DIR STROKES_DIR REHEARSAL [UNIPEN_WRITERS [OPTION=VALUE...]]\n"
                     "REHEARSAL: a rehearsal file or `generated`; OPTIONs: update=features|weights, layers, rows, share, steps, feature_steps, target, feature_lr, lr, "
                     "path_lr, budget, copies, distort, per_class, memory, reading=pixels|mixed, path=learn|fixed, part=test|validation "
                     "(docs/finetune.md)\n",
                     argv[0]);
        return 2;
    }
    try {
        const Model shipped = load_model(argv[1]);
        const LoadedData mnist = load_data(argv[2]);
        const StrokeCollection strokes = read_stroke_folder(argv[3]);
        const std::size_t unipen_writers = argc > 5 ? std::size_t(std::atoi(argv[5])) : 14;
        FinetuneOptions options;
        int per_class = kGeneratedRehearsalPerClass;
        StrokePart part = StrokePart::test;  // part=validation: the validation writers, to choose options on
        std::string path_mode;               // path=learn or path=fixed; by default it learns as in the app, with the generated sample
        for (int i = 6; i < argc; ++i) {
            const std::string option = argv[i];
            const std::string key = option.substr(0, option.find('=')), value = option.substr(option.find('=') + 1);
            if (key == "update" && (value == "features" || value == "weights"))
                options.update = value == "features" ? FinetuneUpdate::feature_scale_shift : FinetuneUpdate::weights;
            else if (key == "layers") options.trained_layers = std::stoi(value);
            else if (key == "rows") options.rehearsal_rows = std::stoi(value);
            else if (key == "copies") options.copies = std::stoi(value);
            else if (key == "distort") {  // every distortion's magnitude scaled by this
                const float k = std::stof(value);
                AugmentOptions& d = options.distortions;
                d.rotation_degrees *= k, d.scale *= k, d.shift *= k, d.shear *= k, d.thicken *= k, d.thin *= k;
                d.elastic_alpha *= k;
            }
            else if (key == "share") options.drawing_share = std::stof(value);
            else if (key == "steps") options.max_steps = std::stoi(value);
            else if (key == "feature_steps") options.feature_steps = std::stoi(value);
            else if (key == "target") options.target_probability = std::stof(value);
            else if (key == "feature_lr") options.feature_learning_rate = std::stof(value);
            else if (key == "lr") options.learning_rate = std::stof(value);
            else if (key == "path_lr") options.path_learning_rate = std::stof(value);
            else if (key == "budget") options.forgetting_budget = std::stof(value);
            else if (key == "per_class") per_class = std::stoi(value);
            else if (key == "memory") memory_similarity = std::stof(value);
            else if (key == "reading" && (value == "pixels" || value == "mixed")) read_paths = value == "mixed";
            else if (key == "path" && (value == "learn" || value == "fixed")) path_mode = value;
            else if (key == "part" && (value == "test" || value == "validation"))
                part = value == "validation" ? StrokePart::validation : StrokePart::test;
            else throw Error("unknown option " + option + " (update=features or update=weights, layers, rows, share, steps, feature_steps, target, feature_lr, lr, path_lr, budget, copies, distort, per_class, memory, reading=pixels or reading=mixed, path=learn or path=fixed, part=test or part=validation)");
        }
        const std::string rehearsal_source = argv[4];
        const auto made = std::chrono::steady_clock::now();
        // The generated sample and its pen paths, or a rehearsal file's images and pen paths (if any)
        RehearsalSample sample;
        if (rehearsal_source == "generated") {  // rendered once, as the app makes it
            GeneratedRehearsalMaker maker(per_class, shipped.network.classes(), kGeneratedRehearsalSeed);
            sample.paths = maker.take_paths();
            sample.images = maker.take();
        } else {
            sample = load_rehearsal(rehearsal_source);
        }
        const bool path_learns = path_mode.empty() ? !sample.paths.labels.empty() : path_mode == "learn";
        if (path_learns && sample.paths.labels.empty()) throw Error("path=learn needs pen paths: " + rehearsal_source + " has none");
        if (!path_learns) sample.paths = {};
        Finetuner finetuner(std::move(sample), options);
        const double made_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - made).count();

        std::map<std::string, Writer> by_name;
        for (const HandwrittenCharacter& c : strokes.characters) {
            if (!c.is_digit() || stroke_part_of(c) != part || c.set == StrokeSet::uji) continue;
            Writer& writer = by_name[c.writer];
            writer.name = c.writer;
            writer.digits.push_back(&c);
        }
        std::vector<Writer> pendigits, unipen;
        for (auto& [name, writer] : by_name) (name.rfind("pendigits/", 0) == 0 ? pendigits : unipen).push_back(writer);
        std::stable_sort(unipen.begin(), unipen.end(),
                         [](const Writer& a, const Writer& b) { return a.digits.size() > b.digits.size(); });
        if (unipen.size() > unipen_writers) unipen.resize(unipen_writers);
        std::vector<Writer> writers = pendigits;
        writers.insert(writers.end(), unipen.begin(), unipen.end());

        const double shipped_mnist = mnist_accuracy(shipped, mnist.test);
        // Generated non-digits of the seed the model card holds out (fcnet evaluate --nondigits).
        const Dataset nondigits = make_nondigit_set(2000, 7160000001, kDigitClasses);
        const double shipped_rejected = nondigits_rejected(shipped, nondigits);
        const bool features = options.update == FinetuneUpdate::feature_scale_shift;
        const std::string update_note =
            features ? "the output layer's feature scales and shifts learn (learning rate " +
                           std::to_string(options.feature_learning_rate).substr(0, 5) + "), then, if need be, the weights (" +
                           std::to_string(options.learning_rate).substr(0, 5) + ")"
                     : "the weights learn (learning rate " + std::to_string(options.learning_rate).substr(0, 5) + ")";
        const std::string path_note = path_learns && read_paths && shipped.pen_path
                                          ? "learns too (learning rate " + std::to_string(options.path_learning_rate).substr(0, 5) + ")"
                                          : "does not learn";
        std::printf("Shipped model: MNIST test accuracy %.2f%%, %.1f%% of 2,000 generated non-digits rejected; rehearsal sample: %s, %d samples (%.0f ms to make or "
                    "read); options: %d trained layer(s), %d rehearsal rows, drawing share %.3f, up to %d steps to p %.2f, "
                    "%s, forgetting budget %.3f; the digits read by %s; the pen-path network %s\n\n",
                    shipped_mnist, shipped_rejected, finetuner.rehearsal().name.c_str(), finetuner.rehearsal().size(), made_ms,
                    options.trained_layers, options.rehearsal_rows, options.drawing_share,
                    (features ? options.feature_steps : 0) + options.max_steps,
                    options.target_probability, update_note.c_str(), options.forgetting_budget,
                    read_paths && shipped.pen_path ? "image and pen path mixed (as the app reads strokes)" : "image alone",
                    path_note.c_str());
        std::printf("| writer | digits | errors, shipped | errors, learning | later half: shipped -> learning | "
                    "of those shipped, a digit misread before | after the first correction: shipped -> learning | corrections | "
                    "MNIST after | non-digits rejected after |\n"
                    "|---|---|---|---|---|---|---|---|---|---|\n");
        double reduction_sum = 0, repeat_sum = 0, mnist_drop_sum = 0, worst_drop = 0;
        double rejected_sum = 0, fewest_rejected = 100;
        int reduction_writers = 0, all_digits = 0, all_shipped = 0, all_personal = 0, all_corrections = 0;
        int all_later_shipped = 0, all_later_personal = 0, all_after_shipped = 0, all_after_personal = 0;
        double after_reduction_sum = 0;
        int after_writers = 0;
        for (const Writer& writer : writers) {
            const WriterResult r = simulate(shipped, finetuner, writer, mnist.test, nondigits);
            std::printf("| %s | %d | %d (%.1f%%) | %d (%.1f%%) | %.1f%% -> %.1f%% | %d of %d | %d -> %d | %d | %.2f%% | %.1f%% |\n",
                        writer.name.c_str(), r.digits, r.shipped_errors, percent(r.shipped_errors, r.digits),
                        r.personal_errors, percent(r.personal_errors, r.digits), percent(r.later_shipped, r.later_digits),
                        percent(r.later_personal, r.later_digits), r.later_shipped_repeats, r.later_shipped,
                        r.after_shipped, r.after_personal, r.corrections, r.mnist, r.nondigits_rejected);
            rejected_sum += r.nondigits_rejected;
            fewest_rejected = std::min(fewest_rejected, r.nondigits_rejected);
            std::fflush(stdout);
            if (r.later_shipped > 0) {
                reduction_sum += 1.0 - double(r.later_personal) / r.later_shipped;
                repeat_sum += double(r.later_shipped_repeats) / r.later_shipped;
                ++reduction_writers;
            }
            if (r.after_shipped > 0) {
                after_reduction_sum += 1.0 - double(r.after_personal) / r.after_shipped;
                ++after_writers;
            }
            mnist_drop_sum += shipped_mnist - r.mnist;
            worst_drop = std::max(worst_drop, shipped_mnist - r.mnist);
            all_digits += r.digits;
            all_shipped += r.shipped_errors;
            all_personal += r.personal_errors;
            all_corrections += r.corrections;
            all_later_shipped += r.later_shipped;
            all_later_personal += r.later_personal;
            all_after_shipped += r.after_shipped;
            all_after_personal += r.after_personal;
        }
        std::printf("| **all %zu writers** | %d | %d (%.1f%%) | %d (%.1f%%) | mean cut %.0f%% (all: %d -> %d) | mean %.0f%% "
                    "| mean cut %.0f%% over %d writers (all: %d -> %d) | %d | mean drop %.2f, worst %.2f points | mean %.1f%%, fewest %.1f%% |\n\n",
                    writers.size(), all_digits, all_shipped, percent(all_shipped, all_digits), all_personal,
                    percent(all_personal, all_digits), 100.0 * reduction_sum / std::max(1, reduction_writers),
                    all_later_shipped, all_later_personal, 100.0 * repeat_sum / std::max(1, reduction_writers),
                    100.0 * after_reduction_sum / std::max(1, after_writers), after_writers, all_after_shipped,
                    all_after_personal, all_corrections,
                    mnist_drop_sum / std::max<std::size_t>(1, writers.size()), worst_drop,
                    rejected_sum / std::max<std::size_t>(1, writers.size()), fewest_rejected);

        std::nth_element(learn_ms.begin(), learn_ms.begin() + std::ptrdiff_t(learn_ms.size() / 2), learn_ms.end());
        std::nth_element(learn_steps.begin(), learn_steps.begin() + std::ptrdiff_t(learn_steps.size() / 2), learn_steps.end());
        if (!learn_ms.empty()) {
            std::printf("Native learn() median %.2f ms over %zu corrections, %d steps (median; %d at most); %d ended "
                        "with the drawing not read as its label.\n\n",
                        learn_ms[learn_ms.size() / 2], learn_ms.size(), learn_steps[learn_steps.size() / 2],
                        *std::max_element(learn_steps.begin(), learn_steps.end()), unread_corrections);
        }

        // A user who mislabels five digits (the first five of the first writer, each called the next digit).
        Model mislabelled = shipped;
        std::printf("| deliberately wrong corrections | MNIST test accuracy | on the other nine digits |\n|---|---|---|\n"
                    "| none (shipped) | %.2f%% | |\n", shipped_mnist);
        for (int i = 0; i < 5; ++i) {
            const HandwrittenCharacter& digit = *writers.front().digits[std::size_t(i)];
            const int wrong = (digit.label[0] - '0' + 1) % 10;
            const Drawing drawing = drawn(digit, 1000 + std::uint64_t(i));
            finetuner.learn(mislabelled, drawing.image.pixels.data(), wrong, std::uint64_t(i) + 1, path_of(mislabelled, drawing));
            const int truth = digit.label[0] - '0';
            std::printf("| %d (a %d learned as %d) | %.2f%% | %.2f%% (shipped %.2f%%) |\n", i + 1, truth, wrong,
                        mnist_accuracy(mislabelled, mnist.test), mnist_accuracy(mislabelled, mnist.test, truth),
                        mnist_accuracy(shipped, mnist.test, truth));
        }
        Model reset = shipped;  // what the app's Forget and the module's reset() return to
        const bool same = serialize_model(reset) == serialize_model(shipped);
        std::printf("| after reset | %.2f%% (%s the shipped model) |\n", mnist_accuracy(reset, mnist.test),
                    same ? "bit for bit" : "NOT");
    } catch (const std::exception& e) {
        std::fprintf(stderr, "fcnet_finetune_users: %s\n", e.what());
        return 1;
    }
    return 0;
}
