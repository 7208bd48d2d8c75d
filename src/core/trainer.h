// Minibatch training: shuffling, optimizer steps, a learning-rate schedule, validation,
// best-model keeping and early stopping.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "core/network.h"
#include "core/optimizer.h"
#include "core/schedule.h"
#include "data/dataset.h"

namespace fcnet {

struct TrainConfig {
    int epochs = 10;
    int batch_size = 64;
    OptimizerConfig optimizer;
    LearningRateSchedule schedule;
    std::uint64_t seed = 1;  // shuffling order
    int patience = 0;        // stop after this many epochs without a better validation score; 0 = never
    bool keep_best = true;   // end with the weights of the best validation epoch
};

struct BatchProgress {
    int epoch = 0, epochs = 0;     // 1-based epoch
    int batch = 0, batches = 0;    // 1-based batch within the epoch
    double mean_loss = 0;          // over the epoch so far
    double samples_per_second = 0;
    double epoch_seconds = 0;      // elapsed in this epoch
};

struct EpochReport {
    int epoch = 0;
    float learning_rate = 0;       // at the start of the epoch
    double train_loss = 0;         // mean over the epoch's batches
    double validation_loss = 0;    // NaN-free only when there is a validation set
    double validation_accuracy = 0;
    bool has_validation = false;
    bool improved = false;         // best validation score so far
    double seconds = 0;
    double samples_per_second = 0;
};

struct TrainResult {
    std::vector<EpochReport> history;
    int best_epoch = 0;            // 0 when there was no validation set
    bool stopped_early = false;
};

struct TrainCallbacks {
    std::function<void(const BatchProgress&)> on_batch;  // may be empty
    std::function<void(const EpochReport&)> on_epoch;    // may be empty
    // May be empty. Rewrites one batch in place before its step (data augmentation):
    // features is rows x inputs (raw, before normalization), labels has `rows` entries.
    std::function<void(Eigen::Ref<Matrix> features, int* labels, int epoch, int batch)> transform_batch;
};

// Trains `network` in place on `train`, validating on `validation` after every epoch when it
// is not empty. Throws fcnet::Error when the loss becomes NaN or infinite (the network is
// then restored to the best weights seen, never left non-finite).
TrainResult train(Network& network, const Dataset& train, const Dataset& validation, const TrainConfig& config,
                  const TrainCallbacks& callbacks = {});

}  // namespace fcnet
