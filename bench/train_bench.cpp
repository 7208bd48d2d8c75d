// End-to-end training benchmark: trains the three benchmark configs on MNIST with fcnet's own
// train() and prints one line per config (samples/s, test accuracy, peak RSS).
//
// Usage: fcnet_train_bench <mnist-folder> [--epochs N] [--threads N] [--repeats N] [--seed N] [--config NAME]
// Output lines (whitespace separated, read by scripts/bench.sh):
//   gemm <instruction set of the matrix products>
//   result fcnet <layers> <batch> <samples_per_second> <test_accuracy> <train_seconds> <peak_rss_mib>
#include <sys/resource.h>

#include <Eigen/Core>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

#include "configs.h"
#include "core/gemm.h"
#include "core/metrics.h"
#include "core/trainer.h"
#include "data/load.h"

using namespace fcnet;

namespace {

// Largest resident set of this process so far, in MiB (Linux reports ru_maxrss in KiB).
double peak_rss_mib() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

// The same input scaling the fcnet command uses: (x - mean) / stddev over all training pixels.
InputNormalization normalization_of(const Matrix& features) {
    const double mean = features.cast<double>().mean();
    const double variance = (features.cast<double>().array() - mean).square().mean();
    return {static_cast<float>(mean), variance > 0 ? static_cast<float>(std::sqrt(variance)) : 1.0f};
}

struct Options {
    std::string data;
    int epochs = 3;
    int threads = 2;
    int repeats = 1;
    int seed = 1;       // weights and shuffling
    std::string only;  // a config name such as "784-256-128-10", or empty for all
};

Options parse(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) throw std::invalid_argument(arg + " needs a value");
            return argv[++i];
        };
        if (arg == "--epochs") o.epochs = std::stoi(value());
        else if (arg == "--threads") o.threads = std::stoi(value());
        else if (arg == "--repeats") o.repeats = std::stoi(value());
        else if (arg == "--seed") o.seed = std::stoi(value());
        else if (arg == "--config") o.only = value();
        else if (!arg.empty() && arg[0] != '-' && o.data.empty()) o.data = arg;
        else throw std::invalid_argument("unknown argument '" + arg + "'");
    }
    if (o.data.empty()) throw std::invalid_argument("usage: fcnet_train_bench <mnist-folder> [--epochs N] [--threads N] [--repeats N] [--seed N] [--config NAME]");
    return o;
}

}  // namespace

int main(int argc, char** argv) try {
    const Options o = parse(argc, argv);
    Eigen::setNbThreads(o.threads);
    std::printf("gemm %s\n", gemm_instruction_set());  // which kernel runs the matrix products here
    const LoadedData data = load_data(o.data);
    if (!data.has_test) throw std::runtime_error(o.data + ": no t10k test files, needed for the test accuracy");
    const InputNormalization normalization = normalization_of(data.train.features);

    for (const bench::Config& c : bench::kTrainingConfigs) {
        if (!o.only.empty() && o.only != c.name) continue;
        for (int repeat = 0; repeat < o.repeats; ++repeat) {
            Network network(c.sizes, Activation::relu, o.seed + repeat, Initialization::he);
            network.normalization = normalization;
            TrainConfig config;
            config.epochs = o.epochs;
            config.batch_size = c.batch;
            config.seed = o.seed + repeat;
            config.optimizer.kind = OptimizerKind::adam;
            config.schedule.base_rate = 1e-3f;
            const auto start = std::chrono::steady_clock::now();
            train(network, data.train, Dataset{}, config);
            const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            const double accuracy = evaluate(network.logits(data.test.features), data.test.labels).accuracy;
            const double samples = static_cast<double>(data.train.size()) * o.epochs;
            std::printf("result fcnet %s %d %.0f %.4f %.3f %.1f\n", c.name, c.batch, samples / seconds, accuracy,
                        seconds, peak_rss_mib());
            std::fflush(stdout);
        }
    }
    return 0;
} catch (const std::exception& e) {
    std::fprintf(stderr, "fcnet_train_bench: %s\n", e.what());
    return 1;
}
