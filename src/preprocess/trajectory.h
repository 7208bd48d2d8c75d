// A drawing given as pen strokes -> a fixed-length vector describing the pen's path: where it went, which way, and where it lifted.
#pragma once

#include <array>
#include <vector>

#include "preprocess/brush.h"

namespace fcnet {

// The path is resampled at kTrajectoryPoints points spaced evenly along the pen-down length
// (strokes in writing order, the jumps between them not counted); each point gives
// kTrajectoryPointFeatures numbers:
//   x, y     its place in the drawing's bounding box, centred, the longer side spanning [-1, 1]
//            (so size, place and canvas drop out; the aspect stays)
//   tx, ty   the unit direction the pen moved there (0, 0 on a stroke that is a single point)
//   start    1 if the pen was lifted since the point before (the first point: 0)
// then kTrajectoryStrokeBins numbers, the stroke count one-hot (1, 2, 3, 4, 5 or more), then
// the shape's height / (width + height) mapped to [-1, 1].
constexpr int kTrajectoryPoints = 48;
constexpr int kTrajectoryPointFeatures = 5;
constexpr int kTrajectoryStrokeBins = 5;
constexpr int kTrajectoryFeatures = kTrajectoryPoints * kTrajectoryPointFeatures + kTrajectoryStrokeBins + 1;  // 246

using Trajectory = std::array<float, kTrajectoryFeatures>;

// The features of `strokes` (any units, y down, writing order). No strokes, or strokes without
// points, give all zeros. Throws fcnet::Error if a coordinate is not finite or the drawing has
// more strokes or points than stroke_drawing.h's kMaxDrawingStrokes and kMaxDrawingPoints.
Trajectory trajectory_features(const std::vector<Polyline>& strokes);

}  // namespace fcnet
