// Unit tests for the hand-drawn doodles (data/doodles.h): determinism, bounds, variety, names and each kind's shape.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "data/doodles.h"
#include "preprocess/brush.h"

using namespace fcnet;

namespace {

constexpr float kPi = 3.14159265358979f;

std::vector<Polyline> doodle(DoodleKind kind, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    return draw_doodle(rng, kind);
}

DoodleKind kind_at(int k) { return static_cast<DoodleKind>(k); }

float distance(CanvasPoint a, CanvasPoint b) { return std::hypot(a.x - b.x, a.y - b.y); }

float distance_to_line(CanvasPoint p, CanvasPoint a, CanvasPoint b) {
    return std::abs((b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x)) / distance(a, b);
}

float path_length(const Polyline& line) {
    float total = 0;
    for (std::size_t i = 1; i < line.size(); ++i) total += distance(line[i - 1], line[i]);
    return total;
}

// The stroke's points every `step` along it.
Polyline resampled(const Polyline& line, float step) {
    Polyline out{line[0]};
    float carried = 0;
    for (std::size_t i = 1; i < line.size(); ++i) {
        const float segment = distance(line[i - 1], line[i]);
        for (float s = step - carried; s <= segment; s += step) {
            const float t = s / segment;
            const CanvasPoint a = line[i - 1], b = line[i];
            out.push_back({a.x + t * (b.x - a.x), a.y + t * (b.y - a.y)});
        }
        carried = std::fmod(carried + segment, step);
    }
    return out;
}

// How many corners turn the stroke by more than `degrees`: the turn at a point is the angle
// between the chords `reach` units long before and after it (so the hand's small wobble does not
// count), and a corner ends when the turn falls below half the threshold.
int sharp_turns(const Polyline& line, float degrees, float reach = 0.12f) {
    const float step = 0.01f;
    const Polyline points = resampled(line, step);
    const int steps = static_cast<int>(reach / step), n = static_cast<int>(points.size());
    int corners = 0;
    bool in_corner = false;
    for (int i = steps; i + steps < n; ++i) {
        const CanvasPoint a = points[i - steps], p = points[i], b = points[i + steps];
        const float in_x = p.x - a.x, in_y = p.y - a.y, out_x = b.x - p.x, out_y = b.y - p.y;
        const float turn = std::abs(std::atan2(in_x * out_y - in_y * out_x, in_x * out_x + in_y * out_y)) * 180 / kPi;
        if (turn > degrees && !in_corner) ++corners, in_corner = true;
        if (turn < degrees / 2) in_corner = false;
    }
    return corners;
}

const Polyline& longest_stroke(const std::vector<Polyline>& strokes) {
    return *std::max_element(strokes.begin(), strokes.end(),
                             [](const Polyline& a, const Polyline& b) { return path_length(a) < path_length(b); });
}

}  // namespace

TEST_CASE("a doodle depends only on the rng's state, and the rng moves on the same way", "[doodles]") {
    for (int k = 0; k < kDoodleKinds; ++k) {
        INFO(doodle_kind_name(kind_at(k)));
        std::mt19937_64 first(41), again(41), other(42);
        const std::vector<Polyline> a = draw_doodle(first, kind_at(k)), b = draw_doodle(again, kind_at(k));
        REQUIRE(a.size() == b.size());
        for (std::size_t i = 0; i < a.size(); ++i) {
            REQUIRE(a[i].size() == b[i].size());
            for (std::size_t j = 0; j < a[i].size(); ++j) CHECK((a[i][j].x == b[i][j].x && a[i][j].y == b[i][j].y));
        }
        CHECK(first() == again());
        const std::vector<Polyline> c = draw_doodle(other, kind_at(k));
        CHECK((c.size() != a.size() || c[0].size() != a[0].size() || c[0][0].x != a[0][0].x));
    }
}

TEST_CASE("every kind gives finite, non-empty strokes that fill [-1, 1]^2 along their longer side", "[doodles]") {
    std::mt19937_64 rng(7);
    for (int i = 0; i < 200; ++i) {
        for (int k = 0; k < kDoodleKinds; ++k) {
            INFO(doodle_kind_name(kind_at(k)) << ", draw " << i);
            const std::vector<Polyline> strokes = draw_doodle(rng, kind_at(k));
            REQUIRE(!strokes.empty());
            for (const Polyline& line : strokes) {
                REQUIRE(!line.empty());
                for (const CanvasPoint& p : line) {
                    REQUIRE((std::isfinite(p.x) && std::isfinite(p.y)));
                    REQUIRE((std::abs(p.x) <= 1.0f && std::abs(p.y) <= 1.0f));
                }
            }
            const PolylineBounds b = bounds_of(strokes);
            CHECK(std::max(b.width(), b.height()) == Approx(2.0f).margin(1e-4));
            CHECK(std::min(b.width(), b.height()) > 0.2f);  // a shape, not a line
        }
    }
}

TEST_CASE("each kind varies from seed to seed: proportions, sampling and (for most) stroke counts", "[doodles]") {
    for (int k = 0; k < kDoodleKinds; ++k) {
        const DoodleKind kind = kind_at(k);
        INFO(doodle_kind_name(kind));
        std::set<std::size_t> stroke_counts, point_counts;
        float least_aspect = INFINITY, most_aspect = 0;
        for (std::uint64_t seed = 0; seed < 100; ++seed) {
            const std::vector<Polyline> strokes = doodle(kind, seed);
            stroke_counts.insert(strokes.size());
            std::size_t points = 0;
            for (const Polyline& line : strokes) points += line.size();
            point_counts.insert(points);
            const PolylineBounds b = bounds_of(strokes);
            least_aspect = std::min(least_aspect, b.width() / b.height());
            most_aspect = std::max(most_aspect, b.width() / b.height());
        }
        CHECK(most_aspect > 1.4f * least_aspect);
        CHECK(point_counts.size() > 40);  // the hand samples its strokes unevenly
        if (kind == DoodleKind::star || kind == DoodleKind::tick) {
            CHECK(stroke_counts == std::set<std::size_t>{1});  // drawn in one stroke
        } else {
            CHECK(stroke_counts.size() >= 2);
        }
    }
}

TEST_CASE("doodle_kind_name names each kind once", "[doodles]") {
    const std::vector<std::string> expected{"house", "box",    "triangle", "star", "arrow",
                                            "heart", "smiley", "hatch",    "tick", "lightning_bolt"};
    REQUIRE(static_cast<int>(expected.size()) == kDoodleKinds);
    std::set<std::string> names;
    for (int k = 0; k < kDoodleKinds; ++k) {
        CHECK(doodle_kind_name(kind_at(k)) == expected[k]);
        names.insert(doodle_kind_name(kind_at(k)));
    }
    CHECK(static_cast<int>(names.size()) == kDoodleKinds);
}

TEST_CASE("a house's highest point is a roof's apex, between the walls", "[doodles]") {
    for (std::uint64_t seed = 0; seed < 200; ++seed) {
        INFO("seed " << seed);
        const std::vector<Polyline> strokes = doodle(DoodleKind::house, seed);
        const PolylineBounds b = bounds_of(strokes);
        CanvasPoint highest{0, INFINITY};
        for (const Polyline& line : strokes)
            for (const CanvasPoint& p : line)
                if (p.y < highest.y) highest = p;
        CHECK(std::abs(highest.x - (b.x_min + b.x_max) / 2) < 0.35f * b.width());  // a box's corner would be 0.5 out
    }
}

TEST_CASE("a star is one stroke with about five sharp points along it", "[doodles]") {
    for (std::uint64_t seed = 0; seed < 200; ++seed) {
        INFO("seed " << seed);
        const std::vector<Polyline> strokes = doodle(DoodleKind::star, seed);
        REQUIRE(strokes.size() == 1);
        // A pentagram's points turn by about 144 degrees, an outline star's by 120 to 150 (its
        // notches by 50 to 80 the other way; an irregular one may reach 90). The fifth point is often
        // where the stroke starts and ends, so it does not turn there.
        const int points = sharp_turns(strokes[0], 90, 0.2f);
        CHECK(points >= 4);
        CHECK(points <= 6);
    }
}

TEST_CASE("a smiley is a face with at least three features inside it, never a lone circle", "[doodles]") {
    for (std::uint64_t seed = 0; seed < 200; ++seed) {
        INFO("seed " << seed);
        const std::vector<Polyline> strokes = doodle(DoodleKind::smiley, seed);
        REQUIRE(strokes.size() >= 4);  // a face, two eyes, a mouth
        const PolylineBounds all = bounds_of(strokes);
        int faces = 0;
        for (const Polyline& line : strokes) {
            const PolylineBounds b = bounds_of({line});
            if (b.width() > 0.9f * all.width() && b.height() > 0.9f * all.height()) ++faces;
            else CHECK((b.x_min > all.x_min && b.x_max < all.x_max && b.y_min > all.y_min && b.y_max < all.y_max));
        }
        CHECK(faces == 1);
    }
}

TEST_CASE("a heart has its tip at the bottom middle and a cleft between two lobes on top", "[doodles]") {
    for (std::uint64_t seed = 0; seed < 200; ++seed) {
        INFO("seed " << seed);
        const std::vector<Polyline> strokes = doodle(DoodleKind::heart, seed);
        const PolylineBounds b = bounds_of(strokes);
        CanvasPoint lowest{0, -INFINITY};  // y points down
        std::vector<float> top(80, -INFINITY);  // the outline's highest point in 80 columns across, as -y
        for (const Polyline& line : strokes) {
            for (const CanvasPoint& p : resampled(line, 0.01f)) {
                if (p.y > lowest.y) lowest = p;
                const int column = std::min(79, static_cast<int>(80 * (p.x - b.x_min) / b.width()));
                top[column] = std::max(top[column], -p.y);
            }
        }
        CHECK(std::abs(lowest.x - (b.x_min + b.x_max) / 2) < 0.25f * b.width());
        // The cleft: how far the top dips below the lower of the highest points on either side of it.
        float cleft = 0;
        for (std::size_t i = 0; i < top.size(); ++i) {
            const float left = *std::max_element(top.begin(), top.begin() + i + 1);
            const float right = *std::max_element(top.begin() + i, top.end());
            cleft = std::max(cleft, std::min(left, right) - top[i]);
        }
        CHECK(cleft > 0.05f * b.height());
    }
}

TEST_CASE("a hatch is three or more straight strokes, each parallel to another", "[doodles]") {
    for (std::uint64_t seed = 0; seed < 200; ++seed) {
        INFO("seed " << seed);
        const std::vector<Polyline> strokes = doodle(DoodleKind::hatch, seed);
        REQUIRE(strokes.size() >= 3);
        std::vector<float> directions;
        for (const Polyline& line : strokes) {
            const float chord = distance(line.front(), line.back());
            for (const CanvasPoint& p : line) CHECK(distance_to_line(p, line.front(), line.back()) < 0.15f * chord);
            directions.push_back(std::atan2(line.back().y - line.front().y, line.back().x - line.front().x));
        }
        for (std::size_t i = 0; i < directions.size(); ++i) {
            bool has_parallel = false;
            for (std::size_t j = 0; j < directions.size(); ++j) {
                const float apart = std::abs(std::remainder(directions[i] - directions[j], kPi));  // either way along
                if (j != i && apart < 20 * kPi / 180) has_parallel = true;
            }
            CHECK(has_parallel);
        }
    }
}

TEST_CASE("a tick is one stroke turning once, at its lowest point, from a short arm to a higher one on the right",
          "[doodles]") {
    for (std::uint64_t seed = 0; seed < 200; ++seed) {
        INFO("seed " << seed);
        const std::vector<Polyline> strokes = doodle(DoodleKind::tick, seed);
        REQUIRE(strokes.size() == 1);
        const Polyline& line = strokes[0];
        CHECK(sharp_turns(line, 50, 0.3f) == 1);  // the arms are 70 to 100 degrees apart, the corner often rounded
        const PolylineBounds b = bounds_of(strokes);
        const auto higher = [](CanvasPoint p, CanvasPoint q) { return p.y < q.y; };  // y points down
        const CanvasPoint lowest = *std::max_element(line.begin(), line.end(), higher);
        const CanvasPoint left_end = line.front().x < line.back().x ? line.front() : line.back();
        const CanvasPoint right_end = line.front().x < line.back().x ? line.back() : line.front();
        CHECK((left_end.x < lowest.x && lowest.x < right_end.x));
        CHECK(right_end.y < left_end.y);  // y points down
        CHECK(right_end.y < b.y_min + 0.2f * b.height());
    }
}

TEST_CASE("a lightning bolt is taller than wide and zigzags: at least two sharp turns", "[doodles]") {
    for (std::uint64_t seed = 0; seed < 200; ++seed) {
        INFO("seed " << seed);
        const std::vector<Polyline> strokes = doodle(DoodleKind::lightning_bolt, seed);
        const PolylineBounds b = bounds_of(strokes);
        CHECK(b.height() > b.width());
        CHECK(sharp_turns(longest_stroke(strokes), 50) >= 2);  // its corners turn by 110 to 160 degrees
    }
}
