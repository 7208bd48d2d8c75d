// Learning-rate schedules: constant, step decay and cosine annealing.
#include "core/schedule.h"

#include <cmath>
#include <stdexcept>

namespace fcnet {

float LearningRateSchedule::rate(double progress, int total_epochs) const {
    switch (kind) {
        case Kind::constant: return base_rate;
        case Kind::step:
            return base_rate * std::pow(step_factor, std::floor(progress / std::max(step_epochs, 1)));
        case Kind::cosine: {
            const double t = total_epochs > 0 ? std::min(progress / total_epochs, 1.0) : 1.0;
            const double floor = base_rate * final_fraction;
            return static_cast<float>(floor + 0.5 * (base_rate - floor) * (1.0 + std::cos(M_PI * t)));
        }
    }
    return base_rate;
}

std::string schedule_name(LearningRateSchedule::Kind kind) {
    switch (kind) {
        case LearningRateSchedule::Kind::constant: return "constant";
        case LearningRateSchedule::Kind::step: return "step";
        case LearningRateSchedule::Kind::cosine: return "cosine";
    }
    return "unknown";
}

LearningRateSchedule::Kind parse_schedule(const std::string& name) {
    for (auto kind : {LearningRateSchedule::Kind::constant, LearningRateSchedule::Kind::step,
                      LearningRateSchedule::Kind::cosine}) {
        if (schedule_name(kind) == name) return kind;
    }
    throw std::invalid_argument("unknown learning-rate schedule '" + name + "' (expected constant, step or cosine)");
}

}  // namespace fcnet
