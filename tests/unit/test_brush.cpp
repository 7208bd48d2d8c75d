// Unit tests for the round anti-aliased brush and the polygon filler (preprocess/brush.h).
#include <catch2/catch.hpp>

#include <numeric>

#include "preprocess/brush.h"
#include "support/test_support.h"

using namespace fcnet;

namespace {

double total(const GrayCanvas& canvas) { return std::accumulate(canvas.values.begin(), canvas.values.end(), 0.0); }

}  // namespace

TEST_CASE("a round brush covers a line's width fully and fades over one pixel at its edge", "[brush]") {
    GrayCanvas canvas(40, 20, 0.0f);
    stroke_polyline(canvas, {{10, 10}, {30, 10}}, 5.0f, 1.0f);  // rows 7.5..12.5 covered, edges at half
    CHECK(canvas.at(20, 9) == Approx(1.0f));   // centre 9.5: distance 0.5
    CHECK(canvas.at(20, 8) == Approx(1.0f));   // centre 8.5: distance 1.5, reach 3 -> coverage 1
    CHECK(canvas.at(20, 7) == Approx(0.5f));   // centre 7.5: distance 2.5 -> 0.5
    CHECK(canvas.at(20, 6) == Approx(0.0f));   // centre 6.5: distance 3.5 -> 0
    CHECK(canvas.at(20, 12) == Approx(0.5f));  // centre 12.5, symmetric
    // Area: a 20 x 5 rectangle plus two round caps of radius 2.5 (pi 2.5^2), to within a pixel row.
    CHECK(total(canvas) == Approx(20 * 5 + 3.14159 * 2.5 * 2.5).margin(6));
}

TEST_CASE("overlapping segments of one polyline are painted once, dark ink on light lowers values", "[brush]") {
    GrayCanvas canvas(30, 30, 0.9f);
    const float ink = ink_level(Polarity::dark_on_light, 0.8f);
    CHECK(ink == Approx(0.2f));
    stroke_polyline(canvas, {{5, 15}, {25, 15}, {5, 15.2f}}, 3.0f, ink);  // goes back over itself
    CHECK(canvas.at(15, 14) == Approx(0.2f));  // fully covered, painted once: exactly the ink
    CHECK(canvas.at(15, 2) == Approx(0.9f));   // untouched background
    for (float value : canvas.values) CHECK(value >= 0.2f - 1e-6f);
}

TEST_CASE("a single point draws a dot and a closed polyline joins its ends", "[brush]") {
    GrayCanvas dot(20, 20, 0.0f);
    stroke_polyline(dot, {{10, 10}}, 6.0f, 1.0f);
    CHECK(total(dot) == Approx(3.14159 * 9).margin(2));
    GrayCanvas open(20, 20, 0.0f), closed(20, 20, 0.0f);
    const Polyline corner{{4, 4}, {16, 4}, {16, 16}};
    stroke_polyline(open, corner, 2.0f, 1.0f);
    stroke_polyline(closed, corner, 2.0f, 1.0f, true);
    CHECK(open.at(9, 10) == Approx(0.0f));  // on the diagonal 16,16 -> 4,4
    CHECK(closed.at(9, 10) > 0.4f);
}

TEST_CASE("filling covers whole pixels inside, exact fractions at edges, and nonzero winding cuts holes", "[brush]") {
    GrayCanvas square(20, 20, 0.0f);
    fill_contours(square, {{{2, 2}, {10, 2}, {10, 10.5f}, {2, 10.5f}}}, 1.0f);
    CHECK(square.at(5, 5) == Approx(1.0f));
    CHECK(square.at(1, 5) == Approx(0.0f));
    CHECK(square.at(5, 10) == Approx(0.5f));  // half of row 10 is inside
    CHECK(total(square) == Approx(8 * 8.5));

    GrayCanvas ring(20, 20, 0.0f);
    const Polyline outer{{2, 2}, {18, 2}, {18, 18}, {2, 18}};
    const Polyline inner_reversed{{6, 6}, {6, 14}, {14, 14}, {14, 6}};
    fill_contours(ring, {outer, inner_reversed}, 1.0f);
    CHECK(ring.at(10, 10) == Approx(0.0f));
    CHECK(ring.at(3, 10) == Approx(1.0f));
    CHECK(total(ring) == Approx(16 * 16 - 8 * 8));
}

TEST_CASE("drawing off the canvas is clipped, bad widths and inks are refused", "[brush]") {
    GrayCanvas canvas(10, 10, 0.0f);
    stroke_polyline(canvas, {{-50, -50}, {60, 60}}, 2.0f, 1.0f);
    fill_contours(canvas, {{{-5, -5}, {50, -5}, {50, 3}, {-5, 3}}}, 1.0f);
    CHECK(canvas.at(0, 0) == Approx(1.0f));
    CHECK(error_message([&] { stroke_polyline(canvas, {{1, 1}}, 0.0f, 1.0f); }).find("brush width") !=
          std::string::npos);
    CHECK(error_message([&] { fill_contours(canvas, {}, 1.5f); }).find("ink level") != std::string::npos);
    CHECK(error_message([] { ink_level(Polarity::detect); }).find("detect") != std::string::npos);
    CHECK(error_message([] { GrayCanvas(0, 5, 0.0f); }).find("0 x 5") != std::string::npos);
}
