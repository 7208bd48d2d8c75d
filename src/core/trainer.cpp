// Minibatch training: shuffling, optimizer steps, a learning-rate schedule, validation,
// best-model keeping and early stopping.
#include "core/trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <random>
#include <string>

#include "core/backprop.h"
#include "core/error.h"
#include "core/metrics.h"

namespace fcnet {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// Validation logits computed in chunks, so memory stays bounded for large sets.
Matrix chunked_logits(const Network& network, const Matrix& features) {
    constexpr Eigen::Index kChunk = 4096;
    Matrix logits(features.rows(), network.classes());
    for (Eigen::Index start = 0; start < features.rows(); start += kChunk) {
        const Eigen::Index rows = std::min(kChunk, features.rows() - start);
        logits.middleRows(start, rows) = network.logits(features.middleRows(start, rows));
    }
    return logits;
}

// True when (accuracy, loss) beats the best so far: higher accuracy, or equal and lower loss.
bool better(double accuracy, double loss, double best_accuracy, double best_loss) {
    return accuracy > best_accuracy || (accuracy == best_accuracy && loss < best_loss);
}

}  // namespace

TrainResult train(Network& network, const Dataset& train, const Dataset& validation, const TrainConfig& config,
                  const TrainCallbacks& callbacks) {
    if (train.size() == 0) throw Error("training set is empty");
    if (train.feature_count() != network.inputs()) {
        throw Error("training data has " + std::to_string(train.feature_count()) + " features but the network takes " +
                    std::to_string(network.inputs()));
    }
    const int samples = train.size();
    const int batch_size = std::clamp(config.batch_size, 1, samples);
    const int batches = (samples + batch_size - 1) / batch_size;
    const bool has_validation = validation.size() > 0;

    Optimizer optimizer(config.optimizer);
    Backprop backprop;
    std::mt19937_64 rng(config.seed);
    std::vector<int> order(samples);
    std::iota(order.begin(), order.end(), 0);
    // Each share of a batch's gradient is applied as soon as backprop has it, on its thread.
    const ShareReady apply = [&](const std::vector<LayerGradients>& gradients, const GradientShare& share) {
        optimizer.update(network, gradients, share);
    };
    Matrix batch_features(callbacks.transform_batch ? batch_size : 0, train.feature_count());
    std::vector<int> batch_labels(callbacks.transform_batch ? batch_size : 0);

    TrainResult result;
    Network best = network;
    double best_accuracy = -1, best_loss = INFINITY;
    int epochs_without_improvement = 0;

    for (int epoch = 1; epoch <= config.epochs; ++epoch) {
        std::shuffle(order.begin(), order.end(), rng);
        const auto epoch_start = Clock::now();
        EpochReport report;
        report.epoch = epoch;
        report.learning_rate = config.schedule.rate(epoch - 1, config.epochs);
        double loss_sum = 0;
        for (int b = 0; b < batches; ++b) {
            const int first = b * batch_size;
            const int rows = std::min(batch_size, samples - first);
            // This batch's step: backprop applies each share of its gradient as soon as it is final
            // (a non-finite loss below restores the best weights).
            optimizer.begin_step(network,
                                 config.schedule.rate(epoch - 1 + static_cast<double>(b) / batches, config.epochs));
            double loss;
            if (callbacks.transform_batch) {  // the batch is copied so the callback can change it
                for (int r = 0; r < rows; ++r) {
                    batch_features.row(r) = train.features.row(order[first + r]);
                    batch_labels[r] = train.labels[order[first + r]];
                }
                callbacks.transform_batch(batch_features.topRows(rows), batch_labels.data(), epoch, b + 1);
                loss = backprop.compute(network, batch_features.topRows(rows), batch_labels.data(), apply);
            } else {
                loss = backprop.compute(network, train.features, train.labels.data(), order.data() + first, rows,
                                        apply);
            }
            if (!std::isfinite(loss)) {
                network = best;
                throw Error("training diverged: the loss became " + std::to_string(loss) + " at epoch " +
                            std::to_string(epoch) + ", batch " + std::to_string(b + 1) +
                            " (try a lower learning rate); no model was kept from this run");
            }
            loss_sum += loss;
            if (callbacks.on_batch) {
                const double elapsed = seconds_since(epoch_start);
                callbacks.on_batch({epoch, config.epochs, b + 1, batches, loss_sum / (b + 1),
                                    (first + rows) / std::max(elapsed, 1e-9), elapsed});
            }
        }
        report.train_loss = loss_sum / batches;
        report.seconds = seconds_since(epoch_start);
        report.samples_per_second = samples / std::max(report.seconds, 1e-9);
        if (!network.all_finite()) {
            network = best;
            throw Error("training diverged: the weights became non-finite at epoch " + std::to_string(epoch) +
                        " (try a lower learning rate); no model was kept from this run");
        }

        if (has_validation) {
            const Evaluation scores = evaluate(chunked_logits(network, validation.features), validation.labels);
            report.has_validation = true;
            report.validation_loss = scores.nll;
            report.validation_accuracy = scores.accuracy;
            report.improved = better(scores.accuracy, scores.nll, best_accuracy, best_loss);
        } else {
            report.improved = true;
        }
        if (report.improved) {
            best = network;
            best_accuracy = report.validation_accuracy;
            best_loss = report.validation_loss;
            result.best_epoch = has_validation ? epoch : 0;
            epochs_without_improvement = 0;
        } else {
            ++epochs_without_improvement;
        }
        result.history.push_back(report);
        if (callbacks.on_epoch) callbacks.on_epoch(report);
        if (config.patience > 0 && epochs_without_improvement >= config.patience) {
            result.stopped_early = epoch < config.epochs;
            break;
        }
    }
    if (config.keep_best && has_validation) network = best;
    return result;
}

}  // namespace fcnet
