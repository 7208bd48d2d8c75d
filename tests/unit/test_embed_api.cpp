// The embeddable module's C API (src/embed/embed_api.h), natively: errors come back as messages, info is valid JSON.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "embed/embed_api.h"
#include "io/model_file.h"
#include "preprocess/digit_prediction.h"

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
