// Training augmentation: each distortion does what it says, identity is identity, draws are reproducible.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <ctime>
#include <cmath>
#include <vector>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "data/augment.h"
#include "preprocess/digit_image.h"
#include "support/test_support.h"

using namespace fcnet;

namespace {

using Digit = std::array<float, 784>;

// A soft round blob of ink (radius 2.5 pixels) centred at pixel-edge coordinates (cx, cy).
Digit blob(float cx, float cy) {
    Digit digit{};
    for (int y = 0; y < 28; ++y) {
        for (int x = 0; x < 28; ++x) {
            const float distance = std::hypot(x + 0.5f - cx, y + 0.5f - cy);
            digit[y * 28 + x] = std::clamp(3.0f - distance, 0.0f, 1.0f);
        }
    }
    return digit;
}

// A "7"-like stroke figure with grey anti-aliased edges: a top bar and a slanted leg.
Digit seven() {
    Digit digit{};
    const auto stroke = [&](float x0, float y0, float x1, float y1) {
        for (int y = 0; y < 28; ++y) {
            for (int x = 0; x < 28; ++x) {
                const float px = x + 0.5f, py = y + 0.5f;
                const float dx = x1 - x0, dy = y1 - y0;
                const float t = std::clamp(((px - x0) * dx + (py - y0) * dy) / (dx * dx + dy * dy), 0.0f, 1.0f);
                const float distance = std::hypot(px - x0 - t * dx, py - y0 - t * dy);
                digit[y * 28 + x] = std::max(digit[y * 28 + x], std::clamp(2.0f - distance, 0.0f, 1.0f));
            }
        }
    };
    stroke(8, 6, 20, 6);
    stroke(20, 6, 12, 23);
    return digit;
}

struct Moments {
    double mass = 0, x = 0, y = 0, spread_x = 0, spread_y = 0;  // centre and standard deviation per axis
};

Moments moments(const Digit& digit) {
    Moments m;
    for (int y = 0; y < 28; ++y) {
        for (int x = 0; x < 28; ++x) {
            const double ink = digit[y * 28 + x];
            m.mass += ink, m.x += ink * (x + 0.5), m.y += ink * (y + 0.5);
        }
    }
    m.x /= m.mass, m.y /= m.mass;
    for (int y = 0; y < 28; ++y) {
        for (int x = 0; x < 28; ++x) {
            const double ink = digit[y * 28 + x];
            m.spread_x += ink * (x + 0.5 - m.x) * (x + 0.5 - m.x);
            m.spread_y += ink * (y + 0.5 - m.y) * (y + 0.5 - m.y);
        }
    }
    m.spread_x = std::sqrt(m.spread_x / m.mass), m.spread_y = std::sqrt(m.spread_y / m.mass);
    return m;
}

Digit distorted(const Digit& digit, const Distortion& distortion, int upsample = 2, bool preprocess = false) {
    Digit out{};
    distort_digit(digit.data(), distortion, upsample, preprocess, out.data());
    return out;
}

double largest_difference(const Digit& a, const Digit& b) {
    double largest = 0;
    for (int i = 0; i < 784; ++i) largest = std::max(largest, double(std::abs(a[i] - b[i])));
    return largest;
}

AugmentOptions all_off() {
    AugmentOptions options;
    options.rotation_degrees = options.scale = options.shift = options.shear = 0;
    options.thicken = options.thin = options.elastic_alpha = 0;
    return options;
}

}  // namespace

TEST_CASE("the identity distortion leaves a digit unchanged", "[augment]") {
    const Digit digit = seven();
    // One canvas pixel per digit pixel: bilinear sampling at the pixel centres is exact.
    CHECK(distorted(digit, Distortion{}, 1) == digit);
    // With preprocessing, the result is exactly what inference makes of the same digit.
    const DigitImage expected = preprocess_drawing(digit.data(), 28, 28);
    const Digit through_pipeline = distorted(digit, Distortion{}, 1, true);
    CHECK(std::equal(through_pipeline.begin(), through_pipeline.end(), expected.pixels.begin()));
    // On the 2x canvas the digit only passes through bilinear upsampling and box averaging.
    CHECK(largest_difference(distorted(digit, Distortion{}, 2), digit) < 0.3);
    CHECK(moments(distorted(digit, Distortion{}, 2)).mass == Approx(moments(digit).mass).epsilon(0.01));
}

TEST_CASE("knobs at zero draw the identity distortion", "[augment]") {
    const Distortion d = draw_distortion(all_off(), 42);
    CHECK(d.rotation_degrees == 0);
    CHECK(d.scale_x == 1);
    CHECK(d.scale_y == 1);
    CHECK(d.shear == 0);
    CHECK(d.shift_x == 0);
    CHECK(d.shift_y == 0);
    CHECK(d.stroke == 0);
    CHECK(d.elastic_alpha == 0);
}

TEST_CASE("draws stay inside the ranges of the options and cover them", "[augment]") {
    const AugmentOptions options;
    double largest_rotation = 0, largest_stroke = 0, smallest_stroke = 0;
    for (std::uint64_t seed = 0; seed < 2000; ++seed) {
        const Distortion d = draw_distortion(options, seed);
        REQUIRE(std::abs(d.rotation_degrees) <= options.rotation_degrees);
        REQUIRE(std::abs(d.scale_x - 1) <= options.scale + 1e-6f);
        REQUIRE(std::abs(d.scale_y - 1) <= options.scale + 1e-6f);
        REQUIRE(std::abs(d.shear) <= options.shear);
        REQUIRE(std::abs(d.shift_x) <= options.shift);
        REQUIRE(std::abs(d.shift_y) <= options.shift);
        REQUIRE(d.stroke >= -options.thin);
        REQUIRE(d.stroke <= options.thicken);
        largest_rotation = std::max(largest_rotation, double(std::abs(d.rotation_degrees)));
        largest_stroke = std::max(largest_stroke, double(d.stroke));
        smallest_stroke = std::min(smallest_stroke, double(d.stroke));
    }
    CHECK(largest_rotation > 0.95 * options.rotation_degrees);
    CHECK(largest_stroke > 0.95 * options.thicken);
    CHECK(smallest_stroke < -0.95 * options.thin);
}

TEST_CASE("rotation turns the ink about the centre, counter-clockwise on screen for positive angles", "[augment]") {
    const Digit right = blob(21, 14);  // 7 pixels right of the centre (14, 14)
    Distortion quarter;
    quarter.rotation_degrees = 90;
    const Moments turned = moments(distorted(right, quarter));
    CHECK(turned.x == Approx(14).margin(0.1));
    CHECK(turned.y == Approx(7).margin(0.1));  // now above the centre (y grows downwards)
    Distortion small;
    small.rotation_degrees = -30;  // clockwise: the blob moves down
    const Moments down = moments(distorted(right, small));
    CHECK(down.x == Approx(14 + 7 * std::cos(M_PI / 6)).margin(0.1));
    CHECK(down.y == Approx(14 + 7 * std::sin(M_PI / 6)).margin(0.1));
}

TEST_CASE("shift moves the ink, scale stretches it along its axis, shear slants it", "[augment]") {
    const Digit centre = blob(14, 14);
    Distortion shift;
    shift.shift_x = 3, shift.shift_y = -2;
    const Moments moved = moments(distorted(centre, shift));
    CHECK(moved.x == Approx(17).margin(0.05));
    CHECK(moved.y == Approx(12).margin(0.05));

    const Digit digit = seven();
    const Moments original = moments(digit);
    Distortion stretch;
    stretch.scale_x = 1.25f;
    const Moments stretched = moments(distorted(digit, stretch, 4));
    CHECK(stretched.spread_x / original.spread_x == Approx(1.25).epsilon(0.03));
    CHECK(stretched.spread_y / original.spread_y == Approx(1.0).epsilon(0.03));

    Distortion slant;
    slant.shear = 0.5f;  // x' = x + 0.5 y about the centre: ink below the centre moves right
    const Moments below = moments(distorted(blob(14, 20), slant));
    CHECK(below.x == Approx(14 + 0.5 * 6).margin(0.1));
    CHECK(below.y == Approx(20).margin(0.1));
}

TEST_CASE("thickening adds ink and thinning removes it, more with a larger radius", "[augment]") {
    const Digit digit = seven();
    double previous_mass = 0;
    for (float stroke : {-0.8f, -0.4f, 0.0f, 0.5f, 1.0f, 1.5f}) {
        Distortion d;
        d.stroke = stroke;
        const Moments m = moments(distorted(digit, d));
        INFO("stroke " << stroke << ": ink " << m.mass);
        CHECK(m.mass > previous_mass);
        previous_mass = m.mass;
    }
    Distortion thick;
    thick.stroke = 1.0f;
    Distortion none;
    // a one-pixel larger radius around strokes 4 pixels wide adds about half the ink
    CHECK(moments(distorted(digit, thick)).mass > 1.35 * moments(distorted(digit, none)).mass);
    // the stroke grows about its centre line: the centre of mass barely moves
    CHECK(moments(distorted(digit, thick)).x == Approx(moments(digit).x).margin(0.3));
}

TEST_CASE("elastic distortion bends strokes locally, smoothly and reproducibly", "[augment]") {
    const Digit digit = seven();
    Distortion elastic;
    elastic.elastic_alpha = 34, elastic.elastic_sigma = 4, elastic.elastic_seed = 5;
    const Digit bent = distorted(digit, elastic);
    const Digit still = distorted(digit, Distortion{});
    CHECK(largest_difference(bent, still) > 0.3);                              // it changes the image
    CHECK(moments(bent).mass == Approx(moments(still).mass).epsilon(0.25));    // but keeps roughly its ink
    CHECK(std::abs(moments(bent).x - moments(still).x) < 2.0);                 // and its place
    CHECK(distorted(digit, elastic) == bent);
    Distortion other = elastic;
    other.elastic_seed = 6;
    CHECK(distorted(digit, other) != bent);
    Distortion gentle = elastic;
    gentle.elastic_alpha = 8;
    CHECK(largest_difference(distorted(digit, gentle), still) < largest_difference(bent, still));
}

TEST_CASE("augment_batch depends only on the seed, epoch, batch and row, not on threads", "[augment]") {
    Matrix batch(16, 784);
    const Digit digit = seven();
    for (int r = 0; r < 16; ++r) batch.row(r) = Eigen::Map<const RowVector>(digit.data(), 784);
    const AugmentOptions options;
    Matrix first = batch, second = batch, other_batch = batch;
#ifdef _OPENMP
    omp_set_num_threads(1);
#endif
    augment_batch(first, options, 9, 1, 1);
#ifdef _OPENMP
    omp_set_num_threads(2);
#endif
    augment_batch(second, options, 9, 1, 1);
    augment_batch(other_batch, options, 9, 1, 2);
    CHECK(first == second);
    CHECK(first != other_batch);
    CHECK(first.row(0) != first.row(1));  // every row gets its own draw
    CHECK(first.minCoeff() >= 0.0f);
    CHECK(first.maxCoeff() == 1.0f);  // preprocessed: the strongest pixel is full ink
}

TEST_CASE("the distortion cost per batch of 64 digits is measured", "[augment][timing]") {
    Matrix digits(64, 784);
    const Digit digit = seven();
    for (int r = 0; r < 64; ++r) digits.row(r) = Eigen::Map<const RowVector>(digit.data(), 784);
#ifdef _OPENMP
    omp_set_num_threads(1);
#endif
    for (int upsample : {1, 2, 1, 2}) {
        AugmentOptions options;
        options.upsample = upsample;
        const std::clock_t start = std::clock();  // CPU time: the machine may be busy
        for (int b = 0; b < 20; ++b) {
            Matrix batch = digits;
            augment_batch(batch, options, 1, 1, b);
        }
        const double ms = 1000.0 * double(std::clock() - start) / CLOCKS_PER_SEC / 20;
        WARN("augmenting one batch of 64 digits, default knobs, upsample " << upsample << ", one thread: " << ms
                                                                            << " ms of CPU time");
        CHECK(ms > 0);
    }
}

TEST_CASE("invalid augmentation knobs are refused naming the knob", "[augment]") {
    AugmentOptions negative;
    negative.rotation_degrees = -1;
    CHECK_THAT(error_message([&] { check_augment_options(negative); }), Catch::Contains("rotation"));
    AugmentOptions scale;
    scale.scale = 1.5f;
    CHECK_THAT(error_message([&] { check_augment_options(scale); }), Catch::Contains("scale"));
    AugmentOptions sigma;
    sigma.elastic_sigma = 0;
    CHECK_THAT(error_message([&] { check_augment_options(sigma); }), Catch::Contains("elastic sigma"));
    AugmentOptions upsample;
    upsample.upsample = 0;
    CHECK_THAT(error_message([&] { check_augment_options(upsample); }), Catch::Contains("upsample"));
    CHECK_NOTHROW(check_augment_options(AugmentOptions{}));
    CHECK_NOTHROW(check_augment_options(all_off()));
}
