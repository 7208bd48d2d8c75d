// Digits drawn with a round brush read by the shipped model: held-out writers' real pen strokes, and hand-designed styles.
#include <catch2/catch.hpp>

#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "data/digit_styles.h"
#include "data/stroke_render.h"
#include "data/stroke_split.h"
#include "data/strokes.h"
#include "io/model_file.h"
#include "preprocess/brush.h"
#include "preprocess/digit_prediction.h"
#include "support/test_support.h"

using namespace fcnet;

namespace {

constexpr int kCanvas = 280;

struct Render {
    float height;        // the digit's height on the 280 x 280 canvas, pixels
    float brush;         // brush width as a fraction of the height
    bool dark_on_light;  // black ink on white, or white on black
};

// The strokes drawn `render.height` px high, slanted by `shear`, at a random place on the canvas.
std::vector<std::uint8_t> draw(const DigitStyle& strokes, const Render& render, float shear, std::mt19937_64& rng) {
    const float h = render.height, margin = render.height * (0.5f + render.brush);
    const float centre_x = std::uniform_real_distribution<float>(margin, kCanvas - margin)(rng);
    const float centre_y = std::uniform_real_distribution<float>(margin, kCanvas - margin)(rng);
    const Polarity polarity = render.dark_on_light ? Polarity::dark_on_light : Polarity::light_on_dark;
    GrayCanvas canvas(kCanvas, kCanvas, render.dark_on_light ? 1.0f : 0.0f);
    for (const Polyline& stroke : strokes) {
        Polyline placed;
        for (const CanvasPoint& p : stroke) {
            placed.push_back({centre_x + (p.x - 0.5f) * h + shear * (0.5f - p.y) * h, centre_y + (p.y - 0.5f) * h});
        }
        stroke_polyline(canvas, placed, std::max(1.5f, render.brush * h), ink_level(polarity));
    }
    std::vector<std::uint8_t> pixels(canvas.values.size());
    for (std::size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<std::uint8_t>(std::lround(canvas.values[i] * 255));
    return pixels;
}

}  // namespace

TEST_CASE("digits drawn with a round brush are read correctly by the shipped model", "[preprocess][integration]") {
    const Model model = load_model(FCNET_SOURCE_DIR "/models/mnist.fcnet");
    const auto& styles = digit_styles();
    std::mt19937_64 rng(17);
    constexpr std::array<float, 3> kBrushes = {0.03f, 0.08f, 0.16f};  // of the height: thin pen, marker, finger
    std::array<int, 10> right{}, total{};
    std::array<int, 3> right_by_brush{}, total_by_brush{};
    std::string misread;
    for (int digit = 0; digit < 10; ++digit) {
        for (std::size_t style = 0; style < styles[digit].size(); ++style) {
            for (float height : {60.0f, 120.0f, 200.0f}) {
                for (std::size_t b = 0; b < kBrushes.size(); ++b) {
                    const float brush = kBrushes[b];
                    for (float shear : {-0.1f, 0.0f, 0.2f}) {    // leaning left, upright, right
                        for (bool dark_on_light : {true, false}) {
                            const Render render{height, brush, dark_on_light};
                            const std::vector<std::uint8_t> pixels = draw(styles[digit][style], render, shear, rng);
                            const DigitPrediction prediction =
                                classify_drawing(model, PixelBuffer{pixels.data(), kCanvas, kCanvas, 1});
                            ++total[digit], ++total_by_brush[b];
                            if (prediction.digit == digit) {
                                ++right[digit], ++right_by_brush[b];
                            } else {
                                char text[64];
                                std::snprintf(text, sizeof text, "%d/%zu->%d (h %.0f, w %.2f, s %.1f%s)  ", digit, style,
                                              prediction.digit, height, brush, shear, dark_on_light ? "" : ", inv");
                                misread += text;
                            }
                        }
                    }
                }
            }
        }
    }
    int all_right = 0, all = 0;
    std::string per_digit;
    for (int digit = 0; digit < 10; ++digit) {
        all_right += right[digit], all += total[digit];
        per_digit += std::to_string(digit) + ": " + std::to_string(right[digit]) + "/" + std::to_string(total[digit]) + "  ";
    }
    const double rate = static_cast<double>(all_right) / all;
    std::array<double, 3> rate_by_brush{};
    std::string per_brush;
    for (std::size_t b = 0; b < kBrushes.size(); ++b) {
        rate_by_brush[b] = static_cast<double>(right_by_brush[b]) / total_by_brush[b];
        per_brush += std::to_string(kBrushes[b]).substr(0, 4) + ": " + std::to_string(100 * rate_by_brush[b]).substr(0, 5) + "%  ";
    }
    WARN("rendered strokes read correctly: " << all_right << "/" << all << " (" << 100 * rate << "%)\nper digit "
                                             << per_digit << "\nper brush width / height " << per_brush
                                             << "\nmisread (digit/style->read (height, brush width / height, "
                                             << "shear)): " << misread);
    // Measured with the shipped model (models/README.md), trained with real pen strokes: 1296/1296
    // at every brush width (the three-network model before it: 1291, five thin 1s and 7s missed).
    // The MNIST-only model read 97.5% (27 of the 162 1s, the flagged style, as 7). Asserted a little below.
    CHECK(rate >= 0.98);
    CHECK(rate_by_brush[0] >= 0.97);
    CHECK(rate_by_brush[1] >= 0.98);
    CHECK(rate_by_brush[2] >= 0.98);
}

TEST_CASE("held-out writers' real pen strokes are read by the shipped model, as images and as strokes",
          "[preprocess][integration][strokes]") {
    if (!std::filesystem::is_directory(strokes_dir())) {
        WARN("no pen strokes in " << strokes_dir() << " (set FCNET_STROKES_DIR): skipped");
        return;
    }
    const Model model = load_model(FCNET_SOURCE_DIR "/models/mnist.fcnet");
    const StrokeCollection collection = read_stroke_folder(strokes_dir());
    // Every 8th digit of the writers no training part holds (about 900), on a 280 x 280 canvas.
    std::vector<const HandwrittenCharacter*> digits;
    int seen = 0;
    for (const HandwrittenCharacter& c : collection.characters) {
        if (c.is_digit() && stroke_part_of(c) == StrokePart::test && seen++ % 8 == 0) digits.push_back(&c);
    }
    REQUIRE(digits.size() > 800);
    struct Way {
        const char* name;
        float pen;  // of the digit's height
        StrokeInput input;
        double at_least;
    };
    // Measured with the shipped model (models/README.md): 96.9%, 97.3% and 97.4% (the three-network
    // model before it: 96.0%, 96.3% and 96.8%; MNIST only: 91-95% with `fcnet evaluate --strokes`).
    // Asserted a little below each.
    const Way ways[] = {{"stylus 4%, image", 0.04f, StrokeInput::image, 0.94},
                        {"finger 15%, image", 0.15f, StrokeInput::image, 0.94},
                        {"finger 15%, strokes", 0.15f, StrokeInput::strokes, 0.94}};
    for (const Way& way : ways) {
        std::mt19937_64 rng(23);
        std::vector<RenderJob> jobs;
        for (const HandwrittenCharacter* c : digits) {
            RenderJob job;
            job.strokes = &c->strokes;
            job.label = c->label[0] - '0';
            job.rendering.height_fraction = std::uniform_real_distribution<float>(0.15f, 0.9f)(rng);
            job.rendering.pen_fraction = way.pen;
            job.rendering.place_x = std::uniform_real_distribution<float>(0, 1)(rng);
            job.rendering.place_y = std::uniform_real_distribution<float>(0, 1)(rng);
            job.input = way.input;
            job.seed = rng();
            jobs.push_back(job);
        }
        const Dataset rendered = render_jobs(jobs, 10, way.name);
        int right = 0;
        for (int i = 0; i < rendered.size(); ++i) {
            DigitImage image;
            image.empty = false;
            std::copy(rendered.features.row(i).data(), rendered.features.row(i).data() + kDigitPixels, image.pixels.begin());
            const DigitPrediction p = classify_digit_image(model, image);
            right += p.digit == rendered.labels[i] && p.is_digit;
        }
        const double rate = static_cast<double>(right) / rendered.size();
        WARN(way.name << ": " << right << "/" << rendered.size() << " read right and accepted (" << 100 * rate << "%)");
        CHECK(rate >= way.at_least);
    }
}
