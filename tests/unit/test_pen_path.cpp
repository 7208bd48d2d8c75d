// Tests for the pen-path network: its training data (data/pen_path_training.h) and how a model mixes it in (preprocess/stroke_reading.h).
#include <catch2/catch.hpp>

#include <Eigen/Core>
#include <cmath>

#include "core/error.h"
#include "core/loss.h"
#include "data/pen_path_training.h"
#include "preprocess/digit_prediction.h"
#include "preprocess/stroke_reading.h"
#include "preprocess/trajectory.h"

using namespace fcnet;

namespace {

// A one-layer (linear) network of `inputs` -> 11 whose weights are zero: its logits are its biases.
Network constant_network(int inputs, float first_bias, float temperature) {
    Network network({inputs, kDigitClasses + 1}, Activation::identity, 1);
    network.layers()[0].weights.setZero();
    for (int c = 0; c <= kDigitClasses; ++c) network.layers()[0].bias[c] = first_bias + static_cast<float>(c);
    network.temperature = temperature;
    return network;
}

HandwrittenCharacter character(const std::string& writer, const std::string& label, std::vector<Polyline> strokes) {
    HandwrittenCharacter c;
    c.strokes = std::move(strokes);
    c.label = label;
    c.set = StrokeSet::uji;
    c.writer = writer;  // uji/w01 to w07 train, w08 validation
    return c;
}

Polyline bar(float x) { return {{x, 0}, {x, 300}}; }
Polyline circle(float r) {
    Polyline line;
    for (int k = 0; k <= 24; ++k) {
        const float a = 6.2831853f * static_cast<float>(k) / 24;
        line.push_back({r * std::sin(a), -r * std::cos(a)});
    }
    return line;
}
Polyline zigzag(float h) { return {{0, 0}, {60, h}, {120, 0}, {180, h}, {240, 0}}; }

// Bars are 1s, circles 0s, zigzags "W"s, by two training writers and the validation writer.
StrokeCollection bars_circles_zigzags() {
    StrokeCollection collection;
    for (const char* writer : {"uji/w01", "uji/w02", "uji/w08"}) {
        collection.characters.push_back(character(writer, "1", {bar(50)}));
        collection.characters.push_back(character(writer, "0", {circle(120)}));
        collection.characters.push_back(character(writer, "W", {zigzag(300)}));
    }
    return collection;
}

}  // namespace

TEST_CASE("strokes are read by the image alone, or by the image and the pen path mixed by the pixel weight", "[pen_path]") {
    Model model;
    model.network = constant_network(kDigitPixels, 1.0f, 2.0f);  // z_c = 1 + c, T = 2
    model.metadata["reject_confidence"] = "0.3";
    const Matrix images = Matrix::Zero(3, kDigitPixels);
    const Matrix paths = Matrix::Zero(3, kTrajectoryFeatures);

    const Matrix alone = stroke_logits(model, images, paths);  // 3 x 11
    for (int c = 0; c <= kDigitClasses; ++c) CHECK(alone(2, c) == Approx((1.0f + c) / 2));
    CHECK(stroke_threshold(model) == 0.3f);

    PenPathNetwork& pen = model.pen_path.emplace();
    pen.network = constant_network(kTrajectoryFeatures, -4.0f, 4.0f);  // z_path_c = c - 4, T_path = 4
    pen.pixel_weight = 0.25f;
    pen.reject_confidence = 0.6f;
    const Matrix mixed = stroke_logits(model, images, paths);
    for (int c = 0; c <= kDigitClasses; ++c) CHECK(mixed(0, c) == Approx(0.25f * (1.0f + c) / 2 + 0.75f * (c - 4.0f) / 4));
    CHECK(stroke_threshold(model) == 0.6f);

    CHECK_THROWS_WITH(stroke_logits(model, images, Matrix::Zero(2, kTrajectoryFeatures)),
                      Catch::Contains("2 x 246 path features for 3 images"));
    CHECK_THROWS_WITH(stroke_logits(model, Matrix::Zero(3, 10), paths), Catch::Contains("images of 10 pixels"));
}

TEST_CASE("pen paths are drawn the same whatever the thread count, and each drawing of a character differs", "[pen_path]") {
    const StrokeCollection collection = bars_circles_zigzags();
    const std::vector<PenPathCharacter> characters = pen_path_characters(collection, StrokePart::train);
    REQUIRE(characters.size() == 6);  // two training writers' 1, 0 and W
    CHECK(characters[2].label == kDigitClasses);  // a letter: not a digit
    CHECK(pen_path_characters(collection, StrokePart::validation).size() == 3);

    Matrix paths[2], images[2];
    std::vector<int> labels[2];
    for (int threads : {1, 2}) {
        Eigen::setNbThreads(threads);
        draw_pen_paths(characters, 3, 5, 0.5f, paths[threads - 1], &images[threads - 1], labels[threads - 1]);
    }
    CHECK(paths[0] == paths[1]);
    CHECK(images[0] == images[1]);
    CHECK(labels[0] == std::vector<int>{1, 1, 1, 0, 0, 0, 10, 10, 10, 1, 1, 1, 0, 0, 0, 10, 10, 10});
    CHECK(paths[0].row(0) != paths[0].row(1));  // other jitter, and maybe drawn backwards
    CHECK(images[0].row(0).sum() > 10.0f);      // the app's image of the bar has ink
}

TEST_CASE("a pen-path network learns bars, circles and zigzags, and the threshold keeps 99% of the validation digits",
          "[pen_path]") {
    const StrokeCollection collection = bars_circles_zigzags();
    PenPathTraining options;
    options.hidden[0] = options.hidden[1] = 16;
    options.epochs = 8;
    options.renders = 40;
    options.letter_renders = 40;
    options.generated = 0;
    const Network network = train_pen_path(collection, options);
    CHECK(network.inputs() == kTrajectoryFeatures);
    CHECK(network.classes() == kDigitClasses + 1);
    CHECK(network.temperature > 0.0f);

    // The validation writer's characters, drawn anew, are read by their shape.
    Matrix paths;
    std::vector<int> labels;
    draw_pen_paths(pen_path_characters(collection, StrokePart::validation), 5, 99, 0.0f, paths, nullptr, labels);
    const Matrix logits = network.logits(paths);  // 15 x 11
    int right = 0;
    for (Eigen::Index r = 0; r < logits.rows(); ++r) {
        Eigen::Index best;
        logits.row(r).maxCoeff(&best);
        right += best == labels[static_cast<std::size_t>(r)];
    }
    CHECK(right >= 13);

    // With the image's weight 1 and an image network that cannot tell (all logits equal), every
    // digit scores 1/11: so does the threshold.
    Model model;
    model.network = constant_network(kDigitPixels, 0.0f, 1.0f);
    model.network.layers()[0].bias.setZero();
    model.pen_path = PenPathNetwork{network, 1.0f, 0.0f};
    CHECK(pen_path_threshold(model, collection, 7) == Approx(1.0f / 11));
    model.pen_path->pixel_weight = 0.5f;  // now the path network speaks: the bars and circles score higher
    CHECK(pen_path_threshold(model, collection, 7) > 1.0f / 11);

    StrokeCollection no_validation = collection;
    no_validation.characters.resize(6);
    CHECK_THROWS_AS(train_pen_path(no_validation, options), Error);
}

TEST_CASE("the app's classifier reads a drawing's image and path as stroke_logits does", "[pen_path]") {
    Model model;
    model.network = constant_network(kDigitPixels, 1.0f, 2.0f);
    model.class_names = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", kNotADigitClass};
    model.metadata["reject_confidence"] = "0.05";
    DigitImage image;
    image.empty = false;
    image.pixels[400] = 1.0f;
    const Trajectory path{};
    const DigitPrediction image_only = DigitClassifier(model).classify(image);

    DigitClassifier without(model);
    const DigitPrediction same = without.classify(image, path);  // no pen-path network: the image's reading
    CHECK(same.probabilities == image_only.probabilities);

    PenPathNetwork& pen = model.pen_path.emplace();
    pen.network = constant_network(kTrajectoryFeatures, 0.0f, 1.0f);
    for (int c = 0; c <= kDigitClasses; ++c) pen.network.layers()[0].bias[c] = c == 3 ? 6.0f : 0.0f;  // the path says 3
    pen.pixel_weight = 0.5f;
    pen.reject_confidence = 0.5f;
    DigitClassifier with(model);
    DigitPrediction raw;
    const DigitPrediction mixed = with.classify(image, path, &raw);
    Matrix expected = stroke_logits(model, Eigen::Map<const Matrix>(image.pixels.data(), 1, kDigitPixels),
                                    Eigen::Map<const Matrix>(path.data(), 1, kTrajectoryFeatures));  // 1 x 11
    softmax_rows(expected);
    for (int d = 0; d < kDigitClasses; ++d) CHECK(mixed.probabilities[d] == Approx(expected(0, d)).margin(1e-6));
    CHECK(mixed.digit == 3);
    CHECK(mixed.is_digit == (mixed.confidence >= 0.5f));
    CHECK(raw.digit == 3);
    CHECK(raw.is_digit == mixed.is_digit);
    CHECK(with.classify(image).probabilities == image_only.probabilities);  // an image alone: the image's reading
}
