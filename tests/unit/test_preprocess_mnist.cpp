// Integration: MNIST test digits enlarged onto big canvases and preprocessed back classify as well as the originals.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include <Eigen/Core>

#include "core/metrics.h"
#include "data/idx.h"
#include "data/load.h"
#include "io/model_file.h"
#include "preprocess/digit_image.h"
#include "support/test_support.h"

using namespace fcnet;

namespace {

struct Canvas {
    int width = 0, height = 0;
    std::vector<std::uint8_t> pixels;  // gray
};

// The 28x28 `digit` (ink in [0, 1]) enlarged `factor` times with bilinear interpolation (pixel
// centres aligned) at a random place on a width x height canvas, as ink on paper (dark on light)
// or as light on dark, quantised to bytes.
Canvas enlarge_onto_canvas(const float* digit, int factor, int width, int height, bool dark_on_light,
                           std::mt19937_64& random) {
    int x_min = 27, x_max = 0, y_min = 27, y_max = 0;
    for (int y = 0; y < 28; ++y) {
        for (int x = 0; x < 28; ++x) {
            if (digit[y * 28 + x] > 0) {
                x_min = std::min(x_min, x), x_max = std::max(x_max, x);
                y_min = std::min(y_min, y), y_max = std::max(y_max, y);
            }
        }
    }
    // The enlarged ink, with the one-pixel fringe bilinear interpolation adds, must fit.
    const int ink_width = (x_max - x_min + 3) * factor, ink_height = (y_max - y_min + 3) * factor;
    const int left = std::uniform_int_distribution<int>(0, width - ink_width)(random) - (x_min - 1) * factor;
    const int top = std::uniform_int_distribution<int>(0, height - ink_height)(random) - (y_min - 1) * factor;
    const auto ink_at = [&](int x, int y) { return x < 0 || y < 0 || x >= 28 || y >= 28 ? 0.0f : digit[y * 28 + x]; };

    Canvas canvas{width, height, std::vector<std::uint8_t>(std::size_t(width) * height)};
    for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width; ++x) {
            const float u = (x - left + 0.5f) / factor - 0.5f, v = (y - top + 0.5f) / factor - 0.5f;
            const int u0 = static_cast<int>(std::floor(u)), v0 = static_cast<int>(std::floor(v));
            const float fu = u - u0, fv = v - v0;
            const float ink = (1 - fu) * (1 - fv) * ink_at(u0, v0) + fu * (1 - fv) * ink_at(u0 + 1, v0) +
                              (1 - fu) * fv * ink_at(u0, v0 + 1) + fu * fv * ink_at(u0 + 1, v0 + 1);
            const auto level = static_cast<std::uint8_t>(std::lround(ink * 255));
            canvas.pixels[std::size_t(y) * width + x] = dark_on_light ? 255 - level : level;
        }
    }
    return canvas;
}

double accuracy(const Network& network, const Matrix& images, const std::vector<int>& labels) {
    const std::vector<int> predicted = network.predict_class(images);
    int correct = 0;
    for (std::size_t i = 0; i < predicted.size(); ++i) correct += predicted[i] == labels[i];
    return static_cast<double>(correct) / static_cast<double>(predicted.size());
}

// The first kDigits MNIST test digits, each enlarged x4..x12 at a random place on a 280x280 or
// 400x300 canvas (alternating polarity), preprocessed back.
struct RoundTrip {
    Matrix originals, round_tripped;
    std::vector<int> labels;
    int empty = 0;
    double mean_difference = 0;
};

RoundTrip enlarge_and_preprocess(const Dataset& test, int digits) {
    RoundTrip trip;
    trip.originals = test.features.topRows(digits);
    trip.labels.assign(test.labels.begin(), test.labels.begin() + digits);
    trip.round_tripped.resize(digits, kDigitPixels);
    std::mt19937_64 random(7);
    double total_difference = 0;
    for (int i = 0; i < digits; ++i) {
        const int factor = std::uniform_int_distribution<int>(4, 12)(random);
        const bool wide = random() % 2 == 0;
        const Canvas canvas = enlarge_onto_canvas(trip.originals.row(i).data(), factor, wide ? 400 : 280,
                                                  wide ? 300 : 280, i % 2 == 0, random);
        const DigitImage image = preprocess_drawing(PixelBuffer{canvas.pixels.data(), canvas.width, canvas.height, 1});
        trip.empty += image.empty;
        for (int p = 0; p < kDigitPixels; ++p) {
            trip.round_tripped(i, p) = image.pixels[p];
            total_difference += std::abs(image.pixels[p] - trip.originals(i, p));
        }
    }
    trip.mean_difference = total_difference / (double(digits) * kDigitPixels);
    return trip;
}

}  // namespace

TEST_CASE("MNIST digits enlarged x4..x12 on big canvases round-trip and classify as well as the originals",
          "[preprocess][integration]") {
    INFO("MNIST folder: " << mnist_dir() << " (set FCNET_MNIST_DIR to change it)");
    REQUIRE(has_idx_dataset(mnist_dir()));
    const LoadedData mnist = load_data(mnist_dir());
    const Network network = train_quick_digit_model(mnist.train, 5000);

    constexpr int kDigits = 1000;
    const RoundTrip trip = enlarge_and_preprocess(mnist.test, kDigits);
    const double original_accuracy = accuracy(network, trip.originals, trip.labels);
    const double round_trip_accuracy = accuracy(network, trip.round_tripped, trip.labels);
    WARN("accuracy on " << kDigits << " MNIST test digits: originals " << 100 * original_accuracy
                        << "%, enlarged and preprocessed " << 100 * round_trip_accuracy
                        << "%; mean absolute pixel difference " << trip.mean_difference);
    CHECK(trip.empty == 0);
    // Stroke-width normalisation redraws the digits whose width is far from MNIST's (8% of them)
    // from their skeleton, which a model trained on raw MNIST reads a little worse (-0.6 points
    // with this one; the shipped model, trained on redrawn digits too, keeps its accuracy: below).
    CHECK(std::abs(round_trip_accuracy - original_accuracy) <= 0.01);
    // Bilinear enlarging blurs: enlarging and box-averaging back on the exact original grid already
    // differs by 0.019 on average; one round trip in five also lands one pixel off, where MNIST's
    // rounded centring could have gone either way (measured total: 0.029).
    CHECK(trip.mean_difference < 0.035);
}

TEST_CASE("the shipped model keeps its accuracy on MNIST digits enlarged x4..x12 on big canvases",
          "[preprocess][integration][shipped]") {
    REQUIRE(has_idx_dataset(mnist_dir()));
    const LoadedData mnist = load_data(mnist_dir());
    const Model model = load_model(FCNET_SOURCE_DIR "/models/mnist.fcnet");
    // Half the test digits; the argmax runs over every output, so a digit read as
    // "not a digit" counts as an error.
    const RoundTrip trip = enlarge_and_preprocess(mnist.test, 5000);
    const double original_accuracy = accuracy(model.network, trip.originals, trip.labels);
    const double round_trip_accuracy = accuracy(model.network, trip.round_tripped, trip.labels);
    WARN("models/mnist.fcnet on 5000 MNIST test digits: originals "
                                      << 100 * original_accuracy << "%, enlarged and preprocessed "
                                      << 100 * round_trip_accuracy << "%");
    CHECK(trip.empty == 0);
    // Stroke-width normalisation redraws the digits whose width is far from MNIST's (8% of them)
    // from their skeleton, which a model trained on raw MNIST reads a little worse (-0.6 points
    // with this one; the shipped model, trained on redrawn digits too, keeps its accuracy: below).
    CHECK(std::abs(round_trip_accuracy - original_accuracy) <= 0.01);
}
