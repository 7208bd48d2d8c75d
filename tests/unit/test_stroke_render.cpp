// Unit tests for drawing pen strokes like a person on a screen (data/stroke_render.h) and the writer-disjoint split (data/stroke_split.h).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <set>

#include "data/stroke_render.h"
#include "data/stroke_split.h"
#include "support/test_support.h"

using namespace fcnet;

namespace {

// A "7" with a crossbar, in tablet units (y down), 300 tall and 200 wide.
std::vector<Polyline> crossed_seven() {
    return {{{100, 100}, {300, 100}, {180, 400}}, {{170, 250}, {280, 250}}};
}

struct InkBox {
    int x_min = 1 << 30, y_min = 1 << 30, x_max = -1, y_max = -1;
};

bool same(const std::vector<Polyline>& a, const std::vector<Polyline>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t s = 0; s < a.size(); ++s) {
        if (a[s].size() != b[s].size()) return false;
        for (std::size_t i = 0; i < a[s].size(); ++i) {
            if (a[s][i].x != b[s][i].x || a[s][i].y != b[s][i].y) return false;
        }
    }
    return true;
}

InkBox ink_box(const GrayCanvas& canvas, bool light_on_dark) {
    InkBox box;
    for (int y = 0; y < canvas.height; ++y) {
        for (int x = 0; x < canvas.width; ++x) {
            const float ink = light_on_dark ? canvas.values[y * canvas.width + x] : 1 - canvas.values[y * canvas.width + x];
            if (ink < 0.5f) continue;
            box.x_min = std::min(box.x_min, x), box.x_max = std::max(box.x_max, x);
            box.y_min = std::min(box.y_min, y), box.y_max = std::max(box.y_max, y);
        }
    }
    return box;
}

HandwrittenCharacter character(StrokeSet set, const std::string& writer, const std::string& label, bool test = false) {
    HandwrittenCharacter c;
    c.set = set, c.writer = writer, c.label = label, c.official_test = test;
    return c;
}

}  // namespace

TEST_CASE("strokes are drawn at the asked height, place and pen width, inside the canvas", "[stroke_render]") {
    StrokeRendering r;
    r.canvas_width = 1000, r.canvas_height = 600;
    r.height_fraction = 0.5f;  // 300 pixels tall, 200 wide
    r.pen_fraction = 0.1f;     // a 30-pixel pen
    r.place_x = 0, r.place_y = 1;  // bottom left
    std::mt19937_64 rng(1);
    const GrayCanvas canvas = render_strokes(crossed_seven(), r, rng);
    const InkBox box = ink_box(canvas, true);
    CHECK(box.y_max - box.y_min + 1 == Approx(300 + 30).margin(3));  // the path's height plus the pen's
    CHECK(box.x_max - box.x_min + 1 == Approx(200 + 30).margin(3));
    CHECK(box.x_min >= 0);
    CHECK(box.x_min <= 3);
    CHECK(box.y_max >= 596);
    CHECK(box.y_max <= 599);
}

TEST_CASE("a wide drawing is made smaller to fit the canvas, and dark ink on white works too", "[stroke_render]") {
    StrokeRendering r;
    r.canvas_width = 200, r.canvas_height = 600;
    r.height_fraction = 0.9f;  // 540 tall would be 360 wide: too wide for 200
    r.light_on_dark = false;
    std::mt19937_64 rng(1);
    const GrayCanvas canvas = render_strokes(crossed_seven(), r, rng);
    const InkBox box = ink_box(canvas, false);
    CHECK(box.x_min >= 0);
    CHECK(box.x_max < 200);
    CHECK(box.x_max - box.x_min > 170);  // 95% of the width, less the pen
}

TEST_CASE("jitter and resampling move and respace points but keep the shape", "[stroke_render]") {
    StrokeRendering r;
    r.jitter = 0.01f, r.spacing = 0.02f;  // 1.7-pixel spread, points 3.4 pixels apart at 168 tall
    std::mt19937_64 a(7), b(7), c(8);
    const auto placed = place_strokes(crossed_seven(), r, a);
    CHECK(same(placed, place_strokes(crossed_seven(), r, b)));  // the rng's state decides everything
    CHECK_FALSE(same(placed, place_strokes(crossed_seven(), r, c)));
    REQUIRE(placed.size() == 2);
    CHECK(placed[0].size() > 40);  // a path of about 350 pixels at 3.4 apart
    StrokeRendering clean = r;
    clean.jitter = 0, clean.spacing = 0;
    std::mt19937_64 d(7);
    const auto exact = place_strokes(crossed_seven(), clean, d);
    CHECK(exact[0].size() == 3);
    CHECK(std::hypot(placed[0].front().x - exact[0].front().x, placed[0].front().y - exact[0].front().y) < 8);
}

TEST_CASE("random renderings span the canvases, sizes and pens training needs", "[stroke_render]") {
    std::mt19937_64 rng(3);
    float pen_min = 1, pen_max = 0, height_min = 1, height_max = 0;
    int light = 0;
    for (int i = 0; i < 2000; ++i) {
        const StrokeRendering r = random_rendering(rng);
        CHECK(r.canvas_width >= 200);
        CHECK(r.canvas_height <= 1200);
        pen_min = std::min(pen_min, r.pen_fraction), pen_max = std::max(pen_max, r.pen_fraction);
        height_min = std::min(height_min, r.height_fraction), height_max = std::max(height_max, r.height_fraction);
        light += r.light_on_dark;
    }
    CHECK(pen_min < 0.032f);
    CHECK(pen_max > 0.24f);
    CHECK(height_min < 0.11f);
    CHECK(height_max > 0.89f);
    CHECK(light > 1200);
    CHECK(light < 1600);
}

TEST_CASE("a character reaches the network alike as an image and as strokes", "[stroke_render]") {
    const std::vector<Polyline> seven = crossed_seven();
    std::vector<RenderJob> jobs(2);
    for (RenderJob& job : jobs) job.strokes = &seven, job.label = 7, job.seed = 5;
    jobs[1].input = StrokeInput::strokes;
    std::vector<bool> empty;
    const Dataset both = render_jobs(jobs, 10, "sevens", &empty);
    REQUIRE(both.size() == 2);
    CHECK(both.labels == std::vector<int>{7, 7});
    CHECK(empty == std::vector<bool>{false, false});
    CHECK((both.features.row(0) - both.features.row(1)).cwiseAbs().mean() < 0.06);
}

TEST_CASE("the stroke split keeps every writer in one part and follows each set's rule", "[stroke_render]") {
    CHECK(stroke_part_of(character(StrokeSet::pendigits, "pendigits/tes-3", "4", true)) == StrokePart::test);
    CHECK(stroke_part_of(character(StrokeSet::uji, "uji/w02", "a")) == StrokePart::train);
    CHECK(stroke_part_of(character(StrokeSet::uji, "uji/w08", "7")) == StrokePart::validation);
    CHECK(stroke_part_of(character(StrokeSet::uji, "uji/w11", "7")) == StrokePart::test);
    std::set<StrokePart> seen;
    int test = 0;
    for (int w = 0; w < 1000; ++w) {
        const HandwrittenCharacter c = character(StrokeSet::unipen, "unipen/x/" + std::to_string(w), "1");
        const StrokePart part = stroke_part_of(c);
        CHECK(stroke_part_of(character(StrokeSet::unipen, c.writer, "8")) == part);  // by writer, not label
        seen.insert(part);
        test += part == StrokePart::test;
    }
    CHECK(seen.size() == 3);
    CHECK(test == Approx(200).margin(40));  // 2 buckets of 10
    CHECK(is_nondigit_letter(character(StrokeSet::uji, "uji/w01", "k")));
    CHECK_FALSE(is_nondigit_letter(character(StrokeSet::uji, "uji/w01", "q")));
    CHECK_FALSE(is_nondigit_letter(character(StrokeSet::uji, "uji/w01", "3")));
    CHECK_FALSE(is_nondigit_letter(character(StrokeSet::pendigits, "pendigits/tra-1", "k")));
}
