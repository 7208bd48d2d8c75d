// Temperature scaling (Guo et al. 2017): one scalar T > 0 fitted by minimising validation NLL.
#include "core/calibration.h"

#include <cmath>
#include <stdexcept>

#include "core/metrics.h"

namespace fcnet {

TemperatureFit fit_temperature(const Matrix& logits, const std::vector<int>& labels) {
    if (labels.empty()) throw std::invalid_argument("temperature scaling needs at least one validation sample");
    auto nll_at = [&](double log_t) { return mean_nll(logits, labels, static_cast<float>(std::exp(log_t))); };

    const double ratio = (std::sqrt(5.0) - 1.0) / 2.0;  // 1 / golden ratio
    double low = std::log(0.01), high = std::log(100.0);
    double x1 = high - ratio * (high - low), x2 = low + ratio * (high - low);
    double f1 = nll_at(x1), f2 = nll_at(x2);
    while (high - low > 1e-6) {
        if (f1 <= f2) {  // the minimum lies in [low, x2]
            high = x2; x2 = x1; f2 = f1;
            x1 = high - ratio * (high - low); f1 = nll_at(x1);
        } else {         // the minimum lies in [x1, high]
            low = x1; x1 = x2; f1 = f2;
            x2 = low + ratio * (high - low); f2 = nll_at(x2);
        }
    }
    TemperatureFit fit;
    fit.nll_before = nll_at(0.0);
    const double best = 0.5 * (low + high);
    fit.nll_after = nll_at(best);
    fit.temperature = static_cast<float>(std::exp(best));
    if (!(fit.nll_after <= fit.nll_before)) {  // float rounding near T = 1: keep the model as it was
        fit.temperature = 1.0f;
        fit.nll_after = fit.nll_before;
    }
    return fit;
}

}  // namespace fcnet
