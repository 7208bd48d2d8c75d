// Unit tests for the non-digit generator (data/nondigits.h): determinism, every kind, ranges, digit models' view.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <random>
#include <set>

#include "core/network.h"
#include "data/load.h"
#include "data/nondigits.h"
#include "preprocess/digit_image.h"
#include "support/test_support.h"

using namespace fcnet;

TEST_CASE("the non-digit set is the same for a seed and different for another", "[nondigits]") {
    const Dataset first = make_nondigit_set(45, 11, 10);
    const Dataset again = make_nondigit_set(45, 11, 10);
    const Dataset other = make_nondigit_set(45, 12, 10);
    REQUIRE(first.features.rows() == 45);
    REQUIRE(first.features.cols() == kDigitPixels);
    CHECK(first.features == again.features);
    CHECK(first.features != other.features);
    CHECK(std::all_of(first.labels.begin(), first.labels.end(), [](int label) { return label == 10; }));
    CHECK(first.classes == 11);
    // A longer set starts with the same samples: sample i depends only on (seed, i).
    CHECK(make_nondigit_set(50, 11, 10).features.topRows(45) == first.features);
}

TEST_CASE("every kind gives non-empty images in [0, 1] whose strongest pixel is 1", "[nondigits]") {
    const Dataset set = make_nondigit_set(20 * kNonDigitKinds, 3, 0);
    for (int i = 0; i < set.size(); ++i) {
        INFO("sample " << i << ", kind " << nondigit_kind_name(nondigit_kind_of_sample(i)));
        const auto row = set.features.row(i);
        CHECK(row.minCoeff() >= 0.0f);
        CHECK(row.maxCoeff() == Approx(1.0f));
        CHECK(row.sum() > 5.0f);  // more than a speck of ink
    }
}

TEST_CASE("the kinds differ from each other: their mean ink differs", "[nondigits]") {
    const Dataset set = make_nondigit_set(40 * kNonDigitKinds, 5, 0);
    std::array<double, kNonDigitKinds> ink{};
    for (int i = 0; i < set.size(); ++i) ink[i % kNonDigitKinds] += set.features.row(i).sum() / 40.0;
    // Blobs and textures carry far more ink than thin strokes like zigzags and random walks
    // (filled shapes less so: preprocessing redraws the slimmer ones from their skeleton).
    CHECK(ink[static_cast<int>(NonDigitKind::blob)] > 1.5 * ink[static_cast<int>(NonDigitKind::random_walk)]);
    CHECK(ink[static_cast<int>(NonDigitKind::texture)] > 1.4 * ink[static_cast<int>(NonDigitKind::zigzag)]);
    CHECK(ink[static_cast<int>(NonDigitKind::shape_filled)] > 1.15 * ink[static_cast<int>(NonDigitKind::zigzag)]);
}

TEST_CASE("render_nondigit draws every kind and reports which", "[nondigits]") {
    std::mt19937_64 rng(21);
    std::set<NonDigitKind> seen;
    std::array<float, kDigitPixels> image{};
    for (int i = 0; i < 200; ++i) {
        NonDigitKind kind{};
        render_nondigit(rng, image.data(), &kind);
        seen.insert(kind);
        REQUIRE(*std::max_element(image.begin(), image.end()) == Approx(1.0f));
    }
    CHECK(static_cast<int>(seen.size()) == kNonDigitKinds);
    for (int k = 0; k < kNonDigitKinds; ++k) CHECK(std::string(nondigit_kind_name(NonDigitKind(k))) != "unknown");
}

TEST_CASE("a negative count or label is refused", "[nondigits]") {
    CHECK(error_message([] { make_nondigit_set(-1, 0, 0); }).find("count is -1") != std::string::npos);
    CHECK(error_message([] { make_nondigit_set(5, 0, -2); }).find("label -2") != std::string::npos);
}

TEST_CASE("a digit model does not read non-digits as any one digit", "[nondigits][integration]") {
    INFO("MNIST folder: " << mnist_dir() << " (set FCNET_MNIST_DIR to change it)");
    REQUIRE(has_idx_dataset(mnist_dir()));
    const LoadedData mnist = load_data(mnist_dir());
    const Network network = train_quick_digit_model(mnist.train, 5000);
    const Dataset set = make_nondigit_set(100 * kNonDigitKinds, 9, 10);
    const std::vector<int> predicted = network.predict_class(set.features);
    std::array<int, 10> votes{};
    for (int digit : predicted) ++votes[digit];
    const int most = *std::max_element(votes.begin(), votes.end());
    const int digits_used = static_cast<int>(std::count_if(votes.begin(), votes.end(), [](int v) { return v > 0; }));
    std::string histogram;
    for (int digit = 0; digit < 10; ++digit) histogram += std::to_string(digit) + ":" + std::to_string(votes[digit]) + " ";
    WARN("digits a quick MNIST model reads in " << set.size() << " non-digits: " << histogram);
    // Varied non-digits spread over the classes. Measured (seed 9): the most read digit, 8, took
    // 272 of 900 (30%) and all ten digits were read; asserted: no digit takes 40% or more.
    CHECK(most < set.size() * 2 / 5);
    CHECK(digits_used >= 8);
}
