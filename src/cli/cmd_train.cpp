// `fcnet train`: trains a network on a dataset with a progress bar, calibrates, evaluates, saves.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "cli/calibration_step.h"
#include "cli/commands.h"
#include "cli/data_parts.h"
#include "cli/model_history.h"
#include "cli/progress_bar.h"
#include "cli/training_data.h"
#include "cli/report.h"
#include "core/error.h"
#include "core/metrics.h"
#include "core/trainer.h"
#include "data/augment.h"
#include "io/model_file.h"
#include "preprocess/digit_image.h"

namespace fcnet::cli {

namespace {

struct TrainOptions {
    std::string data_path, out_path = "model.fcnet";
    std::vector<int> layers{784, 256, 128, 10};
    std::string activation = "relu", initialization = "auto", optimizer = "adam", schedule = "cosine";
    int epochs = 10, batch = 64, patience = 0, threads = 0, step_epochs = 5;
    float learning_rate = 0;  // 0: the optimizer's usual default
    float momentum = 0.9f, weight_decay = 0, step_factor = 0.5f;
    std::uint64_t seed = 1;  // initialisation, shuffling and augmentation
    PartSizes parts;         // parts.seed: the train / validation split (--split-seed, default --seed)
    bool calibrate = true;
    bool augment = false;
    AugmentOptions augmentation;
    bool float16 = false, int8 = false;
    TrainingData data;       // "not a digit" sources and pen strokes
};

void record_augmentation(const AugmentOptions& a, Model& model) {
    model.metadata["augment"] = "rotation " + format_number(a.rotation_degrees) + ", scale " + format_number(a.scale) +
                                ", shift " + format_number(a.shift) + ", shear " + format_number(a.shear) +
                                ", thicken " + format_number(a.thicken) + ", thin " + format_number(a.thin) +
                                ", elastic " + format_number(a.elastic_alpha) + "/" +
                                format_number(a.elastic_sigma) + ", upsample " + std::to_string(a.upsample) +
                                (a.preprocess ? ", preprocessed" : "");
}

InputNormalization normalization_of(const Matrix& features) {
    const double mean = features.cast<double>().mean();
    const double variance = (features.cast<double>().array() - mean).square().mean();
    return {static_cast<float>(mean), variance > 0 ? static_cast<float>(std::sqrt(variance)) : 1.0f};
}

TrainConfig config_from(const TrainOptions& o) {
    TrainConfig config;
    config.epochs = o.epochs;
    config.batch_size = o.batch;
    config.seed = o.seed;
    config.patience = o.patience;
    config.optimizer.kind = parse_optimizer(o.optimizer);
    config.optimizer.momentum = o.momentum;
    config.optimizer.weight_decay = o.weight_decay;
    config.schedule.kind = parse_schedule(o.schedule);
    config.schedule.base_rate = o.learning_rate > 0 ? o.learning_rate
                                : config.optimizer.kind == OptimizerKind::adam ? 1e-3f : 0.05f;
    config.schedule.step_epochs = o.step_epochs;
    config.schedule.step_factor = o.step_factor;
    return config;
}

// Refuses --layers whose network (first and last sizes adapted to the data) could not be saved:
// more than kMaxModelParameters weights and biases, counted before anything is allocated.
void check_network_size(std::vector<int> sizes, int inputs, int classes) {
    if (sizes.size() < 2 || *std::min_element(sizes.begin(), sizes.end()) < 1) return;  // Network explains these
    sizes.front() = inputs;
    sizes.back() = classes;
    std::int64_t parameters = 0;
    for (std::size_t i = 0; i + 1 < sizes.size() && parameters <= kMaxModelParameters; ++i) {
        parameters += std::int64_t{sizes[i]} * sizes[i + 1] + sizes[i + 1];  // weights in x out, bias out
    }
    if (parameters > kMaxModelParameters) {
        std::string layers;
        for (const int size : sizes) layers += (layers.empty() ? "" : ",") + std::to_string(size);
        throw Error("--layers " + layers + ": more than " + std::to_string(kMaxModelParameters) +
                    " parameters (weights and biases), the most a model file holds");
    }
}

void print_epoch(const EpochReport& r, int epochs) {
    std::printf("epoch %*d/%d  loss %.4f", static_cast<int>(std::to_string(epochs).size()), r.epoch, epochs,
                r.train_loss);
    if (r.has_validation) std::printf("  val_loss %.4f  val_acc %.2f%%", r.validation_loss, 100 * r.validation_accuracy);
    std::printf("  lr %.3g  %.1f s  %.0f samples/s%s\n", r.learning_rate, r.seconds, r.samples_per_second,
                r.improved && r.has_validation ? "  *best" : "");
    std::fflush(stdout);
}

void run_train(const TrainOptions& o) {
    if (o.threads > 0) {
        Eigen::setNbThreads(o.threads);
#ifdef _OPENMP
        omp_set_num_threads(o.threads);  // augmentation spreads a batch's samples over threads too
#endif
    }
    const TrainConfig config = config_from(o);
    DataParts parts = load_parts(o.data_path, o.parts);
    const std::string strokes = add_training_data(parts, o.data);
    if (!strokes.empty()) std::printf("%s\n", strokes.c_str());
    const Dataset& train_data = parts.train;
    std::printf("data %s: %d train, %d validation, %d test samples, %d features, %d classes\n", o.data_path.c_str(),
                train_data.size(), parts.validation.size(), parts.test.size(), train_data.feature_count(),
                train_data.classes);

    const Activation hidden = parse_activation(o.activation);
    const Initialization init =
        o.initialization == "auto" ? (hidden == Activation::relu || hidden == Activation::leaky_relu ? Initialization::he
                                                                                                    : Initialization::xavier)
        : o.initialization == "he" ? Initialization::he
                                   : Initialization::xavier;
    check_network_size(o.layers, train_data.feature_count(), train_data.classes);
    Model model;
    model.network = Network(o.layers, hidden, o.seed, init);
    const std::string adapted = model.network.adapt_to(train_data.feature_count(), train_data.classes, o.seed);
    if (!adapted.empty()) std::printf("note: %s\n", adapted.c_str());
    model.network.normalization = normalization_of(train_data.features);
    model.class_names = train_data.class_names;
    model.metadata["dataset"] = train_data.name;
    model.metadata["trained"] = today();
    model.metadata["optimizer"] = o.optimizer;
    model.metadata["learning_rate"] = format_number(config.schedule.base_rate);
    model.metadata["schedule"] = o.schedule;
    model.metadata["batch"] = std::to_string(o.batch);
    model.metadata["threads"] = std::to_string(Eigen::nbThreads());
    record_part_sizes(o.parts, model);
    model.metadata["train_seed"] = std::to_string(o.seed);
    record_training_data(o.data, model);
    std::printf("network %s (%s), %lld parameters, %s, lr %g, batch %d, %d threads\n",
                architecture_string(model.network).c_str(), o.activation.c_str(),
                static_cast<long long>(model.network.parameter_count()), o.optimizer.c_str(),
                config.schedule.base_rate, o.batch, Eigen::nbThreads());

    if (o.augment) {
        check_augment_options(o.augmentation);
        if (train_data.feature_count() != kDigitPixels) {
            throw Error("--augment distorts 28x28 digits, but " + o.data_path + " has " +
                        std::to_string(train_data.feature_count()) + " features per sample");
        }
        record_augmentation(o.augmentation, model);
    }

    ProgressBar bar(stderr);
    TrainCallbacks callbacks;
    if (o.augment) {
        callbacks.transform_batch = [&o](Eigen::Ref<Matrix> features, int*, int epoch, int batch) {
            augment_batch(features, o.augmentation, o.seed, epoch, batch);
        };
    }
    callbacks.on_batch = [&bar](const BatchProgress& p) { bar.update(p); };
    callbacks.on_epoch = [&](const EpochReport& r) {
        bar.clear();
        print_epoch(r, o.epochs);
        if (r.improved) {  // checkpoint: the best weights so far, before calibration
            Model checkpoint = model;
            checkpoint.metadata["epochs"] = std::to_string(r.epoch);
            save_model(o.out_path, checkpoint);
        }
    };
    const auto start = std::chrono::steady_clock::now();
    const TrainResult result = train(model.network, train_data, parts.validation, config, callbacks);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("trained %zu epochs in %.1f s%s%s\n", result.history.size(), seconds,
                result.best_epoch > 0 ? ", kept the best epoch " : "",
                result.best_epoch > 0 ? std::to_string(result.best_epoch).c_str() : "");
    model.metadata["epochs"] = std::to_string(result.history.size());
    model.metadata["best_epoch"] = std::to_string(result.best_epoch);
    model.metadata["training_seconds"] = format_number(seconds);
    // Round before calibration, so T and every reported metric are the saved model's.
    if (o.float16) store_weights_as(model, WeightStorage::float16);
    if (o.int8) store_weights_as(model, WeightStorage::int8);

    if (o.calibrate && parts.validation.size() > 0) {
        std::printf("\ncalibration (temperature scaling)\n%s", calibrate_model(model, parts.validation, parts.test).c_str());
    }
    if (parts.test.size() > 0) {
        const Evaluation scores = record_test_scores(model, parts.test);
        std::printf("\ntest: %s (%d samples)\n%s", parts.test.name.c_str(), parts.test.size(),
                    evaluation_table(scores, model).c_str());
    }
    save_model(o.out_path, model);
    std::printf("\nsaved %s\n", o.out_path.c_str());
}

}  // namespace

void add_train_command(CLI::App& app) {
    auto* command = app.add_subcommand("train", "Train a network; print progress, calibrate, evaluate on the test part, save");
    auto o = std::make_shared<TrainOptions>();
    command->add_option("--data,-d", o->data_path, "IDX directory (train-*/t10k-* files) or CSV file")->required();
    command->add_option("--out,-o", o->out_path, "Model file to write (also the checkpoint of the best epoch)")
        ->capture_default_str();
    command->add_option("--layers", o->layers, "Layer sizes, inputs to classes (first and last adapt to the data)")
        ->delimiter(',')
        ->capture_default_str();
    command->add_option("--activation", o->activation, "Hidden activation")
        ->check(CLI::IsMember({"relu", "leaky_relu", "sigmoid", "tanh"}))
        ->capture_default_str();
    command->add_option("--init", o->initialization, "Weight initialisation (auto: He for relu, Xavier otherwise)")
        ->check(CLI::IsMember({"auto", "he", "xavier"}))
        ->capture_default_str();
    command->add_option("--epochs", o->epochs, "Epochs")->check(CLI::PositiveNumber)->capture_default_str();
    command->add_option("--batch", o->batch, "Minibatch size")->check(CLI::PositiveNumber)->capture_default_str();
    command->add_option("--optimizer", o->optimizer, "Optimizer")
        ->check(CLI::IsMember({"adam", "sgd"}))
        ->capture_default_str();
    command->add_option("--lr", o->learning_rate, "Learning rate (default: 0.001 for adam, 0.05 for sgd)")
        ->check(CLI::PositiveNumber);
    command->add_option("--momentum", o->momentum, "SGD momentum")->check(CLI::Range(0.0, 1.0))->capture_default_str();
    command->add_option("--weight-decay", o->weight_decay, "L2 weight decay")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str();
    command->add_option("--schedule", o->schedule, "Learning-rate schedule")
        ->check(CLI::IsMember({"constant", "step", "cosine"}))
        ->capture_default_str();
    command->add_option("--step-epochs", o->step_epochs, "step schedule: epochs between decays")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    command->add_option("--step-factor", o->step_factor, "step schedule: factor per decay")
        ->check(CLI::Range(0.0, 1.0))
        ->capture_default_str();
    command->add_option("--patience", o->patience, "Early stopping: epochs without improvement (0: off)")
        ->check(CLI::NonNegativeNumber)
        ->capture_default_str();
    command->add_option("--seed", o->seed, "Seed for initialisation, shuffling, augmentation and (unless --split-seed) the split")
        ->capture_default_str();
    const auto split_seed = command->add_option("--split-seed", o->parts.seed,
                                                "Seed of the train / validation split (default: --seed), so that models "
                                                "trained with other seeds can hold out the same validation samples");
    command->add_option("--train", o->parts.train, "Training samples (count, fraction in (0,1); default: the rest)");
    command->add_option("--val", o->parts.validation, "Validation samples (count or fraction)")->capture_default_str();
    command->add_option("--test", o->parts.test, "Test samples when the data has no test files (count or fraction)")
        ->capture_default_str();
    command->add_flag("--stratified", o->parts.stratified, "Keep class proportions in every split");
    command->add_option("--threads", o->threads, "Threads (0: all cores)")->check(CLI::NonNegativeNumber);
    command->add_flag("!--no-calibrate", o->calibrate, "Skip temperature scaling");
    add_training_data_options(command, o->data);
    auto* float16 = command->add_flag("--float16", o->float16, "Store the weights as float16 (half the file size)");
    command->add_flag("--int8", o->int8, "Store the weights as int8 with a scale per neuron (a quarter of the file size)")
        ->excludes(float16);

    // augmentation (docs/augmentation.md); lengths are in pixels of the 28x28 digit
    AugmentOptions& a = o->augmentation;
    command->add_flag("--augment", o->augment,
                      "Distort every training batch (the --aug-* ranges below), then preprocess like a drawing");
    command->add_option("--aug-rotation", a.rotation_degrees, "Rotation: degrees in [-r, r]")->capture_default_str();
    command->add_option("--aug-scale", a.scale, "Scale: each axis by a factor in [1-s, 1+s]")->capture_default_str();
    command->add_option("--aug-shift", a.shift, "Shift: pixels in [-s, s] per axis")->capture_default_str();
    command->add_option("--aug-shear", a.shear, "Horizontal shear (slant) factor in [-s, s]")->capture_default_str();
    command->add_option("--aug-thicken", a.thicken, "Stroke radius grown by up to this many pixels (dilation)")
        ->capture_default_str();
    command->add_option("--aug-thin", a.thin, "Stroke radius shrunk by up to this many pixels (erosion)")
        ->capture_default_str();
    command->add_option("--aug-elastic-alpha", a.elastic_alpha, "Elastic distortion strength (Simard's alpha; 0: off)")
        ->capture_default_str();
    command->add_option("--aug-elastic-sigma", a.elastic_sigma, "Elastic field smoothness (Gaussian sigma, pixels)")
        ->capture_default_str();
    command->add_option("--aug-upsample", a.upsample, "Canvas pixels per digit pixel while distorting")
        ->capture_default_str();
    command->add_flag("!--aug-no-preprocess", a.preprocess,
                      "Skip the crop / scale / centre preprocessing after distorting");
    command->callback([o, split_seed] {
        if (split_seed->count() == 0) o->parts.seed = o->seed;
        run_train(*o);
    });
}

}  // namespace fcnet::cli
