// Matrices that hold whole data sets, in memory the kernel may back with huge pages.
#pragma once

#include "core/tensor.h"

namespace fcnet {

// An uninitialised rows x cols matrix for a whole data set (MNIST's training images are 188 MB
// as floats). On Linux its memory is advised to use transparent huge pages before anything is
// written, so filling it takes a page fault per 2 MiB instead of per 4 KiB: on this project's
// virtual machines first writes to fresh memory were most of the time `fcnet train` spent reading
// MNIST (docs/gemm.md, "Around the products"). Elsewhere, and where the system declines the
// advice, it is a plain Matrix(rows, cols).
Matrix large_matrix(Eigen::Index rows, Eigen::Index cols);

}  // namespace fcnet
