// The generated rehearsal sample of generated_rehearsal.h: designed digits, non-digits and doodles, drawn and preprocessed.
#include "data/generated_rehearsal.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/seed_mix.h"
#include "data/augment.h"
#include "data/digit_styles.h"
#include "data/doodles.h"
#include "data/nondigits.h"
#include "data/stroke_render.h"
#include "preprocess/digit_image.h"
#include "preprocess/digit_prediction.h"

namespace fcnet {

namespace {

constexpr float kPi = 3.14159265358979f;
constexpr int kCanvasSide = 280;  // the app's canvas
constexpr int kMaxTries = 20;     // drawings in a row that come out empty before giving up

// The non-digit kinds drawn: all but letters (they read font files, which a page does not have).
constexpr NonDigitKind kNonDigitKinds[] = {NonDigitKind::zigzag,           NonDigitKind::spiral,
                                          NonDigitKind::random_walk,      NonDigitKind::crossing_strokes,
                                          NonDigitKind::shape_outline,    NonDigitKind::shape_filled,
                                          NonDigitKind::blob,             NonDigitKind::texture};
constexpr int kNonDigitKindCount = static_cast<int>(std::size(kNonDigitKinds));

float uniform(std::mt19937_64& rng, float low, float high) { return std::uniform_real_distribution<float>(low, high)(rng); }
float log_uniform(std::mt19937_64& rng, float low, float high) {
    return std::exp(uniform(rng, std::log(low), std::log(high)));
}

// A person's version of a designed style: 70% to 130% as wide, and each point moved by a smooth
// warp (two waves across the digit, up to 10% of its height), so no two samples share a shape.
std::vector<Polyline> vary(const DigitStyle& style, std::mt19937_64& rng) {
    const float width = uniform(rng, 0.7f, 1.3f);
    float amplitude[2][2], frequency[2][2], phase[2][2];  // [x or y][wave]
    for (int axis = 0; axis < 2; ++axis) {
        for (int wave = 0; wave < 2; ++wave) {
            amplitude[axis][wave] = uniform(rng, -0.05f, 0.05f);
            frequency[axis][wave] = uniform(rng, 0.5f, 1.5f) * 2 * kPi;
            phase[axis][wave] = uniform(rng, 0, 2 * kPi);
        }
    }
    std::vector<Polyline> strokes = style;
    for (Polyline& stroke : strokes) {
        for (CanvasPoint& p : stroke) {
            const float x = 0.5f + (p.x - 0.5f) * width, y = p.y;
            p.x = x + amplitude[0][0] * std::sin(frequency[0][0] * y + phase[0][0]) +
                  amplitude[0][1] * std::sin(frequency[0][1] * x + phase[0][1]);
            p.y = y + amplitude[1][0] * std::sin(frequency[1][0] * x + phase[1][0]) +
                  amplitude[1][1] * std::sin(frequency[1][1] * y + phase[1][1]);
        }
    }
    return strokes;
}

// How a sample is drawn on the app's canvas: any size from small to nearly full, any place, a
// brush from hairline to fat finger, a small rotation and slant, light jitter, either polarity.
StrokeRendering random_drawing(std::mt19937_64& rng) {
    StrokeRendering r;
    r.canvas_width = r.canvas_height = kCanvasSide;
    r.height_fraction = uniform(rng, 0.25f, 0.9f);
    r.pen_fraction = log_uniform(rng, 0.01f, 0.3f);
    r.place_x = uniform(rng, 0, 1), r.place_y = uniform(rng, 0, 1);
    r.rotation_degrees = std::clamp(std::normal_distribution<float>(0.0f, 10.0f)(rng), -25.0f, 25.0f);
    r.shear = uniform(rng, -0.15f, 0.3f);
    r.jitter = uniform(rng, 0.0f, 0.006f);
    r.spacing = uniform(rng, 0, 1) < 0.5f ? 0.0f : uniform(rng, 0.01f, 0.04f);
    r.light_on_dark = uniform(rng, 0, 1) < 0.7f;
    return r;
}

// Sample `index` of class `label` (its `within`-th) into out784; with `path`, a sample drawn as
// strokes also gives its pen's path there (true), the others none (false).
bool render_sample(int label, int within, std::uint64_t seed, int index, float* out784, Trajectory* path = nullptr) {
    std::mt19937_64 rng(splitmix64(seed, static_cast<std::uint64_t>(index)));  // one stream per sample
    const StrokeInput input = within % 2 == 0 ? StrokeInput::strokes : StrokeInput::image;
    if (label == kDigitClasses && within % 2 == 1) {
        render_nondigit_without_fonts(rng, kNonDigitKinds[(within / 2) % kNonDigitKindCount], out784);
        return false;
    }
    for (int attempt = 0; attempt < kMaxTries; ++attempt) {
        std::vector<Polyline> strokes;
        if (label < kDigitClasses) {
            const std::vector<DigitStyle>& styles = digit_styles()[static_cast<std::size_t>(label)];
            strokes = vary(styles[static_cast<std::size_t>(within) % styles.size()], rng);
        } else {
            strokes = draw_doodle(rng, static_cast<DoodleKind>((within / 2) % kDoodleKinds));
        }
        const DigitImage image = render_digit_image(strokes, random_drawing(rng), input, rng, path);
        if (image.empty) continue;
        if (label < kDigitClasses) {  // rotation, scale, shift, slant, stroke width, elastic
            static const AugmentOptions distortions;
            distort_digit(image.pixels.data(), draw_distortion(distortions, rng()), distortions.upsample,
                          distortions.preprocess, out784);
        } else {
            std::copy(image.pixels.begin(), image.pixels.end(), out784);
        }
        return input == StrokeInput::strokes;
    }
    throw Error("generated rehearsal sample " + std::to_string(index) + " (class " + std::to_string(label) + "): " +
                std::to_string(kMaxTries) + " drawings in a row preprocessed to empty images");
}

// An all-zero sample of the right size, labels and name; throws for a size it does not make.
Dataset blank_sample(int per_class, int classes, std::uint64_t seed) {
    if (per_class < 1 || (classes != kDigitClasses && classes != kDigitClasses + 1)) {
        throw Error("generated rehearsal sample: " + std::to_string(per_class) + " per class of " +
                    std::to_string(classes) + " classes; expected at least 1 per class of 10 (digits) or 11 " +
                    "(digits and not a digit)");
    }
    const int count = per_class * classes;
    Dataset sample;
    sample.features = Matrix::Zero(count, kDigitPixels);  // count x 784
    sample.labels.resize(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) sample.labels[static_cast<std::size_t>(i)] = i / per_class;
    sample.classes = classes;
    sample.name = "generated rehearsal sample (" + std::to_string(per_class) + " per class, seed " +
                  std::to_string(seed) + ")";
    return sample;
}

}  // namespace

PathRehearsal make_generated_path_rehearsal(int per_class, int classes, std::uint64_t seed) {
    return GeneratedRehearsalMaker(per_class, classes, seed).take_paths();
}

Dataset make_generated_rehearsal(int per_class, int classes, std::uint64_t seed) {
    Dataset sample = blank_sample(per_class, classes, seed);
    const int count = sample.size();
    std::string failure;  // the first error: exceptions must not leave a parallel loop
#pragma omp parallel for schedule(dynamic, 8)
    for (int i = 0; i < count; ++i) {
        try {
            render_sample(i / per_class, i % per_class, seed, i, sample.features.row(i).data());
        } catch (const Error& error) {
#pragma omp critical(generated_rehearsal_failure)
            if (failure.empty()) failure = error.what();
        }
    }
    if (!failure.empty()) throw Error(failure);
    return sample;
}

GeneratedRehearsalMaker::GeneratedRehearsalMaker(int per_class, int classes, std::uint64_t seed)
    : sample_(blank_sample(per_class, classes, seed)), per_class_(per_class), seed_(seed) {
    const int drawn_as_strokes = (per_class + 1) / 2;  // of each class: its 1st, 3rd, 5th ... sample
    paths_.paths = Matrix::Zero(classes * drawn_as_strokes, kTrajectoryFeatures);
    for (int i = 0; i < classes * drawn_as_strokes; ++i) paths_.labels.push_back(i / drawn_as_strokes);
}

bool GeneratedRehearsalMaker::render(int samples) {
    Trajectory path{};
    for (const int end = std::min(sample_.size(), next_ + std::max(0, samples)); next_ < end; ++next_) {
        const int label = next_ / per_class_, within = next_ % per_class_;
        if (render_sample(label, within, seed_, next_, sample_.features.row(next_).data(), &path)) {
            paths_.paths.row(label * ((per_class_ + 1) / 2) + within / 2) =
                Eigen::Map<const RowVector>(path.data(), kTrajectoryFeatures);
        }
    }
    return done();
}

PathRehearsal GeneratedRehearsalMaker::take_paths() {
    render(sample_.size());
    return std::move(paths_);
}

Dataset GeneratedRehearsalMaker::take() {
    render(sample_.size());
    next_ = 0;
    return std::move(sample_);
}

}  // namespace fcnet
