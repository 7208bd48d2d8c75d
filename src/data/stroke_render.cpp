// Drawing pen strokes on a canvas as declared in stroke_render.h: placement, jitter, resampling, the round brush.
#include "data/stroke_render.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/error.h"
#include "core/large_matrix.h"
#include "preprocess/stroke_drawing.h"

namespace fcnet {

namespace {

constexpr float kPi = 3.14159265358979f;

// The length a drawing is sized by: its height, or its width when it is flat.
float size_basis(const PolylineBounds& b) { return b.height() >= 0.1f * b.width() ? b.height() : b.width(); }

// Points `spacing` apart along the polyline (its first and last points kept).
Polyline resample(const Polyline& stroke, float spacing) {
    Polyline out{stroke.front()};
    float carried = 0;  // distance since the last point placed
    for (std::size_t i = 1; i < stroke.size(); ++i) {
        const CanvasPoint a = stroke[i - 1], b = stroke[i];
        const float length = std::hypot(b.x - a.x, b.y - a.y);
        float at = spacing - carried;
        for (; at < length; at += spacing) out.push_back({a.x + (b.x - a.x) * at / length, a.y + (b.y - a.y) * at / length});
        carried = length - (at - spacing);
    }
    if (stroke.size() > 1) out.push_back(stroke.back());
    return out;
}

}  // namespace

StrokeRendering random_rendering(std::mt19937_64& rng) {
    std::uniform_real_distribution<float> unit(0.0f, 1.0f);
    const auto between = [&](float low, float high) { return low + (high - low) * unit(rng); };
    StrokeRendering r;
    r.canvas_width = static_cast<int>(between(200, 1200));
    r.canvas_height = static_cast<int>(between(200, 1200));
    r.height_fraction = between(0.1f, 0.9f);
    r.pen_fraction = std::exp(between(std::log(0.03f), std::log(0.25f)));
    r.place_x = unit(rng), r.place_y = unit(rng);
    r.rotation_degrees = std::clamp(std::normal_distribution<float>(0.0f, 7.0f)(rng), -20.0f, 20.0f);
    r.shear = between(-0.2f, 0.2f);
    r.jitter = between(0.0f, 0.008f);
    r.spacing = unit(rng) < 0.5f ? 0.0f : between(0.01f, 0.05f);
    r.light_on_dark = unit(rng) < 0.7f;
    return r;
}

std::vector<Polyline> place_strokes(const std::vector<Polyline>& strokes, const StrokeRendering& r, std::mt19937_64& rng) {
    // Rotation and shear about the centre, in the strokes' own units.
    const PolylineBounds source = bounds_of(strokes);
    const float cx = 0.5f * (source.x_min + source.x_max), cy = 0.5f * (source.y_min + source.y_max);
    const float angle = r.rotation_degrees * kPi / 180, c = std::cos(angle), s = std::sin(angle);
    std::vector<Polyline> placed;
    for (const Polyline& stroke : strokes) {
        if (stroke.empty()) continue;
        Polyline turned;
        for (const CanvasPoint& p : stroke) {
            const float x = p.x - cx + r.shear * (p.y - cy), y = p.y - cy;
            turned.push_back({c * x - s * y, s * x + c * y});
        }
        placed.push_back(std::move(turned));
    }
    // Scale to height_fraction of the canvas (or to fit its width), then place in the room left.
    const PolylineBounds turned = bounds_of(placed);
    const float basis = std::max(size_basis(turned), 1e-6f);
    float scale = r.height_fraction * r.canvas_height / basis;
    scale = std::min(scale, 0.95f * r.canvas_width / std::max(turned.width(), 1e-6f));
    const float pen = std::max(1.0f, r.pen_fraction * basis * scale);
    const auto offset = [&](float place, float canvas, float extent) {
        const float room = canvas - extent * scale - pen - 2;
        return room > 0 ? 1 + pen / 2 + place * room : (canvas - extent * scale) / 2;
    };
    const float left = offset(r.place_x, static_cast<float>(r.canvas_width), turned.width());
    const float top = offset(r.place_y, static_cast<float>(r.canvas_height), turned.height());
    std::normal_distribution<float> wobble(0.0f, r.jitter * basis * scale);
    for (Polyline& stroke : placed) {
        for (CanvasPoint& p : stroke) p = {left + (p.x - turned.x_min) * scale, top + (p.y - turned.y_min) * scale};
        if (r.spacing > 0) stroke = resample(stroke, std::max(1.0f, r.spacing * basis * scale));
        if (r.jitter > 0) {
            for (CanvasPoint& p : stroke) p.x += wobble(rng), p.y += wobble(rng);
        }
    }
    return placed;
}

float pen_width_of(const std::vector<Polyline>& placed, const StrokeRendering& rendering) {
    return std::max(1.0f, rendering.pen_fraction * size_basis(bounds_of(placed)));
}

GrayCanvas render_strokes(const std::vector<Polyline>& strokes, const StrokeRendering& rendering, std::mt19937_64& rng) {
    const std::vector<Polyline> placed = place_strokes(strokes, rendering, rng);
    const float pen = pen_width_of(placed, rendering);
    GrayCanvas canvas(rendering.canvas_width, rendering.canvas_height, rendering.light_on_dark ? 0.0f : 1.0f);
    for (const Polyline& stroke : placed) stroke_polyline(canvas, stroke, pen, rendering.light_on_dark ? 1.0f : 0.0f);
    return canvas;
}

DigitImage render_digit_image(const std::vector<Polyline>& strokes, const StrokeRendering& rendering, StrokeInput input,
                              std::mt19937_64& rng, Trajectory* path) {
    if (input == StrokeInput::strokes) {
        const std::vector<Polyline> placed = place_strokes(strokes, rendering, rng);
        if (path != nullptr) *path = trajectory_features(placed);
        return preprocess_strokes(placed, pen_width_of(placed, rendering));
    }
    const GrayCanvas canvas = render_strokes(strokes, rendering, rng);
    return preprocess_drawing(canvas.values.data(), canvas.width, canvas.height);
}

Dataset render_jobs(const std::vector<RenderJob>& jobs, int classes, const std::string& name, std::vector<bool>* empty,
                    Matrix* paths) {
    const int count = static_cast<int>(jobs.size());
    Dataset data;
    data.features = large_matrix(count, kDigitPixels);  // count x 784
    data.features.setZero();
    data.labels.resize(count);
    data.classes = classes;
    data.name = name;
    if (paths != nullptr) *paths = Matrix::Zero(count, kTrajectoryFeatures);  // count x 246
    std::vector<char> came_out_empty(count, 0);
    std::string failure;  // the first job's error: exceptions must not leave a parallel loop
#pragma omp parallel for schedule(dynamic, 16)
    for (int i = 0; i < count; ++i) {
        const RenderJob& job = jobs[i];
        data.labels[i] = job.label;
        try {
            std::mt19937_64 rng(job.seed);
            Trajectory path{};
            const DigitImage image = render_digit_image(*job.strokes, job.rendering, job.input, rng, &path);
            came_out_empty[i] = image.empty;
            if (paths != nullptr) std::copy(path.begin(), path.end(), paths->row(i).data());
            std::copy(image.pixels.begin(), image.pixels.end(), data.features.row(i).data());
        } catch (const Error& error) {
#pragma omp critical(render_jobs_failure)
            if (failure.empty()) failure = name + ", sample " + std::to_string(i) + ": " + error.what();
        }
    }
    if (!failure.empty()) throw Error(failure);
    if (empty != nullptr) empty->assign(came_out_empty.begin(), came_out_empty.end());
    return data;
}

}  // namespace fcnet
