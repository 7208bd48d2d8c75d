// Unit tests for the hand-drawn digit generator (data/hand_digits.h): determinism, bounds, forms, errors, and a model reading them.
#include <catch2/catch.hpp>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "core/error.h"
#include "data/hand_digits.h"
#include "io/model_file.h"
#include "preprocess/digit_prediction.h"
#include "preprocess/stroke_drawing.h"
#include "support/test_support.h"

using namespace fcnet;

namespace {

std::vector<Polyline> digit_of(int digit, int form, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    return draw_hand_digit(rng, digit, form);
}

}  // namespace

TEST_CASE("every form of every digit draws finite strokes fitted into [-1, 1]^2, the same for the same seed") {
    for (int digit = 0; digit <= 9; ++digit) {
        for (int form = 0; form < hand_digit_forms(digit); ++form) {
            for (std::uint64_t seed = 1; seed <= 20; ++seed) {
                const std::vector<Polyline> strokes = digit_of(digit, form, seed);
                REQUIRE_FALSE(strokes.empty());
                for (const Polyline& line : strokes) {
                    REQUIRE(line.size() >= 2);
                    for (const CanvasPoint& p : line) {
                        REQUIRE(std::isfinite(p.x));
                        REQUIRE(std::isfinite(p.y));
                        REQUIRE(std::abs(p.x) <= 1.0001f);
                        REQUIRE(std::abs(p.y) <= 1.0001f);
                    }
                }
                const PolylineBounds box = bounds_of(strokes);
                INFO("digit " << digit << " form " << form << " seed " << seed);
                REQUIRE(std::max(box.x_max - box.x_min, box.y_max - box.y_min) > 1.99f);  // fitted: the longer side spans the box
                REQUIRE(same_strokes(digit_of(digit, form, seed), strokes));
                REQUIRE_FALSE(same_strokes(digit_of(digit, form, seed + 1000), strokes));
            }
        }
    }
}

TEST_CASE("digits are taller than wide, and the forms have their strokes") {
    for (std::uint64_t seed = 1; seed <= 30; ++seed) {
        for (int digit = 0; digit <= 9; ++digit) {
            for (int form = 0; form < hand_digit_forms(digit); ++form) {
                const PolylineBounds box = bounds_of(digit_of(digit, form, seed));
                INFO("digit " << digit << " form " << form << " seed " << seed);
                REQUIRE(box.y_max - box.y_min > 1.99f);  // the height fills the box
                REQUIRE(box.x_max - box.x_min < (digit == 1 && form == 0 ? 0.8f : 1.9f));
            }
        }
        CHECK(digit_of(1, 2, seed).size() == 2);  // a flag and a foot: the foot is its own stroke
        CHECK(digit_of(4, 0, seed).size() == 1);  // closed in one stroke
        CHECK(digit_of(4, 2, seed).size() == 2);  // open: an L, then the stem
        CHECK(digit_of(4, 3, seed).size() == 1);  // open in one stroke
        CHECK(digit_of(7, 1, seed).size() == 2);  // crossed
        CHECK(digit_of(8, 0, seed).size() == 2);  // two rings
        CHECK(digit_of(9, 2, seed).size() == 2);  // the loop, then the stem
    }
}

TEST_CASE("a digit or a form out of range is refused") {
    std::mt19937_64 rng(1);
    CHECK_THROWS_AS(hand_digit_forms(10), Error);
    CHECK_THROWS_AS(hand_digit_forms(-1), Error);
    CHECK_THROWS_WITH(draw_hand_digit(rng, 4, hand_digit_forms(4)), Catch::Contains("no form"));
    CHECK_THROWS_WITH(draw_hand_digit(rng, 0, -1), Catch::Contains("no form"));
}

TEST_CASE("the shipped model reads the generated digits as the digits they are meant to be") {
    const Model model = load_model(FCNET_SOURCE_DIR "/models/mnist.fcnet");
    std::mt19937_64 rng(20261205);
    int right = 0, total = 0;
    for (int i = 0; i < 1000; ++i) {
        const int digit = i % 10;
        const DigitImage image = preprocess_strokes(draw_hand_digit(rng, digit), 0.1f);
        const DigitPrediction reading = classify_digit_image(model, image);
        right += reading.digit == digit;
        ++total;
    }
    INFO(right << " of " << total << " read right");
    CHECK(right >= 0.9 * total);
}
