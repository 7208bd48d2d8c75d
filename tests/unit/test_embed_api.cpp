// The embeddable module's C API (src/embed/embed_api.h), natively: errors come back as messages, info is valid JSON.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "embed/embed_api.h"
#include "data/generated_rehearsal.h"
#include "io/model_file.h"
#include "io/rehearsal_file.h"
#include "preprocess/digit_prediction.h"
#include "preprocess/stroke_drawing.h"
#include "preprocess/stroke_reading.h"
#include "support/test_support.h"

namespace {

// A small untrained digit model (784-16-10) with the given metadata and class names, as .fcnet bytes.
std::vector<std::uint8_t> digit_model_bytes(std::map<std::string, std::string> metadata = {},
                                            std::vector<int> sizes = {784, 16, 10},
                                            std::vector<std::string> class_names = {}) {
    fcnet::Model model;
    model.network = fcnet::Network(sizes, fcnet::Activation::relu, 7);
    model.metadata = std::move(metadata);
    model.class_names = std::move(class_names);
    return fcnet::serialize_model(model);
}

// A handle that fcnet_embed_create must accept; disposed by the caller.
fcnet_classifier* create(const std::vector<std::uint8_t>& bytes) {
    fcnet_classifier* classifier = nullptr;
    const char* error = fcnet_embed_create(bytes.data(), bytes.size(), "test.fcnet", &classifier);
    INFO((error ? error : ""));
    REQUIRE(error == nullptr);
    REQUIRE(classifier != nullptr);
    return classifier;
}

std::string create_error(const std::vector<std::uint8_t>& bytes) {
    fcnet_classifier* classifier = nullptr;
    const char* error = fcnet_embed_create(bytes.data(), bytes.size(), "test.fcnet", &classifier);
    CHECK(classifier == nullptr);
    return error ? error : "no error";
}

// A small untrained digit model (784-16-10) with a pen-path network (246-8-10) that weighs 0.4 of
// the mixed reading, as .fcnet bytes.
std::vector<std::uint8_t> pen_path_model_bytes() {
    fcnet::Model model;
    model.network = fcnet::Network({784, 16, 10}, fcnet::Activation::relu, 7);
    fcnet::PenPathNetwork& pen = model.pen_path.emplace();
    pen.network = fcnet::Network({fcnet::kTrajectoryFeatures, 8, 10}, fcnet::Activation::relu, 8);
    pen.pixel_weight = 0.6f;
    pen.reject_confidence = 0.2f;
    return fcnet::serialize_model(model);
}

// A drawing given as strokes, laid out as the C API takes it: x, y of every point, and each stroke's point count.
struct FlatStrokes {
    std::vector<float> xy;
    std::vector<int> points;
    int strokes() const { return static_cast<int>(points.size()); }
};

FlatStrokes flatten(const std::vector<fcnet::Polyline>& strokes) {
    FlatStrokes flat;
    for (const fcnet::Polyline& stroke : strokes) {
        for (const fcnet::CanvasPoint& p : stroke) flat.xy.insert(flat.xy.end(), {p.x, p.y});
        flat.points.push_back(static_cast<int>(stroke.size()));
    }
    return flat;
}

// A seven in canvas pixels: the bar and the stem in one stroke, then a cross stroke.
const std::vector<fcnet::Polyline> kSeven = {{{40, 40}, {120, 42}, {125, 44}, {90, 110}, {70, 160}}, {{60, 100}, {110, 98}}};

}  // namespace

TEST_CASE("a model that cannot be used gives a message naming the source and the problem", "[embed]") {
    CHECK_THAT(create_error({1, 2, 3}), Catch::StartsWith("test.fcnet: not an fcnet model file"));
    const std::vector<std::uint8_t> bytes = digit_model_bytes();
    CHECK_THAT(create_error({bytes.begin(), bytes.begin() + 40}), Catch::StartsWith("test.fcnet: "));
    CHECK_THAT(create_error(digit_model_bytes({}, {784, 8, 3})), Catch::Contains("a digit model takes 784"));
    CHECK_THAT(create_error(digit_model_bytes({{"reject_confidence", "high"}})),
               Catch::StartsWith("test.fcnet: ") && Catch::Contains("reject_confidence is \"high\""));
    fcnet_classifier* classifier = nullptr;
    CHECK_THAT(fcnet_embed_create(nullptr, 0, nullptr, &classifier), Catch::StartsWith("buffer: "));
    CHECK_THAT(fcnet_embed_create(bytes.data(), bytes.size(), nullptr, nullptr), Catch::Contains("null"));
}

TEST_CASE("classify checks the buffer against its declared size before reading it", "[embed]") {
    fcnet_classifier* classifier = create(digit_model_bytes());
    std::vector<std::uint8_t> pixels(28 * 28, 0);
    for (int y = 6; y < 22; ++y) pixels[y * 28 + 14] = 255;
    float result[FCNET_EMBED_RESULT_FLOATS];
    const auto classify = [&](std::size_t length, int width, int height, int channels, int polarity = 0) {
        const char* error = fcnet_embed_classify(classifier, pixels.data(), length, width, height, channels, polarity, result);
        return std::string(error ? error : "ok");
    };
    CHECK(classify(784, 28, 28, 1) == "ok");
    CHECK(classify(784, 28, 29, 1) == "image data holds 784 bytes; 28x29 pixels with 1 channels need 812");
    CHECK(classify(784, 28, 28, 4) == "image data holds 784 bytes; 28x28 pixels with 4 channels need 3136");
    CHECK(classify(784, 28, 28, 2) == "image has 2 channels; expected 1 (gray), 3 (RGB) or 4 (RGBA)");
    CHECK(classify(784, 0, 28, 1) == "image size 0x28: width and height must be positive");
    CHECK(classify(784, -28, -28, 1) == "image size -28x-28: width and height must be positive");
    CHECK(classify(784, 65536, 65536, 1) == "image data holds 784 bytes; 65536x65536 pixels with 1 channels need 4294967296");
    CHECK_THAT(classify(784, 28, 28, 1, 3), Catch::StartsWith("polarity 3; expected"));
    CHECK_THAT(fcnet_embed_classify(nullptr, pixels.data(), 784, 28, 28, 1, 0, result), Catch::Contains("null handle"));
    CHECK_THAT(fcnet_embed_classify(classifier, nullptr, 784, 28, 28, 1, 0, result), Catch::Contains("null"));
    fcnet_embed_dispose(classifier);
    fcnet_embed_dispose(nullptr);
}

TEST_CASE("classify fills the result layout with what DigitClassifier returns", "[embed]") {
    const std::vector<std::uint8_t> bytes = digit_model_bytes({{"reject_confidence", "0.5"}});
    const fcnet::Model model = fcnet::deserialize_model(bytes.data(), bytes.size(), "test");
    fcnet_classifier* classifier = create(bytes);
    std::vector<std::uint8_t> pixels(40 * 30 * 3, 0);
    for (int y = 5; y < 25; ++y) std::fill_n(&pixels[(y * 40 + 20) * 3], 6, std::uint8_t{255});
    float result[FCNET_EMBED_RESULT_FLOATS];
    REQUIRE(fcnet_embed_classify(classifier, pixels.data(), pixels.size(), 40, 30, 3, FCNET_EMBED_DETECT, result) == nullptr);
    const fcnet::DigitPrediction expected = fcnet::DigitClassifier(model).classify({pixels.data(), 40, 30, 3});
    CHECK(result[FCNET_EMBED_DIGIT] == float(expected.digit));
    CHECK(result[FCNET_EMBED_CONFIDENCE] == expected.confidence);
    CHECK(result[FCNET_EMBED_IS_DIGIT] == (expected.is_digit ? 1.0f : 0.0f));
    CHECK(result[FCNET_EMBED_EMPTY] == 0.0f);
    for (int i = 0; i < 10; ++i) CHECK(result[FCNET_EMBED_PROBABILITIES + i] == expected.probabilities[i]);

    std::fill(pixels.begin(), pixels.end(), std::uint8_t{0});
    REQUIRE(fcnet_embed_classify(classifier, pixels.data(), pixels.size(), 40, 30, 3, FCNET_EMBED_DETECT, result) == nullptr);
    CHECK(result[FCNET_EMBED_DIGIT] == -1.0f);
    CHECK(result[FCNET_EMBED_EMPTY] == 1.0f);
    fcnet_embed_dispose(classifier);
}

TEST_CASE("a model with a \"not a digit\" class is accepted and gives the digits' probabilities", "[embed]") {
    const std::vector<std::string> names = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", fcnet::kNotADigitClass};
    CHECK_THAT(create_error(digit_model_bytes({}, {784, 16, 11})), Catch::Contains("not a digit"));
    const std::vector<std::uint8_t> bytes = digit_model_bytes({{"reject_confidence", "0.05"}}, {784, 16, 11}, names);
    const fcnet::Model model = fcnet::deserialize_model(bytes.data(), bytes.size(), "test");
    fcnet_classifier* classifier = create(bytes);
    std::vector<std::uint8_t> pixels(40 * 30, 0);
    for (int y = 5; y < 25; ++y) std::fill_n(&pixels[y * 40 + 20], 6, std::uint8_t{255});
    float result[FCNET_EMBED_RESULT_FLOATS];
    REQUIRE(fcnet_embed_classify(classifier, pixels.data(), pixels.size(), 40, 30, 1, FCNET_EMBED_DETECT, result) == nullptr);
    const fcnet::DigitPrediction expected = fcnet::DigitClassifier(model).classify({pixels.data(), 40, 30, 1});
    CHECK(result[FCNET_EMBED_DIGIT] == float(expected.digit));
    CHECK(result[FCNET_EMBED_CONFIDENCE] == expected.confidence);
    CHECK(result[FCNET_EMBED_IS_DIGIT] == (expected.is_digit ? 1.0f : 0.0f));
    float total = 0;
    for (int i = 0; i < 10; ++i) total += result[FCNET_EMBED_PROBABILITIES + i];
    CHECK(total < 0.9999f);  // the rest is p(not a digit)
    const char* json = nullptr;
    REQUIRE(fcnet_embed_info(classifier, &json) == nullptr);
    CHECK(nlohmann::json::parse(json)["classNames"][10] == fcnet::kNotADigitClass);
    fcnet_embed_dispose(classifier);
}

TEST_CASE("info tells a \"not a digit\" model's digit accuracy from its accuracy over all outputs", "[embed]") {
    const std::vector<std::string> names = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", fcnet::kNotADigitClass};
    const auto info_of = [&](std::map<std::string, std::string> metadata) {
        fcnet_classifier* classifier = create(digit_model_bytes(std::move(metadata), {784, 16, 11}, names));
        const char* json = nullptr;
        REQUIRE(fcnet_embed_info(classifier, &json) == nullptr);
        const nlohmann::json info = nlohmann::json::parse(json);
        fcnet_embed_dispose(classifier);
        return info;
    };
    const nlohmann::json recorded = info_of({{"test_accuracy", "0.9847"}, {"test_digit_accuracy", "0.9922"}});
    CHECK(recorded.at("digitAccuracy") == 0.9922);
    CHECK(recorded["accuracy"] == 0.9847);
    const nlohmann::json older = info_of({{"test_accuracy", "0.9847"}});
    CHECK(older.at("digitAccuracy").is_null());
    CHECK(older["accuracy"] == 0.9847);
}

TEST_CASE("info is JSON with the architecture and every metadata entry, escaped", "[embed]") {
    const std::string awkward = "quote \" backslash \\ newline \n tab \t bell \x07 utf-8 \xC3\xA9";
    fcnet_classifier* classifier = create(digit_model_bytes({{"note", awkward}, {"test_accuracy", "0.875"}}));
    const char* json = nullptr;
    REQUIRE(fcnet_embed_info(classifier, &json) == nullptr);
    const nlohmann::json info = nlohmann::json::parse(json);
    CHECK(info["architecture"] == nlohmann::json({784, 16, 10}));
    CHECK(info["activation"] == "relu");
    CHECK(info["temperature"] == 1.0);
    CHECK(info["accuracy"] == 0.875);
    CHECK(info.at("digitAccuracy") == 0.875);  // a 10-class model's reported digit is its most probable output
    CHECK(info["parameters"] == 784 * 16 + 16 + 16 * 10 + 10);
    CHECK(info["classNames"].size() == 10);
    CHECK(info["metadata"]["note"] == awkward);
    fcnet_embed_dispose(classifier);
}

// ---- drawings given as strokes --------------------------------------------------------------

TEST_CASE("classify_strokes reads strokes as DigitClassifier reads read_strokes' image and pen path", "[embed][strokes]") {
    const std::vector<std::uint8_t> bytes = pen_path_model_bytes();
    const fcnet::Model model = fcnet::deserialize_model(bytes.data(), bytes.size(), "test");
    fcnet_classifier* classifier = create(bytes);
    const FlatStrokes seven = flatten(kSeven);
    constexpr float pen_width = 12;
    float result[FCNET_EMBED_RESULT_FLOATS];
    REQUIRE(fcnet_embed_classify_strokes(classifier, seven.xy.data(), seven.xy.size(), seven.points.data(),
                                         seven.strokes(), pen_width, result) == nullptr);
    const fcnet::StrokeReading reading = fcnet::read_strokes(kSeven, pen_width);
    fcnet::DigitClassifier reference(model);
    const fcnet::DigitPrediction expected = reference.classify(reading.image, reading.path);
    CHECK(result[FCNET_EMBED_DIGIT] == float(expected.digit));
    CHECK(result[FCNET_EMBED_CONFIDENCE] == expected.confidence);
    CHECK(result[FCNET_EMBED_IS_DIGIT] == (expected.is_digit ? 1.0f : 0.0f));
    CHECK(result[FCNET_EMBED_EMPTY] == 0.0f);
    for (int i = 0; i < 10; ++i) CHECK(result[FCNET_EMBED_PROBABILITIES + i] == expected.probabilities[i]);
    // the pen's path is mixed in: the image alone reads otherwise
    const fcnet::DigitPrediction image_only = reference.classify(reading.image);
    CHECK(image_only.probabilities != expected.probabilities);

    float pixels[FCNET_EMBED_PIXELS];
    REQUIRE(fcnet_embed_preprocess_strokes(classifier, seven.xy.data(), seven.xy.size(), seven.points.data(),
                                           seven.strokes(), pen_width, pixels) == nullptr);
    CHECK(std::equal(reading.image.pixels.begin(), reading.image.pixels.end(), pixels));
    fcnet_embed_dispose(classifier);
}

TEST_CASE("no strokes, or strokes without points, read as an empty drawing", "[embed][strokes]") {
    fcnet_classifier* classifier = create(pen_path_model_bytes());
    float result[FCNET_EMBED_RESULT_FLOATS];
    float pixels[FCNET_EMBED_PIXELS];
    REQUIRE(fcnet_embed_classify_strokes(classifier, nullptr, 0, nullptr, 0, 1, result) == nullptr);
    CHECK(result[FCNET_EMBED_DIGIT] == -1.0f);
    CHECK(result[FCNET_EMBED_EMPTY] == 1.0f);
    CHECK(result[FCNET_EMBED_IS_DIGIT] == 0.0f);
    const int no_points[] = {0, 0};
    std::fill_n(result, FCNET_EMBED_RESULT_FLOATS, 5.0f);
    REQUIRE(fcnet_embed_classify_strokes(classifier, nullptr, 0, no_points, 2, 1, result) == nullptr);
    CHECK(result[FCNET_EMBED_DIGIT] == -1.0f);
    CHECK(result[FCNET_EMBED_EMPTY] == 1.0f);
    for (int i = 0; i < 10; ++i) CHECK(result[FCNET_EMBED_PROBABILITIES + i] == 0.0f);
    std::fill_n(pixels, FCNET_EMBED_PIXELS, 5.0f);
    REQUIRE(fcnet_embed_preprocess_strokes(classifier, nullptr, 0, no_points, 2, 1, pixels) == nullptr);
    CHECK(std::all_of(pixels, pixels + FCNET_EMBED_PIXELS, [](float p) { return p == 0.0f; }));
    fcnet_embed_dispose(classifier);
}

TEST_CASE("classify_strokes checks every count before reading, then every coordinate and the pen width", "[embed][strokes]") {
    fcnet_classifier* classifier = create(pen_path_model_bytes());
    FlatStrokes seven = flatten(kSeven);  // 5 + 2 points, 14 floats
    float result[FCNET_EMBED_RESULT_FLOATS];
    const auto classify = [&](std::size_t xy_floats, int strokes, float pen_width = 4) {
        const char* error = fcnet_embed_classify_strokes(classifier, seven.xy.data(), xy_floats, seven.points.data(),
                                                         strokes, pen_width, result);
        return std::string(error ? error : "ok");
    };
    CHECK(classify(14, 2) == "ok");
    CHECK(classify(14, -1) == "stroke count -1; expected 0 or more");
    CHECK(classify(14, 1001) == "1001 strokes, more than the 1000 a drawing may have");
    CHECK(classify(13, 2) == "the coordinates hold 13 floats; 2 strokes of 7 points in all need 14");
    CHECK(classify(14, 1) == "the coordinates hold 14 floats; 1 strokes of 5 points in all need 10");
    CHECK(classify(14, 2, 0) == "preprocess_strokes: the pen width is 0.000000; expected a positive number");
    CHECK(classify(14, 2, -3) == "preprocess_strokes: the pen width is -3.000000; expected a positive number");
    CHECK(classify(14, 2, NAN) == "preprocess_strokes: the pen width is nan; expected a positive number");
    CHECK(classify(14, 2, INFINITY) == "preprocess_strokes: the pen width is inf; expected a positive number");

    seven.xy[7] = NAN;  // stroke 0, point 3: y
    CHECK(classify(14, 2) == "preprocess_strokes: stroke 0 has a point that is not finite");
    seven.xy[7] = 44;
    seven.xy[12] = -INFINITY;  // stroke 1, point 1: x
    CHECK(classify(14, 2) == "preprocess_strokes: stroke 1 has a point that is not finite");
    seven.xy[12] = 110;

    seven.points[1] = -2;
    CHECK(classify(14, 2) == "stroke 1 has -2 points; expected 0 or more");
    seven.points[1] = fcnet::kMaxDrawingPoints;
    CHECK(classify(14, 2) == "more than the 200000 points a drawing may have");
    seven.points[1] = 2;

    CHECK(std::string(fcnet_embed_classify_strokes(classifier, nullptr, 14, seven.points.data(), 2, 4, result)) ==
          "the coordinates are null");
    CHECK(std::string(fcnet_embed_classify_strokes(classifier, seven.xy.data(), 14, nullptr, 2, 4, result)) ==
          "the strokes' point counts are null");
    CHECK_THAT(fcnet_embed_classify_strokes(nullptr, seven.xy.data(), 14, seven.points.data(), 2, 4, result),
               Catch::Contains("null handle"));
    CHECK_THAT(fcnet_embed_classify_strokes(classifier, seven.xy.data(), 14, seven.points.data(), 2, 4, nullptr),
               Catch::Contains("no place for the result"));
    float pixels[FCNET_EMBED_PIXELS];
    CHECK(std::string(fcnet_embed_preprocess_strokes(classifier, seven.xy.data(), 13, seven.points.data(), 2, 4, pixels)) ==
          "the coordinates hold 13 floats; 2 strokes of 7 points in all need 14");
    CHECK_THAT(fcnet_embed_preprocess_strokes(classifier, seven.xy.data(), 14, seven.points.data(), 2, 4, nullptr),
               Catch::Contains("no place for the pixels"));
    CHECK(std::string(fcnet_embed_learn_strokes(classifier, seven.xy.data(), 14, seven.points.data(), 2, 4, 3, result)) ==
          "no rehearsal sample to learn with (fcnet_embed_set_rehearsal)");
    CHECK(classify(14, 2) == "ok");  // and the classifier keeps working
    fcnet_embed_dispose(classifier);
}

TEST_CASE("learn_strokes corrects the mixed reading and leaves the pen-path network's weights as they were",
          "[embed][strokes]") {
    // A drawing the shipped image network reads as `label` and the two networks together as
    // `wrong`: a constant pen-path network (zero weights) whose bias on `wrong` outvotes the image
    // by 1 in the mixed logits. Only the mixed reading shows there is something to correct.
    constexpr float pen_width = 4;
    const fcnet::StrokeReading reading = fcnet::read_strokes(kSeven, pen_width);
    fcnet::Model model = fcnet::load_model(FCNET_SOURCE_DIR "/models/mnist.fcnet");
    model.pen_path.reset();
    const int classes = model.network.classes();
    const int label = fcnet::DigitClassifier(model).classify(reading.image).digit, wrong = (label + 1) % 10;
    const fcnet::Matrix image = Eigen::Map<const fcnet::Matrix>(reading.image.pixels.data(), 1, fcnet::kDigitPixels);
    const fcnet::Matrix z = model.network.logits(image) / model.network.temperature;  // 1 x classes
    fcnet::PenPathNetwork& pen = model.pen_path.emplace();
    pen.network = fcnet::Network({fcnet::kTrajectoryFeatures, classes}, fcnet::Activation::identity, 1);
    pen.network.layers()[0].weights.setZero();
    pen.network.layers()[0].bias.setZero();
    pen.pixel_weight = 0.6f;
    pen.network.layers()[0].bias[wrong] = (0.6f * (z(0, label) - z(0, wrong)) + 1.0f) / 0.4f;
    pen.reject_confidence = 0.3f;
    const std::vector<std::uint8_t> bytes = fcnet::serialize_model(model);
    const fcnet::Model before = fcnet::deserialize_model(bytes.data(), bytes.size(), "test");  // as stored
    fcnet_classifier* classifier = create(bytes);
    const std::vector<std::uint8_t> rehearsal = fcnet::serialize_rehearsal(fcnet::make_generated_rehearsal(10, classes, 5));
    REQUIRE(fcnet_embed_set_rehearsal(classifier, rehearsal.data(), rehearsal.size(), "blobs") == nullptr);
    const FlatStrokes seven = flatten(kSeven);
    float result[FCNET_EMBED_RESULT_FLOATS];
    REQUIRE(fcnet_embed_classify_strokes(classifier, seven.xy.data(), seven.xy.size(), seven.points.data(),
                                         seven.strokes(), pen_width, result) == nullptr);
    REQUIRE(result[FCNET_EMBED_DIGIT] == float(wrong));

    CHECK(std::string(fcnet_embed_learn_strokes(classifier, nullptr, 0, nullptr, 0, pen_width, label, result)) ==
          "nothing was drawn: there is nothing to learn");
    CHECK(std::string(fcnet_embed_learn_strokes(classifier, seven.xy.data(), seven.xy.size(), seven.points.data(),
                                                seven.strokes(), pen_width, 11, result)) ==
          "label 11; expected 0 to 9, or 10 for not a digit");
    REQUIRE(fcnet_embed_learn_strokes(classifier, seven.xy.data(), seven.xy.size(), seven.points.data(),
                                      seven.strokes(), pen_width, label, result) == nullptr);
    CHECK(result[FCNET_EMBED_DIGIT] == float(label));
    int corrections = 0;
    REQUIRE(fcnet_embed_corrections(classifier, &corrections) == nullptr);
    CHECK(corrections == 1);

    const std::uint8_t* exported = nullptr;
    std::size_t size = 0;
    REQUIRE(fcnet_embed_export(classifier, &exported, &size) == nullptr);
    const fcnet::Model learned = fcnet::deserialize_model(exported, size, "exported");
    REQUIRE(learned.pen_path.has_value());
    CHECK(learned.pen_path->network.layers()[0].weights == before.pen_path->network.layers()[0].weights);
    CHECK(learned.pen_path->network.layers()[0].bias == before.pen_path->network.layers()[0].bias);
    CHECK(learned.network.layers().back().weights != before.network.layers().back().weights);
    const fcnet::DigitPrediction expected = fcnet::DigitClassifier(learned).classify(reading.image, reading.path);
    CHECK(result[FCNET_EMBED_CONFIDENCE] == expected.confidence);
    for (int i = 0; i < 10; ++i) CHECK(result[FCNET_EMBED_PROBABILITIES + i] == expected.probabilities[i]);
    fcnet_embed_dispose(classifier);
}

TEST_CASE("learn_strokes teaches the pen-path network too when the rehearsal file holds pen paths",
          "[embed][strokes]") {
    // The shipped model and a rehearsal file made as `fcnet rehearsal` makes one for it (images and
    // the generated sample's pen paths): a crossed 7 taught as the next digit.
    const std::string file = read_file(FCNET_SOURCE_DIR "/models/mnist.fcnet");
    const std::vector<std::uint8_t> bytes(file.begin(), file.end());
    const fcnet::Model shipped = fcnet::deserialize_model(bytes.data(), bytes.size(), "shipped");
    REQUIRE(shipped.pen_path.has_value());
    const int classes = shipped.network.classes();
    const std::vector<std::uint8_t> rehearsal = fcnet::serialize_rehearsal(
        fcnet::make_generated_rehearsal(10, classes, 5), fcnet::make_generated_path_rehearsal(10, classes, 5));
    constexpr float pen_width = 4;
    const FlatStrokes seven = flatten(kSeven);
    float result[FCNET_EMBED_RESULT_FLOATS];
    fcnet_classifier* classifier = create(bytes);
    REQUIRE(fcnet_embed_set_rehearsal(classifier, rehearsal.data(), rehearsal.size(), "with paths") == nullptr);
    REQUIRE(fcnet_embed_classify_strokes(classifier, seven.xy.data(), seven.xy.size(), seven.points.data(),
                                         seven.strokes(), pen_width, result) == nullptr);
    const int label = (int(result[FCNET_EMBED_DIGIT]) + 1) % 10;
    for (int i = 0; i < 3 && result[FCNET_EMBED_DIGIT] != float(label); ++i) {
        REQUIRE(fcnet_embed_learn_strokes(classifier, seven.xy.data(), seven.xy.size(), seven.points.data(),
                                          seven.strokes(), pen_width, label, result) == nullptr);
    }
    CHECK(result[FCNET_EMBED_DIGIT] == float(label));

    const std::uint8_t* exported = nullptr;
    std::size_t size = 0;
    REQUIRE(fcnet_embed_export(classifier, &exported, &size) == nullptr);
    const fcnet::Model learned = fcnet::deserialize_model(exported, size, "exported");
    REQUIRE(learned.pen_path.has_value());
    const auto& before = shipped.pen_path->network.layers();
    const auto& after = learned.pen_path->network.layers();
    REQUIRE(after.size() == before.size());
    // Its output layer learned; the layers below kept their weights.
    CHECK(after.back().weights != before.back().weights);
    for (std::size_t l = 0; l + 1 < before.size(); ++l) CHECK(after[l].weights == before[l].weights);
    fcnet_embed_dispose(classifier);
}
