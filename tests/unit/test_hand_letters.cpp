// Unit tests for the hand-drawn letter generator (data/hand_letters.h): the letters, determinism, bounds, errors, and that they are not digits.
#include <catch2/catch.hpp>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "core/error.h"
#include "data/hand_letters.h"
#include "data/stroke_split.h"
#include "io/model_file.h"
#include "preprocess/digit_prediction.h"
#include "preprocess/stroke_drawing.h"
#include "support/test_support.h"

using namespace fcnet;

namespace {

std::vector<Polyline> letter_of(char letter, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    return draw_hand_letter(rng, letter);
}

}  // namespace

TEST_CASE("the letters are a-z and A-Z without the ones that pass for digits") {
    const std::string& letters = hand_letters();
    CHECK(letters.size() == 52 - std::string(kDigitLikeLetters).size());
    for (char c : std::string(kDigitLikeLetters)) CHECK(letters.find(c) == std::string::npos);
    for (char c : std::string("acdefhijkmnprtuvwxyABCDEFGHJKLMNPQRTUVWXY")) CHECK(letters.find(c) != std::string::npos);
}

TEST_CASE("every letter draws finite strokes fitted into [-1, 1]^2, the same for the same seed, others for others") {
    for (char letter : hand_letters()) {
        for (std::uint64_t seed = 1; seed <= 20; ++seed) {
            INFO("letter " << letter << " seed " << seed);
            const std::vector<Polyline> strokes = letter_of(letter, seed);
            REQUIRE_FALSE(strokes.empty());
            for (const Polyline& line : strokes) {
                REQUIRE_FALSE(line.empty());
                for (const CanvasPoint& p : line) REQUIRE((std::isfinite(p.x) && std::isfinite(p.y)));
            }
            const PolylineBounds box = bounds_of(strokes);
            const float longest = std::max(box.x_max - box.x_min, box.y_max - box.y_min);
            REQUIRE(longest > 1.99f);
            REQUIRE(longest < 2.0001f);
            REQUIRE(same_strokes(letter_of(letter, seed), strokes));
            REQUIRE_FALSE(same_strokes(letter_of(letter, seed + 1000), strokes));
        }
    }
}

TEST_CASE("a letter that passes for a digit, or no letter, is refused with its name") {
    std::mt19937_64 rng(1);
    for (char c : std::string(kDigitLikeLetters) + "7#") {
        CHECK_THROWS_WITH(draw_hand_letter(rng, c), Catch::Contains(std::string("'") + c + "'"));
    }
}

TEST_CASE("the shipped model takes few generated letters for digits, almost none of those no digit looks like") {
    const Model model = load_model(FCNET_SOURCE_DIR "/models/mnist.fcnet");
    std::mt19937_64 rng(20261205);
    const std::string& letters = hand_letters();
    int accepted = 0, total = 0, unlike_accepted = 0, unlike = 0;
    for (int i = 0; i < 20 * static_cast<int>(letters.size()); ++i) {
        const char letter = letters[i % letters.size()];
        const DigitPrediction reading = classify_digit_image(model, preprocess_strokes(draw_hand_letter(rng, letter), 0.1f));
        accepted += reading.is_digit;
        ++total;
        // Letters no digit looks like: if the model takes them for digits, the generator is broken.
        if (std::string("mwxEHMNW").find(letter) != std::string::npos) unlike_accepted += reading.is_digit, ++unlike;
    }
    INFO(accepted << " of " << total << " taken for digits, " << unlike_accepted << " of " << unlike << " of m w x E H M N W");
    CHECK(accepted < 0.2 * total);
    CHECK(unlike_accepted < 0.03 * unlike);
}
