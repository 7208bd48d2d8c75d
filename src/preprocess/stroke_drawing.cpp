// Pen strokes -> 28x28 declared in stroke_drawing.h: the strokes are scaled to a small canvas and redrawn at MNIST's width.
#include "preprocess/stroke_drawing.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "core/error.h"

namespace fcnet {

int check_drawing(const std::vector<Polyline>& strokes, const char* who) {
    if (strokes.size() > static_cast<std::size_t>(kMaxDrawingStrokes)) {
        throw Error(std::string(who) + ": " + std::to_string(strokes.size()) + " strokes, more than the " +
                    std::to_string(kMaxDrawingStrokes) + " a drawing may have");
    }
    std::size_t points = 0;
    for (std::size_t s = 0; s < strokes.size(); ++s) {
        points += strokes[s].size();
        if (points > static_cast<std::size_t>(kMaxDrawingPoints)) {
            throw Error(std::string(who) + ": more than the " + std::to_string(kMaxDrawingPoints) +
                        " points a drawing may have");
        }
        for (const CanvasPoint& p : strokes[s]) {
            if (!std::isfinite(p.x) || !std::isfinite(p.y)) {
                throw Error(std::string(who) + ": stroke " + std::to_string(s) + " has a point that is not finite");
            }
        }
    }
    return static_cast<int>(points);
}

DigitImage preprocess_strokes(const std::vector<Polyline>& strokes, float pen_width, PreprocessOptions options) {
    if (!(pen_width > 0) || !std::isfinite(pen_width)) {
        throw Error("preprocess_strokes: the pen width is " + std::to_string(pen_width) + "; expected a positive number");
    }
    if (check_drawing(strokes, "preprocess_strokes") == 0) return DigitImage{};
    const PolylineBounds e = bounds_of(strokes);
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
