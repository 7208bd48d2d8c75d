// The recorded test accuracies (src/preprocess/recorded_accuracy.h): the reported digit's told apart from the one over all outputs.
#include <catch2/catch.hpp>

#include <map>
#include <string>

#include "preprocess/digit_prediction.h"
#include "preprocess/recorded_accuracy.h"

namespace {

// An untrained digit model, 10 classes or 11 with "not a digit", carrying `metadata`.
fcnet::Model digit_model(int classes, std::map<std::string, std::string> metadata) {
    fcnet::Model model;
    model.network = fcnet::Network({784, 8, classes}, fcnet::Activation::relu, 3);
    if (classes == 11) model.class_names = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", fcnet::kNotADigitClass};
    model.metadata = std::move(metadata);
    return model;
}

}  // namespace

TEST_CASE("a \"not a digit\" model's digit accuracy is its test_digit_accuracy, not its test_accuracy", "[accuracy]") {
    const fcnet::RecordedAccuracy recorded =
        fcnet::recorded_accuracy(digit_model(11, {{"test_accuracy", "0.9847"}, {"test_digit_accuracy", "0.9922"}}));
    CHECK(recorded.digits == 0.9922);
    CHECK(recorded.all_outputs == 0.9847);
    CHECK(recorded.outputs == 11);
}

TEST_CASE("a \"not a digit\" model from before test_digit_accuracy records no digit accuracy", "[accuracy]") {
    const fcnet::RecordedAccuracy recorded = fcnet::recorded_accuracy(digit_model(11, {{"test_accuracy", "0.9847"}}));
    CHECK_FALSE(recorded.digits.has_value());
    CHECK(recorded.all_outputs == 0.9847);
}

TEST_CASE("a 10-class model's test_accuracy is its digit accuracy", "[accuracy]") {
    const fcnet::RecordedAccuracy recorded = fcnet::recorded_accuracy(digit_model(10, {{"test_accuracy", "0.9824"}}));
    CHECK(recorded.digits == 0.9824);
    CHECK(recorded.all_outputs == 0.9824);
    CHECK(recorded.outputs == 10);
}

TEST_CASE("a missing or non-numeric accuracy counts as not recorded", "[accuracy]") {
    CHECK_FALSE(fcnet::recorded_accuracy(digit_model(10, {})).digits.has_value());
    const fcnet::RecordedAccuracy garbled =
        fcnet::recorded_accuracy(digit_model(11, {{"test_accuracy", "high"}, {"test_digit_accuracy", "0.99x"}}));
    CHECK_FALSE(garbled.digits.has_value());
    CHECK_FALSE(garbled.all_outputs.has_value());
}
