// A one-line terminal progress bar for training: batches, ETA, loss and throughput.
#pragma once

#include <cstdio>

#include "core/trainer.h"

namespace fcnet::cli {

class ProgressBar {
public:
    // Draws only when `stream` is a terminal, so logs and pipes get the epoch lines alone.
    explicit ProgressBar(std::FILE* stream);

    void update(const BatchProgress& progress);
    void clear();  // erases the bar before a normal line is printed

private:
    std::FILE* stream_;
    bool enabled_;
    bool drawn_ = false;
    double last_draw_ = -1;
};

}  // namespace fcnet::cli
