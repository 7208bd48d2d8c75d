// A one-line terminal progress bar for training: batches, ETA, loss and throughput.
#include "cli/progress_bar.h"

#include <unistd.h>

#include <string>

namespace fcnet::cli {

namespace {

std::string format_duration(double seconds) {
    const int total = static_cast<int>(seconds + 0.5);
    char text[32];
    std::snprintf(text, sizeof text, "%d:%02d", total / 60, total % 60);
    return text;
}

}  // namespace

ProgressBar::ProgressBar(std::FILE* stream) : stream_(stream), enabled_(isatty(fileno(stream)) != 0) {}

void ProgressBar::update(const BatchProgress& p) {
    if (!enabled_) return;
    const bool last = p.batch == p.batches;
    if (!last && p.epoch_seconds - last_draw_ < 0.1) return;  // at most ten redraws a second
    last_draw_ = last ? -1 : p.epoch_seconds;

    constexpr int kWidth = 30;
    const int filled = kWidth * p.batch / p.batches;
    std::string bar(filled, '=');
    if (filled < kWidth) bar += '>' + std::string(kWidth - filled - 1, ' ');
    const double eta = p.epoch_seconds / p.batch * (p.batches - p.batch);
    std::fprintf(stream_, "\repoch %d/%d [%s] %d/%d  ETA %s  loss %.4f  %.0f samples/s\033[K", p.epoch, p.epochs,
                 bar.c_str(), p.batch, p.batches, format_duration(eta).c_str(), p.mean_loss, p.samples_per_second);
    std::fflush(stream_);
    drawn_ = true;
}

void ProgressBar::clear() {
    if (!drawn_) return;
    std::fprintf(stream_, "\r\033[K");
    std::fflush(stream_);
    drawn_ = false;
}

}  // namespace fcnet::cli
