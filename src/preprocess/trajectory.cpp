// Pen strokes -> the path features declared in trajectory.h: the pen-down path resampled evenly by length, in the drawing's own box.
#include "preprocess/trajectory.h"

#include <algorithm>
#include <cmath>

#include "preprocess/stroke_drawing.h"

namespace fcnet {

namespace {

// One straight piece of pen-down path, in the box's units, starting `along` the whole path.
struct Segment {
    CanvasPoint from, to;
    float along = 0, length = 0;
    int stroke = 0;
};

}  // namespace

Trajectory trajectory_features(const std::vector<Polyline>& strokes) {
    Trajectory features{};
    if (check_drawing(strokes, "trajectory_features") == 0) return features;
    const PolylineBounds box = bounds_of(strokes);
    const float centre_x = (box.x_min + box.x_max) / 2, centre_y = (box.y_min + box.y_max) / 2;
    const float half_side = std::max(box.width(), box.height()) / 2;
    const float scale = half_side > 0 ? 1 / half_side : 0;  // a single dot stays at the centre
    auto in_box = [&](CanvasPoint p) { return CanvasPoint{(p.x - centre_x) * scale, (p.y - centre_y) * scale}; };

    std::vector<Segment> path;
    float length = 0;
    int first_stroke = -1;  // the first stroke with a point, where the path starts when it has no length
    for (int s = 0; s < static_cast<int>(strokes.size()); ++s) {
        if (first_stroke < 0 && !strokes[s].empty()) first_stroke = s;
        for (std::size_t i = 1; i < strokes[s].size(); ++i) {
            const CanvasPoint from = in_box(strokes[s][i - 1]), to = in_box(strokes[s][i]);
            const float piece = std::hypot(to.x - from.x, to.y - from.y);
            if (piece <= 0) continue;
            path.push_back({from, to, length, piece, s});
            length += piece;
        }
    }

    std::size_t j = 0;  // the segment holding the current sample; samples only move forward
    int previous_stroke = -1;
    for (int k = 0; k < kTrajectoryPoints; ++k) {
        float* point = features.data() + k * kTrajectoryPointFeatures;  // x, y, tx, ty, start
        int stroke = first_stroke;
        if (path.empty()) {
            const CanvasPoint p = in_box(strokes[first_stroke].front());
            point[0] = p.x, point[1] = p.y;
        } else {
            const float at = length * (static_cast<float>(k) + 0.5f) / kTrajectoryPoints;
            while (j + 1 < path.size() && path[j].along + path[j].length < at) ++j;
            const Segment& s = path[j];
            const float f = std::clamp((at - s.along) / s.length, 0.0f, 1.0f);
            point[0] = s.from.x + f * (s.to.x - s.from.x);
            point[1] = s.from.y + f * (s.to.y - s.from.y);
            point[2] = (s.to.x - s.from.x) / s.length;
            point[3] = (s.to.y - s.from.y) / s.length;
            stroke = s.stroke;
        }
        point[4] = k > 0 && stroke != previous_stroke ? 1.0f : 0.0f;
        previous_stroke = stroke;
    }
    int drawn = 0;  // strokes with a point
    for (const Polyline& line : strokes) drawn += line.empty() ? 0 : 1;
    float* shape = features.data() + kTrajectoryPoints * kTrajectoryPointFeatures;  // stroke bins, then aspect
    shape[std::min(drawn, kTrajectoryStrokeBins) - 1] = 1.0f;
    const float extent = box.width() + box.height();
    shape[kTrajectoryStrokeBins] = extent > 0 ? 2 * box.height() / extent - 1 : 0.0f;
    return features;
}

}  // namespace fcnet
