// Temperature scaling (Guo et al. 2017): one scalar T > 0 fitted by minimising validation NLL.
#pragma once

#include <vector>

#include "core/tensor.h"

namespace fcnet {

struct TemperatureFit {
    float temperature = 1.0f;
    double nll_before = 0;  // at T = 1
    double nll_after = 0;   // at the fitted T (never above nll_before)
};

// Golden-section search on log T over [1/100, 100] to a tolerance of 1e-6 in log T.
// NLL(1/T) is convex, so NLL is unimodal in log T and the search finds the minimum.
TemperatureFit fit_temperature(const Matrix& logits, const std::vector<int>& labels);

}  // namespace fcnet
