// Matrix and vector types shared by the whole library (float32, samples are rows).
#pragma once

#include <Eigen/Core>

namespace fcnet {

// A batch is (samples x features), row-major, so one sample is one contiguous row.
using Matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using RowVector = Eigen::Matrix<float, 1, Eigen::Dynamic>;
using Vector = Eigen::VectorXf;

}  // namespace fcnet
