// Unit tests for the pen-path features of a drawing (preprocess/trajectory.h).
#include <catch2/catch.hpp>

#include <algorithm>
#include <limits>

#include "core/error.h"
#include "preprocess/stroke_drawing.h"
#include "preprocess/trajectory.h"

using namespace fcnet;

namespace {

// Point k's feature f (0 x, 1 y, 2 tx, 3 ty, 4 start).
float at(const Trajectory& t, int k, int f) { return t[k * kTrajectoryPointFeatures + f]; }
// The stroke-count bins and the aspect, after the points.
const float* shape_of(const Trajectory& t) { return t.data() + kTrajectoryPoints * kTrajectoryPointFeatures; }

// The same "4" as test_stroke_width.cpp: two strokes in a unit box, y down.
std::vector<Polyline> four() {
    return {{{0.55f, 0.0f}, {0.1f, 0.65f}, {0.95f, 0.65f}}, {{0.7f, 0.3f}, {0.7f, 1.0f}}};
}

}  // namespace

TEST_CASE("a straight stroke is sampled evenly from end to end, moving right", "[trajectory]") {
    const Trajectory t = trajectory_features({{{10, 50}, {30, 50}, {110, 50}}});  // 100 long, uneven points
    for (int k = 0; k < kTrajectoryPoints; ++k) {
        CHECK(at(t, k, 0) == Approx(-1 + 2 * (k + 0.5) / kTrajectoryPoints).margin(1e-5));
        CHECK(at(t, k, 1) == 0.0f);
        CHECK(at(t, k, 2) == Approx(1.0f));
        CHECK(at(t, k, 3) == Approx(0.0f).margin(1e-6));
        CHECK(at(t, k, 4) == 0.0f);
    }
    const float* shape = shape_of(t);
    CHECK(shape[0] == 1.0f);  // one stroke
    for (int b = 1; b < kTrajectoryStrokeBins; ++b) CHECK(shape[b] == 0.0f);
    CHECK(shape[kTrajectoryStrokeBins] == -1.0f);  // flat: height 0
}

TEST_CASE("size, place and units drop out; direction and aspect stay", "[trajectory]") {
    std::vector<Polyline> big = four();
    for (Polyline& line : big) {
        for (CanvasPoint& p : line) p = {700 + 300 * p.x, 20 + 300 * p.y};
    }
    const Trajectory small = trajectory_features(four()), large = trajectory_features(big);
    for (int i = 0; i < kTrajectoryFeatures; ++i) CHECK(large[i] == Approx(small[i]).margin(1e-4));

    std::vector<Polyline> backwards = four();
    for (Polyline& line : backwards) std::reverse(line.begin(), line.end());
    const Trajectory reversed = trajectory_features(backwards);
    CHECK(at(reversed, 0, 2) == Approx(-at(small, kTrajectoryPoints / 2 - 1, 2)).margin(0.05));
    CHECK(reversed != small);

    const float* shape = shape_of(small);
    CHECK(shape[1] == 1.0f);  // two strokes
    CHECK(shape[kTrajectoryStrokeBins] == Approx(2 * 1.0f / (0.85f + 1.0f) - 1));
}

TEST_CASE("the first point on the second stroke says the pen was lifted", "[trajectory]") {
    // Two strokes of equal length: the first half of the samples on the first, the rest on the second.
    const Trajectory t = trajectory_features({{{0, 0}, {0, 10}}, {{10, 0}, {10, 10}}});
    for (int k = 0; k < kTrajectoryPoints; ++k) {
        CHECK(at(t, k, 4) == (k == kTrajectoryPoints / 2 ? 1.0f : 0.0f));
        CHECK(at(t, k, 0) == (k < kTrajectoryPoints / 2 ? -1.0f : 1.0f));
        CHECK(at(t, k, 3) == 1.0f);  // both drawn downwards
    }
}

TEST_CASE("dots and empty strokes give a defined answer", "[trajectory]") {
    CHECK(trajectory_features(std::vector<Polyline>{}) == Trajectory{});
    CHECK(trajectory_features(std::vector<Polyline>(2)) == Trajectory{});
    // A single dot: at the centre, no direction, one stroke, square.
    const Trajectory dot = trajectory_features({Polyline{}, Polyline{{5, 5}, {5, 5}}});
    for (int k = 0; k < kTrajectoryPoints; ++k) {
        for (int f = 0; f < kTrajectoryPointFeatures; ++f) CHECK(at(dot, k, f) == 0.0f);
    }
    CHECK(shape_of(dot)[0] == 1.0f);
    CHECK(shape_of(dot)[kTrajectoryStrokeBins] == 0.0f);
    // A dot beside a line counts as a stroke but takes no samples.
    const Trajectory dotted = trajectory_features({{{0, 0}, {10, 0}}, {{5, 5}}});
    CHECK(shape_of(dotted)[1] == 1.0f);
    for (int k = 0; k < kTrajectoryPoints; ++k) CHECK(at(dotted, k, 4) == 0.0f);
}

TEST_CASE("strokes that are not finite or too many are refused", "[trajectory]") {
    const float nan = std::numeric_limits<float>::quiet_NaN();
    CHECK_THROWS_AS(trajectory_features({{{0, 0}, {nan, 1}}}), Error);
    CHECK_THROWS_WITH(trajectory_features({{{0, 0}}, {{1, std::numeric_limits<float>::infinity()}}}),
                      Catch::Contains("stroke 1") && Catch::Contains("not finite"));
    CHECK_THROWS_WITH(trajectory_features(std::vector<Polyline>(kMaxDrawingStrokes + 1, Polyline{{0, 0}})),
                      Catch::Contains("strokes"));
    CHECK_THROWS_WITH(trajectory_features({Polyline(kMaxDrawingPoints + 1, CanvasPoint{1, 1})}),
                      Catch::Contains("points"));
}
