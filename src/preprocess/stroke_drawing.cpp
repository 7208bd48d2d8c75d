// Pen strokes -> 28x28 declared in stroke_drawing.h: the strokes are scaled to a small canvas and redrawn at MNIST's width.
#include "preprocess/stroke_drawing.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/error.h"

namespace fcnet {

namespace {

struct Extent {
    float x_min = INFINITY, y_min = INFINITY, x_max = -INFINITY, y_max = -INFINITY;
    int points = 0;
};

// The strokes' bounding box and point count, checking every point.
Extent measure(const std::vector<Polyline>& strokes) {
    if (strokes.size() > static_cast<std::size_t>(kMaxDrawingStrokes)) {
        throw Error("preprocess_strokes: " + std::to_string(strokes.size()) + " strokes, more than the " +
                    std::to_string(kMaxDrawingStrokes) + " a drawing may have");
    }
    Extent e;
    for (std::size_t s = 0; s < strokes.size(); ++s) {
        for (const CanvasPoint& p : strokes[s]) {
            if (!std::isfinite(p.x) || !std::isfinite(p.y)) {
                throw Error("preprocess_strokes: stroke " + std::to_string(s) + " has a point that is not finite");
            }
            e.x_min = std::min(e.x_min, p.x), e.x_max = std::max(e.x_max, p.x);
            e.y_min = std::min(e.y_min, p.y), e.y_max = std::max(e.y_max, p.y);
            if (++e.points > kMaxDrawingPoints) {
                throw Error("preprocess_strokes: more than " + std::to_string(kMaxDrawingPoints) + " points");
            }
        }
    }
    return e;
}

}  // namespace

DigitImage preprocess_strokes(const std::vector<Polyline>& strokes, float pen_width, PreprocessOptions options) {
    if (!(pen_width > 0) || !std::isfinite(pen_width)) {
        throw Error("preprocess_strokes: the pen width is " + std::to_string(pen_width) + "; expected a positive number");
    }
    const Extent e = measure(strokes);
    if (e.points == 0) return DigitImage{};
    if (options.stroke_width <= 0) options.stroke_width = kMnistStrokeWidth;

    // The pen's path spans `path` units; with a brush b pixels wide its ink spans path * scale + b
    // pixels. Choosing that to be kStrokeWidthWorkSide with b = stroke_width x it gives the ink
    // MNIST's width-to-size ratio.
    const float side = static_cast<float>(kStrokeWidthWorkSide);
    const float brush = options.stroke_width * side;
    const float path = std::max({e.x_max - e.x_min, e.y_max - e.y_min, pen_width});
    const float scale = (side - brush) / path;
    const float margin = brush;  // the brush's reach and a background border for preprocess_drawing
    const float width = (e.x_max - e.x_min) * scale, height = (e.y_max - e.y_min) * scale;
    GrayCanvas canvas(static_cast<int>(std::ceil(width + 2 * margin)), static_cast<int>(std::ceil(height + 2 * margin)), 0.0f);
    Polyline scaled;
    for (const Polyline& stroke : strokes) {
        if (stroke.empty()) continue;
        scaled.clear();
        for (const CanvasPoint& p : stroke) scaled.push_back({(p.x - e.x_min) * scale + margin, (p.y - e.y_min) * scale + margin});
        stroke_polyline(canvas, scaled, brush, 1.0f);
    }
    options.polarity = Polarity::light_on_dark;
    return preprocess_drawing(canvas.values.data(), canvas.width, canvas.height, options);
}

}  // namespace fcnet
