// Fine-tuning on a corrected drawing (core/finetune.h), rehearsal files (io/rehearsal_file.h) and the generated rehearsal sample.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <vector>

#include "core/finetune.h"
#include "data/generated_rehearsal.h"
#include "data/load.h"
#include "data/nondigits.h"
#include "io/model_file.h"
#include "io/rehearsal_file.h"
#include "preprocess/digit_prediction.h"
#include "support/test_support.h"

using namespace fcnet;

namespace {

const std::string kModel = FCNET_SOURCE_DIR "/models/mnist.fcnet";

// Held-out MNIST test digits the tests measure forgetting on: [kHeldOut, kHeldOut + kHeldOutCount).
constexpr int kHeldOut = 5000, kHeldOutCount = 2000;

// 40 MNIST training digits of each class, plus 60 generated non-digits when the model has an
// 11th class: the rehearsal sample the tests fine-tune with.
Dataset rehearsal_for(const Dataset& train, int classes) {
    Dataset sample = choose_rehearsal_sample(train, 40, 5);
    if (classes == 11) {
        const Dataset nondigits = make_nondigit_set(60, 5, 10);
        const Eigen::Index digits = sample.features.rows();
        sample.features.conservativeResize(digits + nondigits.features.rows(), Eigen::NoChange);
        sample.features.bottomRows(nondigits.features.rows()) = nondigits.features;
        sample.labels.insert(sample.labels.end(), nondigits.labels.begin(), nondigits.labels.end());
    }
    sample.classes = classes;
    sample.name = "test rehearsal sample";
    return sample;
}

// A 28x28 gray image as a 24-bit BMP file (rows bottom-up, 84 bytes each: no padding).
std::string bmp_of(const float* pixels) {
    std::string file = "BM";
    const auto put = [&file](std::uint32_t value, int bytes) {
        for (int i = 0; i < bytes; ++i) file += static_cast<char>((value >> (8 * i)) & 0xFF);
    };
    put(54 + 28 * 28 * 3, 4), put(0, 4), put(54, 4);                  // file header
    put(40, 4), put(28, 4), put(28, 4), put(1, 2), put(24, 2), put(0, 4);  // info header
    put(28 * 28 * 3, 4), put(2835, 4), put(2835, 4), put(0, 4), put(0, 4);
    for (int y = 27; y >= 0; --y) {
        for (int x = 0; x < 28; ++x) file.append(3, static_cast<char>(std::lround(pixels[y * 28 + x] * 255)));
    }
    return file;
}

// The first MNIST test digit before the held-out range that `network` misreads (kHeldOut if it reads them all right).
int first_misread_before_held_out(const Network& network, const Dataset& test) {
    const std::vector<int> predicted = network.predict_class(test.features.topRows(kHeldOut));
    int misread = 0;
    while (misread < kHeldOut && predicted[std::size_t(misread)] == test.labels[std::size_t(misread)]) ++misread;
    return misread;
}

double accuracy_on(const Network& network, const Dataset& test, int first, int count) {
    const std::vector<int> predicted = network.predict_class(test.features.middleRows(first, count));
    int right = 0;
    for (int i = 0; i < count; ++i) right += predicted[std::size_t(i)] == test.labels[std::size_t(first + i)];
    return static_cast<double>(right) / count;
}

// Ten random 784-pixel samples in [0, 1], one of each class 0-9.
Dataset random_rehearsal() {
    Dataset rehearsal;
    rehearsal.features = random_matrix(10, 784, 4).cwiseAbs().cwiseMin(1.0f);
    for (int i = 0; i < 10; ++i) rehearsal.labels.push_back(i);
    return rehearsal;
}

// The share of `paths`' rows the pen-path network alone reads as their labels.
double path_accuracy(const PenPathNetwork& pen, const PathRehearsal& paths) {
    const std::vector<int> read = pen.network.predict_class(paths.paths);
    int right = 0;
    for (std::size_t i = 0; i < read.size(); ++i) right += read[i] == paths.labels[i];
    return static_cast<double>(right) / static_cast<double>(read.size());
}

}  // namespace

TEST_CASE("learning a misread MNIST digit makes it read right and keeps held-out accuracy within 0.5 points",
          "[finetune]") {
    INFO("MNIST folder: " << mnist_dir() << " (set FCNET_MNIST_DIR to change it)");
    REQUIRE(has_idx_dataset(mnist_dir()));
    const LoadedData data = load_data(mnist_dir());
    Model model = load_model(kModel);
    Finetuner finetuner(rehearsal_for(data.train, model.network.classes()));

    const int misread = first_misread_before_held_out(model.network, data.test);
    REQUIRE(misread < kHeldOut);
    const int label = data.test.labels[std::size_t(misread)];
    const double before = accuracy_on(model.network, data.test, kHeldOut, kHeldOutCount);

    const float temperature = model.network.temperature;
    const auto metadata = model.metadata;
    finetuner.learn(model, data.test.features.row(misread).data(), label, 1);

    CHECK(model.network.predict_class(data.test.features.row(misread))[0] == label);
    const double after = accuracy_on(model.network, data.test, kHeldOut, kHeldOutCount);
    WARN("test digit " << misread << " (a " << label << ") learned; held-out accuracy " << 100 * before << "% -> "
                       << 100 * after << "%");
    CHECK(after >= before - 0.005);
    CHECK(corrections(model) == 1);
    CHECK(model.network.temperature == temperature);
    CHECK(model.metadata.at("reject_confidence") == metadata.at("reject_confidence"));
}

TEST_CASE("with a pen-path network and the drawing's path, a correction is judged on the mixed reading", "[finetune]") {
    INFO("MNIST folder: " << mnist_dir() << " (set FCNET_MNIST_DIR to change it)");
    REQUIRE(has_idx_dataset(mnist_dir()));
    const LoadedData data = load_data(mnist_dir());
    Model model = load_model(kModel);
    Finetuner finetuner(rehearsal_for(data.train, model.network.classes()));
    const int sample = kHeldOut + kHeldOutCount;  // a test digit no other test learns
    const int label = data.test.labels[std::size_t(sample)], wrong = (label + 1) % 10;
    DigitImage image;
    image.empty = false;
    std::copy_n(data.test.features.row(sample).data(), kDigitPixels, image.pixels.begin());
    REQUIRE(DigitClassifier(model).classify(image).digit == label);

    // A pen-path network that says `wrong` just loudly enough to outvote the image, by 1 in the
    // mixed logits: a constant network (zero weights), its bias on `wrong` alone.
    const Matrix z = model.network.logits(data.test.features.row(sample)) / model.network.temperature;  // 1 x 11
    PenPathNetwork& pen = model.pen_path.emplace();
    pen.network = Network({kTrajectoryFeatures, 11}, Activation::identity, 1);
    pen.network.layers()[0].weights.setZero();
    pen.network.layers()[0].bias.setZero();
    pen.pixel_weight = 0.6f;
    pen.network.layers()[0].bias[wrong] = (0.6f * (z(0, label) - z(0, wrong)) + 1.0f) / 0.4f;
    pen.reject_confidence = 0.3f;
    const Trajectory path{};
    REQUIRE(DigitClassifier(model).classify(image, path).digit == wrong);

    Model image_only = model;  // told only the image, the learner sees nothing to correct
    CHECK(finetuner.learn(image_only, image.pixels.data(), label, 1).steps == 0);
    const FinetuneResult result = finetuner.learn(model, image.pixels.data(), label, 1, path.data());
    CHECK(result.read_as_label);
    CHECK(result.steps > 0);
    const DigitPrediction mixed = DigitClassifier(model).classify(image, path);
    CHECK(mixed.digit == label);
    CHECK(mixed.confidence >= 0.6f);
    CHECK(mixed.is_digit);
}

TEST_CASE("with a path rehearsal, a correction given the path also teaches the pen-path network's output layer",
          "[finetune][pen_path]") {
    INFO("MNIST folder: " << mnist_dir() << " (set FCNET_MNIST_DIR to change it)");
    REQUIRE(has_idx_dataset(mnist_dir()));
    const LoadedData data = load_data(mnist_dir());
    const Model shipped = load_model(kModel);
    REQUIRE(shipped.pen_path.has_value());
    const PathRehearsal paths = make_generated_path_rehearsal(kGeneratedRehearsalPerClass, 11, kGeneratedRehearsalSeed);

    // A drawing whose image and path disagree: a test digit's image with the path of a generated
    // digit of another class, the first pair that the mixed reading gets wrong.
    const int sample = kHeldOut + kHeldOutCount + 1;  // a test digit no other test learns
    const int label = data.test.labels[std::size_t(sample)];
    DigitImage image;
    image.empty = false;
    std::copy_n(data.test.features.row(sample).data(), kDigitPixels, image.pixels.begin());
    DigitClassifier reader(shipped);
    Trajectory path{};
    bool misread = false;
    for (Eigen::Index r = 0; r < paths.paths.rows() && !misread; ++r) {
        if (paths.labels[std::size_t(r)] == label || paths.labels[std::size_t(r)] == kDigitClasses) continue;
        std::copy_n(paths.paths.row(r).data(), kTrajectoryFeatures, path.begin());
        misread = reader.classify(image, path).digit != label;
    }
    REQUIRE(misread);

    Finetuner image_learns(rehearsal_for(data.train, 11)), both_learn(rehearsal_for(data.train, 11));
    both_learn.set_path_rehearsal(paths);
    Model fixed_path = shipped, learned_path = shipped;
    const FinetuneResult alone = image_learns.learn(fixed_path, image.pixels.data(), label, 1, path.data());
    const FinetuneResult shared = both_learn.learn(learned_path, image.pixels.data(), label, 1, path.data());
    WARN("steps: image network alone " << alone.steps << ", both networks " << shared.steps);
    CHECK(alone.read_as_label);
    CHECK(shared.read_as_label);
    CHECK(DigitClassifier(learned_path).classify(image, path).digit == label);

    // Without a path rehearsal the pen-path network keeps its weights; with one, only its output layer learns.
    const auto& before = shipped.pen_path->network.layers();
    const auto& kept = fixed_path.pen_path->network.layers();
    const auto& learned = learned_path.pen_path->network.layers();
    for (std::size_t l = 0; l < before.size(); ++l) {
        INFO("pen-path layer " << l);
        CHECK(kept[l].weights == before[l].weights);
        CHECK((learned[l].weights == before[l].weights) == (l + 1 < before.size()));
    }
    // The image network's steps do not depend on the path network's, so sharing the correction
    // ends it no later; and the path network still reads its rehearsal.
    CHECK(shared.steps <= alone.steps);
    CHECK(path_accuracy(*learned_path.pen_path, paths) >= path_accuracy(*shipped.pen_path, paths) - 0.02);
    // Saved and read again, the personal model keeps both networks' corrections.
    const std::vector<std::uint8_t> bytes = serialize_model(learned_path);
    const Model read = deserialize_model(bytes.data(), bytes.size(), "personal");
    CHECK(read.pen_path->network.layers().back().weights == learned.back().weights);
}

TEST_CASE("a personal model counts as fine-tuned from the shipped one only with the same first layers, pen path too",
          "[finetune][pen_path]") {
    Model shipped;
    shipped.network = Network({784, 16, 11}, Activation::relu, 3);
    PenPathNetwork& pen = shipped.pen_path.emplace();
    pen.network = Network({kTrajectoryFeatures, 8, 11}, Activation::relu, 4);
    pen.pixel_weight = 0.6f;
    Model personal = shipped;
    personal.network.layers().back().weights(0, 0) += 1;  // what corrections change: the output layers
    personal.pen_path->network.layers().back().bias[2] += 1;
    CHECK(fine_tuned_from(personal, shipped));

    Model other = personal;
    other.network.layers().front().weights(5, 5) += 1;  // another shipped image network
    CHECK_FALSE(fine_tuned_from(other, shipped));
    other = personal;
    other.pen_path->network.layers().front().bias[0] += 1;  // another shipped pen-path network
    CHECK_FALSE(fine_tuned_from(other, shipped));
    other = personal;
    other.pen_path.reset();  // made before the pen path
    CHECK_FALSE(fine_tuned_from(other, shipped));
    CHECK_FALSE(fine_tuned_from(shipped, other));
    other = personal;
    other.pen_path->network = Network({kTrajectoryFeatures, 9, 11}, Activation::relu, 4);
    CHECK_FALSE(fine_tuned_from(other, shipped));
    other = personal;
    other.class_names = {"zero"};
    CHECK_FALSE(fine_tuned_from(other, shipped));
}

TEST_CASE("the generated path rehearsal holds the pen paths of the generated sample's drawings made as strokes",
          "[finetune][generated][pen_path]") {
    const PathRehearsal paths = make_generated_path_rehearsal(6, 11, 3);
    REQUIRE(paths.paths.rows() == 33);  // of each class the 1st, 3rd and 5th drawing: digits and doodles
    REQUIRE(paths.paths.cols() == kTrajectoryFeatures);
    REQUIRE(paths.labels.size() == 33);
    for (int i = 0; i < 33; ++i) {
        INFO("path " << i);
        CHECK(paths.labels[std::size_t(i)] == i / 3);
        CHECK(paths.paths.row(i).cwiseAbs().maxCoeff() > 0);
        CHECK(paths.paths.row(i).allFinite());
    }
    GeneratedRehearsalMaker maker(6, 11, 3);
    maker.render(10);
    const PathRehearsal made = maker.take_paths();  // renders the rest
    CHECK(made.paths == paths.paths);
    CHECK(made.labels == paths.labels);
    CHECK(maker.take().features == make_generated_rehearsal(6, 11, 3).features);
    CHECK(make_generated_path_rehearsal(6, 11, 4).paths != paths.paths);
}

TEST_CASE("a path rehearsal that does not fit is refused with what is wrong, and the model is left as it was",
          "[finetune][pen_path]") {
    Finetuner finetuner(random_rehearsal());
    PathRehearsal uneven;
    uneven.paths = Matrix::Zero(3, kTrajectoryFeatures);
    uneven.labels = {1, 2};
    CHECK(error_message([&] { finetuner.set_path_rehearsal(uneven); }) ==
          "path rehearsal: 3 paths, 2 labels, pen-path learning rate 0.020000; expected at least one path, a label "
          "a path, none negative, and a positive learning rate");
    CHECK(error_message([&] { finetuner.set_path_rehearsal(PathRehearsal{}); }).find("0 paths, 0 labels") !=
          std::string::npos);
    uneven.labels = {1, -2, 3};
    CHECK(error_message([&] { finetuner.set_path_rehearsal(uneven); }).find("3 labels (one negative)") !=
          std::string::npos);
    FinetuneOptions no_rate;
    no_rate.path_learning_rate = 0;
    Finetuner without_rate(random_rehearsal(), no_rate);
    uneven.labels = {1, 2, 3};
    CHECK(error_message([&] { without_rate.set_path_rehearsal(uneven); }).find("pen-path learning rate 0.000000") !=
          std::string::npos);

    // Paths of another width than the model's pen-path network reads.
    Model model;
    model.network = Network({784, 16, 10}, Activation::relu, 3);
    PenPathNetwork& pen = model.pen_path.emplace();
    pen.network = Network({kTrajectoryFeatures, 8, 10}, Activation::relu, 4);
    pen.pixel_weight = 0.6f;
    PathRehearsal narrow;
    narrow.paths = Matrix::Zero(2, 10);
    narrow.labels = {0, 1};
    finetuner.set_path_rehearsal(narrow);
    const Model before = model;
    const Matrix drawing = random_matrix(1, 784, 5).cwiseAbs().cwiseMin(1.0f);
    const Trajectory path{};
    CHECK(error_message([&] { finetuner.learn(model, drawing.data(), 3, 1, path.data()); }) ==
          "path rehearsal: paths of 10 features, labels up to 1; the model's pen-path network has 2 layers, 246 "
          "inputs and 10 classes; it learns from paths of its 246 inputs with labels below 10, and needs two "
          "layers or more (a rehearsal made for another model?)");
    CHECK(serialize_model(model) == serialize_model(before));
}

TEST_CASE("the generated rehearsal sample holds per_class drawings of each class, in class order, the same for a seed",
          "[finetune][generated]") {
    const Dataset sample = make_generated_rehearsal(6, 11, 3);
    REQUIRE(sample.size() == 66);
    REQUIRE(sample.feature_count() == 784);
    CHECK(sample.classes == 11);
    for (int i = 0; i < sample.size(); ++i) {
        INFO("sample " << i);
        CHECK(sample.labels[std::size_t(i)] == i / 6);
        CHECK(sample.features.row(i).minCoeff() >= 0.0f);
        CHECK(sample.features.row(i).maxCoeff() <= 1.0f);
        CHECK(sample.features.row(i).maxCoeff() >= 0.5f);  // something is drawn
    }
    const Dataset again = make_generated_rehearsal(6, 11, 3);
    CHECK(again.features == sample.features);
    CHECK(again.labels == sample.labels);
    CHECK(make_generated_rehearsal(6, 11, 4).features != sample.features);
    const Dataset digits = make_generated_rehearsal(2, 10, 3);
    CHECK(digits.size() == 20);
    CHECK(digits.labels.back() == 9);
    CHECK(digits.classes == 10);
    CHECK(error_message([] { make_generated_rehearsal(0, 10, 1); }) ==
          "generated rehearsal sample: 0 per class of 10 classes; expected at least 1 per class of 10 (digits) or 11 "
          "(digits and not a digit)");
    CHECK(error_message([] { make_generated_rehearsal(5, 12, 1); }).find("5 per class of 12 classes") !=
          std::string::npos);
}

TEST_CASE("the generated rehearsal sample made a few samples at a time is the same sample", "[finetune][generated]") {
    const Dataset whole = make_generated_rehearsal(6, 11, 3);
    GeneratedRehearsalMaker maker(6, 11, 3);
    CHECK(maker.name() == whole.name);
    CHECK_FALSE(maker.done());
    int steps = 1;
    while (!maker.render(7)) ++steps;
    CHECK(steps == 10);  // 66 samples, 7 at a time
    CHECK(maker.done());
    const Dataset sample = maker.take();
    CHECK(sample.features == whole.features);
    CHECK(sample.labels == whole.labels);
    CHECK(sample.classes == 11);
    CHECK(sample.name == whole.name);

    GeneratedRehearsalMaker unfinished(2, 10, 5);
    unfinished.render(3);
    CHECK(unfinished.take().features == make_generated_rehearsal(2, 10, 5).features);  // renders the rest
    CHECK(error_message([] { GeneratedRehearsalMaker(0, 10, 1); }) ==
          "generated rehearsal sample: 0 per class of 10 classes; expected at least 1 per class of 10 (digits) or 11 "
          "(digits and not a digit)");
}

TEST_CASE("the shipped model reads the generated sample's digits as their digits and its non-digits as no digit",
          "[finetune][generated]") {
    const Model model = load_model(kModel);
    const Dataset sample =
        make_generated_rehearsal(kGeneratedRehearsalPerClass, model.network.classes(), kGeneratedRehearsalSeed);
    int digits_right = 0, digits = 0, rejected = 0, nondigits = 0;
    for (int i = 0; i < sample.size(); ++i) {
        DigitImage image;
        image.empty = false;
        std::copy(sample.features.row(i).data(), sample.features.row(i).data() + kDigitPixels, image.pixels.begin());
        const DigitPrediction reading = classify_digit_image(model, image);
        const int label = sample.labels[std::size_t(i)];
        if (label < kDigitClasses) {
            ++digits;
            digits_right += reading.is_digit && reading.digit == label;
        } else {
            ++nondigits;
            rejected += !reading.is_digit;
        }
    }
    WARN("the shipped model reads " << digits_right << " of " << digits << " generated digits right and rejects "
                                    << rejected << " of " << nondigits << " generated non-digits");
    // Measured with the shipped model: 576 of 600 digits (96%) and 59 of 60 non-digits; asserted a little below.
    CHECK(digits_right >= 0.93 * digits);
    CHECK(rejected >= 0.9 * nondigits);
}

TEST_CASE("fine-tuning with the generated sample makes a misread MNIST digit read right and keeps held-out "
          "accuracy within 0.5 points",
          "[finetune][generated]") {
    INFO("MNIST folder: " << mnist_dir() << " (set FCNET_MNIST_DIR to change it)");
    REQUIRE(has_idx_dataset(mnist_dir()));
    const LoadedData data = load_data(mnist_dir());
    Model model = load_model(kModel);
    Finetuner finetuner(
        make_generated_rehearsal(kGeneratedRehearsalPerClass, model.network.classes(), kGeneratedRehearsalSeed));

    const int misread = first_misread_before_held_out(model.network, data.test);
    REQUIRE(misread < kHeldOut);
    const int label = data.test.labels[std::size_t(misread)];
    const double before = accuracy_on(model.network, data.test, kHeldOut, kHeldOutCount);
    finetuner.learn(model, data.test.features.row(misread).data(), label, 1);

    CHECK(model.network.predict_class(data.test.features.row(misread))[0] == label);
    const double after = accuracy_on(model.network, data.test, kHeldOut, kHeldOutCount);
    // Measured: 98.90% -> 99.00% on the 2000 held-out digits (the MNIST sample above: 98.90% -> 98.95%).
    WARN("generated rehearsal: test digit " << misread << " (a " << label << ") learned; held-out accuracy "
                                            << 100 * before << "% -> " << 100 * after << "%");
    CHECK(after >= before - 0.005);
    CHECK(corrections(model) == 1);
}

TEST_CASE("with a forgetting budget of 0.02, a deliberately wrong label costs held-out MNIST at most 5 points, "
          "under two thirds of what it costs without one",
          "[finetune][generated]") {
    REQUIRE(has_idx_dataset(mnist_dir()));
    const LoadedData data = load_data(mnist_dir());
    const Model shipped = load_model(kModel);
    const Dataset sample =
        make_generated_rehearsal(kGeneratedRehearsalPerClass, shipped.network.classes(), kGeneratedRehearsalSeed);
    // The first test 0 the model reads right, taught as a 1: without a budget, the whole class of
    // 0s follows it (the benchmark's "a 0 learned as 1": MNIST 98.4% -> 90.5%).
    int zero = 0;
    while (data.test.labels[std::size_t(zero)] != 0 ||
           shipped.network.predict_class(data.test.features.row(zero))[0] != 0) {
        ++zero;
    }
    REQUIRE(zero < kHeldOut);
    const double before = accuracy_on(shipped.network, data.test, kHeldOut, kHeldOutCount);
    const auto taught = [&](float budget, FinetuneResult& result) {
        FinetuneOptions options;
        options.forgetting_budget = budget;
        Finetuner finetuner(sample, options);
        Model model = shipped;
        result = finetuner.learn(model, data.test.features.row(zero).data(), 1, 1);
        return accuracy_on(model.network, data.test, kHeldOut, kHeldOutCount);
    };
    FinetuneResult budgeted, unbudgeted;
    const double with_budget = taught(0.02f, budgeted);
    const double without = taught(1.0f, unbudgeted);
    WARN("a 0 (test digit " << zero << ") taught as 1: held-out accuracy " << 100 * before << "% -> "
                            << 100 * with_budget << "% with a budget of 0.02, " << 100 * without << "% without");
    // The budget counts the generated rehearsal sample, not MNIST, so MNIST's 0s pay more than 2%.
    // Measured, four-network model: 98.85% -> 94.3% with a budget of 0.02, 88.85% without (the
    // three-network model before it: 98.9%, 94.45% and 90.2%).
    CHECK(with_budget >= before - 0.05);
    CHECK(budgeted.over_budget);
    CHECK_FALSE(unbudgeted.over_budget);
    CHECK(before - without > 1.5 * (before - with_budget));
}

namespace {

// The module test's straight vertical bar (web/tests/embed-support.mjs drawnOne): a 112 x 112 gray
// image, white on black, read as the app reads it. The shipped model reads it as a 1.
DigitImage vertical_bar() {
    std::vector<float> gray(112 * 112, 0.0f);
    for (int y = 22; y < 89; ++y) {
        for (int x = 51; x < 60; ++x) gray[std::size_t(y * 112 + x)] = 1.0f;
    }
    return preprocess_drawing(gray.data(), 112, 112);
}

}  // namespace

TEST_CASE("a vertical bar learned as not a digit is rejected after one correction, with the default 1024 rehearsal "
          "rows or 128 with a share of 0.11, and a second correction keeps it rejected; with a forgetting budget of "
          "0.02 it stops before forgetting 2% of the sample, which it forgets without one",
          "[finetune][generated]") {
    const Model shipped = load_model(kModel);
    const DigitImage bar = vertical_bar();
    REQUIRE(classify_digit_image(shipped, bar).is_digit);
    REQUIRE(classify_digit_image(shipped, bar).digit == 1);
    const Dataset sample =
        make_generated_rehearsal(kGeneratedRehearsalPerClass, shipped.network.classes(), kGeneratedRehearsalSeed);
    FinetuneOptions fewer_rows;
    fewer_rows.rehearsal_rows = 128;
    fewer_rows.drawing_share = 0.11f;  // the drawing's share of the loss with 128 unweighted rows
    for (const FinetuneOptions& options : {FinetuneOptions{}, fewer_rows}) {
        INFO(options.rehearsal_rows << " rehearsal rows, drawing share " << options.drawing_share);
        Finetuner finetuner(sample, options);
        Model model = shipped;
        const FinetuneResult first = finetuner.learn(model, bar.pixels.data(), kDigitClasses, 1);
        CHECK(first.read_as_label);
        const DigitPrediction once = classify_digit_image(model, bar);
        CHECK_FALSE(once.is_digit);
        CHECK(once.confidence <= rejection_threshold(model) - kRejectionMargin + 1e-4f);
        finetuner.learn(model, bar.pixels.data(), kDigitClasses, 2);
        const DigitPrediction twice = classify_digit_image(model, bar);
        CHECK_FALSE(twice.is_digit);
        CHECK(twice.confidence <= once.confidence);
    }
    // A straight bar is what the sample's 1s look like: rejecting it forgets some of them. (The
    // two-network model took a step within the budget; the three- and four-network ones stop at
    // their first: 0 of 660 rows forgotten, 35 without a budget.)
    const auto forgotten = [&](const Model& model) {
        int count = 0;
        for (Eigen::Index r = 0; r < sample.size(); ++r) {
            const int label = sample.labels[std::size_t(r)];
            count += shipped.network.predict_class(sample.features.row(r))[0] == label &&
                     model.network.predict_class(sample.features.row(r))[0] != label;
        }
        return count;
    };
    // The weights learning: with feature scales and shifts (the default) the bar forgets 8 rows,
    // fewer than the budget allows.
    const int allowed = static_cast<int>(0.02f * static_cast<float>(sample.size()));
    FinetuneOptions weights;
    weights.update = FinetuneUpdate::weights;
    FinetuneOptions budgeted = weights;
    budgeted.forgetting_budget = 0.02f;
    Model model = shipped;
    CHECK(Finetuner(sample, budgeted).learn(model, bar.pixels.data(), kDigitClasses, 1).over_budget);
    CHECK(forgotten(model) <= allowed);
    Model unbudgeted = shipped;
    CHECK_FALSE(Finetuner(sample, weights).learn(unbudgeted, bar.pixels.data(), kDigitClasses, 1).over_budget);
    WARN("the bar learned as not a digit: " << forgotten(model) << " of " << sample.size()
                                            << " sample rows forgotten with a budget of 0.02, "
                                            << forgotten(unbudgeted) << " without");
    CHECK(forgotten(unbudgeted) > allowed);
}

TEST_CASE("one step moves a misread digit as far with 1024 rehearsal rows as with 128 at the same drawing share, "
          "and further with a larger share",
          "[finetune][generated]") {
    REQUIRE(has_idx_dataset(mnist_dir()));
    const LoadedData data = load_data(mnist_dir());
    const Model shipped = load_model(kModel);
    const Dataset sample =
        make_generated_rehearsal(kGeneratedRehearsalPerClass, shipped.network.classes(), kGeneratedRehearsalSeed);
    const int misread = first_misread_before_held_out(shipped.network, data.test);
    REQUIRE(misread < kHeldOut);
    const int label = data.test.labels[std::size_t(misread)];
    const Matrix digit = data.test.features.row(misread);
    // The label's log-odds, log(p / (1 - p)): a step moves them in proportion to its pull, where
    // p itself saturates near 1.
    const auto log_odds = [&](const Model& model) {
        const float p = model.network.predict(digit)(0, label);
        return std::log(p / (1.0f - p));
    };
    const float before = log_odds(shipped);
    // The label's log-odds gained by one SGD step with these rehearsal rows and drawing share.
    const auto gain = [&](int rows, float share) {
        FinetuneOptions options;
        options.update = FinetuneUpdate::weights;  // a feature step's gain saturates p at 1 with share 0.11
        options.rehearsal_rows = rows;
        options.drawing_share = share;
        options.max_steps = 1;
        Finetuner finetuner(sample, options);
        Model model = shipped;
        finetuner.learn(model, digit.data(), label, 1);
        return log_odds(model) - before;
    };
    const float few = gain(128, 0.03f), many = gain(1024, 0.03f), stronger = gain(1024, 0.11f);
    WARN("test digit " << misread << " (a " << label << "), log-odds " << before << ": one step gains " << few
                       << " with 128 rows, " << many << " with 1024 (share 0.03), " << stronger << " with share 0.11");
    CHECK(few > 0);
    CHECK(many == Approx(few).epsilon(0.2));
    CHECK(stronger > 2 * many);
}

TEST_CASE("a correction whose steps only move the drawing away from its label leaves the weights as they were",
          "[finetune]") {
    const Model shipped = load_model(kModel);
    const DigitImage bar = vertical_bar();
    // Rehearsal that pulls everything towards "1", weighed a hundred times the drawing's "not a digit".
    Dataset ones;
    ones.features = random_matrix(64, 784, 6).cwiseAbs().cwiseMin(1.0f);
    ones.labels.assign(64, 1);
    ones.name = "all ones";
    FinetuneOptions options;
    options.update = FinetuneUpdate::weights;
    options.rehearsal_rows = 64;
    options.drawing_share = 0.01f;
    options.learning_rate = 0.5f;
    options.max_steps = 5;
    Finetuner finetuner(ones, options);
    Model model = shipped;
    const FinetuneResult result = finetuner.learn(model, bar.pixels.data(), kDigitClasses, 1);
    CHECK(result.steps == 5);
    CHECK_FALSE(result.read_as_label);
    CHECK(model.network.layers().back().weights == shipped.network.layers().back().weights);
    CHECK(model.network.layers().back().bias == shipped.network.layers().back().bias);
    CHECK(classify_digit_image(model, bar).confidence == classify_digit_image(shipped, bar).confidence);
    CHECK(corrections(model) == 1);
}

TEST_CASE("a fine-tuned model exports and imports bit for bit, its corrections counted", "[finetune]") {
    Model model;
    model.network = Network({784, 32, 16, 10}, Activation::relu, 3);
    Dataset rehearsal;
    rehearsal.features = random_matrix(20, 784, 4).cwiseAbs().cwiseMin(1.0f);
    for (int i = 0; i < 20; ++i) rehearsal.labels.push_back(i % 10);
    rehearsal.classes = 10;
    Finetuner finetuner(rehearsal);
    const Matrix drawing = random_matrix(1, 784, 5).cwiseAbs().cwiseMin(1.0f);
    finetuner.learn(model, drawing.data(), 7, 1);
    finetuner.learn(model, drawing.data(), 7, 2);
    REQUIRE(corrections(model) == 2);

    const std::vector<std::uint8_t> exported = serialize_model(model);
    const Model imported = deserialize_model(exported.data(), exported.size(), "exported");
    CHECK(serialize_model(imported) == exported);
    CHECK(corrections(imported) == 2);
    for (std::size_t l = 0; l < model.network.layers().size(); ++l) {
        CHECK(imported.network.layers()[l].weights == model.network.layers()[l].weights);
        CHECK(imported.network.layers()[l].bias == model.network.layers()[l].bias);
    }

    const std::vector<std::uint8_t> stored = serialize_model(model, ModelCompression::none);
    const Model unpacked = deserialize_model(stored.data(), stored.size(), "stored");
    CHECK(serialize_model(unpacked, ModelCompression::none) == stored);
    CHECK(serialize_model(unpacked) == exported);

    std::vector<std::uint8_t> corrupt = stored;
    corrupt[corrupt.size() / 2] ^= 0x40;
    CHECK(error_message([&] { deserialize_model(corrupt.data(), corrupt.size(), "stored model"); })
              .rfind("stored model: ", 0) == 0);
}

TEST_CASE("a float16 or int8 model stores float32 weights from its first correction on", "[finetune][int8]") {
    for (const WeightStorage storage : {WeightStorage::float16, WeightStorage::int8}) {
        INFO(weight_storage_name(storage));
        Model shipped;
        shipped.network = Network({784, 32, 10}, Activation::relu, 3);
        store_weights_as(shipped, storage);
        Finetuner finetuner(random_rehearsal());
        const Matrix drawing = random_matrix(1, 784, 5).cwiseAbs().cwiseMin(1.0f);
        Model model = shipped;
        finetuner.learn(model, drawing.data(), 3, 9);
        CHECK(model.weight_storage == WeightStorage::float32);  // rounding again would undo the small steps

        const std::vector<std::uint8_t> exported = serialize_model(model, ModelCompression::none);
        const Model imported = deserialize_model(exported.data(), exported.size(), "exported");
        CHECK(imported.network.layers()[0].weights == shipped.network.layers()[0].weights);  // frozen: as shipped
        CHECK(imported.network.layers()[1].weights == model.network.layers()[1].weights);    // the correction, exactly
        CHECK(imported.network.layers()[1].weights != shipped.network.layers()[1].weights);
    }
}

TEST_CASE("only the output layer learns by default, and the same seed gives the same model", "[finetune]") {
    Model model;
    model.network = Network({784, 32, 10}, Activation::relu, 3);
    Finetuner finetuner(random_rehearsal());
    const Matrix drawing = random_matrix(1, 784, 5).cwiseAbs().cwiseMin(1.0f);
    Model again = model;
    finetuner.learn(model, drawing.data(), 3, 9);
    finetuner.learn(again, drawing.data(), 3, 9);
    CHECK(model.network.layers()[0].weights == Network({784, 32, 10}, Activation::relu, 3).layers()[0].weights);
    CHECK(model.network.layers()[1].weights == again.network.layers()[1].weights);
    CHECK(model.network.layers()[1].weights != Network({784, 32, 10}, Activation::relu, 3).layers()[1].weights);
}

TEST_CASE("the gradient of a feature scale and shift matches the loss's finite differences", "[finetune]") {
    // One layer 6 -> 4 with weights diag(scale) w0 and bias b0 + shift w0, on 5 samples.
    const Matrix w0 = random_matrix(6, 4, 1), input = random_matrix(5, 6, 2);
    const RowVector b0 = random_matrix(1, 4, 3);
    const int labels[5] = {0, 3, 1, 2, 3};
    RowVector scale = RowVector::Ones(6) + 0.3f * RowVector(random_matrix(1, 6, 4)), shift = random_matrix(1, 6, 5);
    const auto layer_for = [&](const RowVector& s, const RowVector& t) {
        Network network({6, 4}, Activation::relu, 1);
        DenseLayer& layer = network.layers()[0];
        layer.weights = w0.array().colwise() * s.transpose().array();
        layer.bias = b0 + t * w0;
        return network;
    };
    Backprop backprop;
    backprop.compute(layer_for(scale, shift), input, labels);
    RowVector d_scale, d_shift;
    feature_scale_shift_gradient(w0, backprop.gradients()[0], d_scale, d_shift);
    const float h = 1e-2f;
    for (int i = 0; i < 6; ++i) {
        RowVector up = scale, down = scale;
        up(i) += h, down(i) -= h;
        const double numeric_scale = (Backprop().compute(layer_for(up, shift), input, labels) -
                                      Backprop().compute(layer_for(down, shift), input, labels)) / (2 * h);
        CHECK(d_scale(i) == Approx(numeric_scale).margin(2e-3));
        up = shift, down = shift;
        up(i) += h, down(i) -= h;
        const double numeric_shift = (Backprop().compute(layer_for(scale, up), input, labels) -
                                      Backprop().compute(layer_for(scale, down), input, labels)) / (2 * h);
        CHECK(d_shift(i) == Approx(numeric_shift).margin(2e-3));
    }
}

TEST_CASE("a correction by feature scales leaves each output weight row a multiple of the row before", "[finetune]") {
    Model model;
    model.network = Network({784, 32, 10}, Activation::relu, 3);
    const Matrix before = model.network.layers()[1].weights;  // 32 x 10
    const Matrix drawing = random_matrix(1, 784, 5).cwiseAbs().cwiseMin(1.0f);
    FinetuneOptions options;
    options.rehearsal_rows = 0;  // the drawing alone: this random network's rehearsal pulls as hard the other way
    const FinetuneResult result = Finetuner(random_rehearsal(), options).learn(model, drawing.data(), 3, 9);
    REQUIRE(result.read_as_label);
    REQUIRE(result.steps <= options.max_steps);  // the feature steps alone, no weight steps after
    const Matrix& after = model.network.layers()[1].weights;
    CHECK(after != before);
    for (Eigen::Index i = 0; i < before.rows(); ++i) {
        // row i = scale_i x row i before: the ratios of a row's entries to the ones before are all alike
        const float ratio = after(i, 0) / before(i, 0);
        for (Eigen::Index j = 1; j < before.cols(); ++j) CHECK(after(i, j) == Approx(ratio * before(i, j)).margin(1e-6));
    }
    FinetuneOptions two_layers;
    two_layers.trained_layers = 2;
    CHECK_THROWS_WITH(Finetuner(random_rehearsal(), two_layers), Catch::Contains("one trained layer when feature scales learn"));
    two_layers.update = FinetuneUpdate::weights;
    CHECK_NOTHROW(Finetuner(random_rehearsal(), two_layers));
}

TEST_CASE("fine-tuning refuses labels the model lacks and counters that are not numbers", "[finetune]") {
    Model model;
    model.network = Network({784, 16, 10}, Activation::relu, 3);
    Dataset rehearsal;
    rehearsal.features = Matrix::Zero(2, 784);
    rehearsal.labels = {0, 10};
    rehearsal.name = "two samples";
    Finetuner finetuner(rehearsal);
    const std::vector<float> drawing(784, 0.5f);
    CHECK(error_message([&] { finetuner.learn(model, drawing.data(), 10, 1); }) ==
          "fine-tuning: label 10 is not a class of the model (0 to 9)");
    CHECK(error_message([&] { finetuner.learn(model, drawing.data(), 1, 1); }) ==
          "two samples: holds label 10 but the model has 10 classes");
    model.metadata[kCorrectionsKey] = "many";
    CHECK(error_message([&] { corrections(model); }) ==
          "the model's metadata corrections is \"many\"; expected a whole number of corrections");
    CHECK(error_message([&] { Finetuner(Dataset{}); }).find("at least one 28x28 sample") != std::string::npos);
    FinetuneOptions no_share;
    no_share.drawing_share = 0;
    CHECK(error_message([&] { Finetuner(rehearsal, no_share); }).find("drawing share 0.000000") != std::string::npos);
}

TEST_CASE("rehearsal files round-trip to 1/255 and refuse corrupt bytes", "[finetune][rehearsal]") {
    Dataset sample;
    sample.features = random_matrix(30, 784, 8).cwiseAbs().cwiseMin(1.0f);
    for (int i = 0; i < 30; ++i) sample.labels.push_back(i % 11);
    sample.classes = 11;
    const std::vector<std::uint8_t> bytes = serialize_rehearsal(sample);
    const RehearsalSample read = deserialize_rehearsal(bytes.data(), bytes.size(), "sample.rehearsal");
    CHECK(read.images.labels == sample.labels);
    CHECK(read.images.classes == 11);
    CHECK((read.images.features - sample.features).cwiseAbs().maxCoeff() <= 0.5f / 255 + 1e-6f);
    CHECK(read.paths.labels.empty());
    CHECK(read.paths.paths.size() == 0);
    CHECK(serialize_rehearsal(read.images) == bytes);

    std::vector<std::uint8_t> corrupt = bytes;
    corrupt[bytes.size() - 10] ^= 0x01;
    CHECK(error_message([&] { deserialize_rehearsal(corrupt.data(), corrupt.size(), "sample.rehearsal"); })
              .rfind("sample.rehearsal: ", 0) == 0);
    CHECK(error_message([&] { deserialize_rehearsal(bytes.data(), 20, "short"); }) ==
          "short: not a rehearsal file: 20 bytes, shorter than its header");
    CHECK(error_message([&] { deserialize_rehearsal(bytes.data(), bytes.size() - 1, "cut"); })
              .find("cut: the header declares") == 0);
    // A header that declares more samples than its compressed bytes can hold is refused before
    // anything that size is allocated (100,000 samples: 78.5 MB).
    std::vector<std::uint8_t> inflated = bytes;
    inflated[12] = 0xa0, inflated[13] = 0x86, inflated[14] = 0x01, inflated[15] = 0x00;  // samples: 100000
    CHECK(error_message([&] { deserialize_rehearsal(inflated.data(), inflated.size(), "big"); })
              .find("big: the header declares 78500000 bytes of samples, more than its") == 0);

    // Version 1 (no pen paths, a 32-byte header) still reads: the same bytes without the two path counts.
    std::vector<std::uint8_t> version1(bytes.size() - 8);
    std::copy(bytes.begin(), bytes.begin() + 24, version1.begin());
    std::copy(bytes.begin() + 32, bytes.end(), version1.begin() + 24);
    version1[8] = 1;
    const RehearsalSample old = deserialize_rehearsal(version1.data(), version1.size(), "v1.rehearsal");
    CHECK(old.images.labels == sample.labels);
    CHECK(old.images.features == read.images.features);
    CHECK(old.paths.labels.empty());
    version1[8] = 3;
    CHECK(error_message([&] { deserialize_rehearsal(version1.data(), version1.size(), "v3"); }) ==
          "v3: unsupported rehearsal format version 3 (this build reads 1 and 2)");
}

TEST_CASE("rehearsal files keep pen paths to 1/127", "[finetune][rehearsal]") {
    Dataset sample;
    sample.features = random_matrix(4, 784, 3).cwiseAbs().cwiseMin(1.0f);
    sample.labels = {0, 1, 2, 3};
    sample.classes = 11;
    PathRehearsal paths;  // 5 paths of 7 features in [-1, 1], and the ends exactly
    paths.paths = random_matrix(5, 7, 4).cwiseMax(-1.0f).cwiseMin(1.0f);
    paths.paths(0, 0) = -1, paths.paths(0, 1) = 0, paths.paths(0, 2) = 1;
    paths.labels = {10, 9, 0, 4, 10};
    const std::vector<std::uint8_t> bytes = serialize_rehearsal(sample, paths);
    const RehearsalSample read = deserialize_rehearsal(bytes.data(), bytes.size(), "paths.rehearsal");
    CHECK(read.paths.labels == paths.labels);
    REQUIRE(read.paths.paths.rows() == 5);
    REQUIRE(read.paths.paths.cols() == 7);
    CHECK((read.paths.paths - paths.paths).cwiseAbs().maxCoeff() <= 0.5f / 127 + 1e-6f);
    CHECK(read.paths.paths(0, 0) == -1.0f);
    CHECK(read.paths.paths(0, 1) == 0.0f);
    CHECK(read.paths.paths(0, 2) == 1.0f);
    CHECK(read.images.labels == sample.labels);
    CHECK(serialize_rehearsal(read.images, read.paths) == bytes);

    // Paths and labels that do not match, and a label no byte holds, are refused when saving.
    PathRehearsal unmatched = paths;
    unmatched.labels.pop_back();
    CHECK(error_message([&] { serialize_rehearsal(sample, unmatched); })
              .find("5 pen paths of 7 features with 4 labels") != std::string::npos);
    PathRehearsal too_large = paths;
    too_large.labels[0] = 256;
    CHECK(error_message([&] { serialize_rehearsal(sample, too_large); }).find("label 256 is not a byte") !=
          std::string::npos);
    // Header counts out of range, a path label beyond the declared classes.
    std::vector<std::uint8_t> wide = bytes;
    wide[28] = 0x01, wide[29] = 0x04;  // features per path: 1025
    CHECK(error_message([&] { deserialize_rehearsal(wide.data(), wide.size(), "wide"); }) ==
          "wide: 5 pen paths of 1025 features; expected none, or up to 100000 of 1 to 1024");
    std::vector<std::uint8_t> few_classes = bytes;
    few_classes[16] = 10;  // classes: 10, but the paths hold label 10
    CHECK(error_message([&] { deserialize_rehearsal(few_classes.data(), few_classes.size(), "classes"); }) ==
          "classes: pen path 0 has label 10 but the header declares 10 classes");
}

TEST_CASE("fcnet finetune learns a folder of drawings with the same algorithm", "[finetune][cli]") {
    REQUIRE(has_idx_dataset(mnist_dir()));
    const LoadedData data = load_data(mnist_dir());
    const Model shipped = load_model(kModel);
    const std::string dir = make_temp_dir();
    save_rehearsal(dir + "/rehearsal.bin", rehearsal_for(data.train, shipped.network.classes()));
    // The first test digit the shipped model misreads, in its label's folder.
    const std::vector<int> predicted = shipped.network.predict_class(data.test.features.topRows(kHeldOut));
    int misread = 0;
    while (predicted[std::size_t(misread)] == data.test.labels[std::size_t(misread)]) ++misread;
    const std::string label = std::to_string(data.test.labels[std::size_t(misread)]);
    std::filesystem::create_directories(dir + "/drawings/" + label);
    write_file(dir + "/drawings/" + label + "/001.bmp", bmp_of(data.test.features.row(misread).data()));

    const CommandResult learned = run_command(std::string(FCNET_CLI_PATH) + " finetune --model " + kModel +
                                              " --data " + dir + "/drawings --rehearsal " + dir +
                                              "/rehearsal.bin --all --out " + dir + "/mine.fcnet");
    INFO(learned.output);
    REQUIRE(learned.exit_code == 0);
    CHECK(learned.output.find(", learned as " + label + "\n") != std::string::npos);
    const Model mine = load_model(dir + "/mine.fcnet");
    CHECK(corrections(mine) == 1);
    const DigitImage image = preprocess_drawing(data.test.features.row(misread).data(), 28, 28);
    CHECK(classify_digit_image(mine, image).digit == std::stoi(label));

    const CommandResult generated = run_command(std::string(FCNET_CLI_PATH) + " finetune --model " + kModel +
                                                " --data " + dir + "/drawings --all --out " + dir + "/generated.fcnet");
    INFO(generated.output);
    REQUIRE(generated.exit_code == 0);  // no --rehearsal: the generated sample
    CHECK(classify_digit_image(load_model(dir + "/generated.fcnet"), image).digit == std::stoi(label));

    const CommandResult missing = run_command(std::string(FCNET_CLI_PATH) + " finetune --model " + kModel +
                                              " --data " + dir + "/none --rehearsal " + dir +
                                              "/rehearsal.bin --out " + dir + "/x.fcnet");
    CHECK(missing.exit_code == 1);
    CHECK(missing.output.find(dir + "/none: not a folder") != std::string::npos);
}
