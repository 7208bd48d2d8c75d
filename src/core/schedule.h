// Learning-rate schedules: constant, step decay and cosine annealing.
#pragma once

#include <string>

namespace fcnet {

struct LearningRateSchedule {
    enum class Kind { constant, step, cosine };
    Kind kind = Kind::constant;
    float base_rate = 1e-3f;
    int step_epochs = 5;      // step: multiply by step_factor every step_epochs epochs
    float step_factor = 0.5f;
    float final_fraction = 0.0f;  // cosine: the rate ends at base_rate * final_fraction

    // Rate at `progress` epochs into a run of `total_epochs` (progress may be fractional).
    float rate(double progress, int total_epochs) const;
};

std::string schedule_name(LearningRateSchedule::Kind kind);
LearningRateSchedule::Kind parse_schedule(const std::string& name);  // throws std::invalid_argument

}  // namespace fcnet
