// Small helpers shared by the unit tests: temporary folders, files, errors, where datasets live.
#include "support/test_support.h"

#include "core/error.h"
#include "core/trainer.h"
#include "data/split.h"

#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace {

namespace fs = std::filesystem;

// Removes the folders made by make_temp_dir when the program ends.
struct TempDirs {
    std::vector<fs::path> paths;
    ~TempDirs() {
        for (const fs::path& path : paths) {
            std::error_code ignored;
            fs::remove_all(path, ignored);
        }
    }
};

std::string env_or(const char* variable, const std::string& fallback) {
    const char* value = std::getenv(variable);
    return value != nullptr && *value != '\0' ? std::string(value) : fallback;
}

}  // namespace

std::string make_temp_dir() {
    static TempDirs made;
    static std::mt19937_64 random{std::random_device{}()};
    while (true) {
        std::ostringstream name;
        name << "fcnet-test-" << std::hex << random();
        const fs::path path = fs::temp_directory_path() / name.str();
        if (fs::create_directory(path)) {
            made.paths.push_back(path);
            return path.string();
        }
    }
}

std::string mnist_dir() {
    return env_or("FCNET_MNIST_DIR", FCNET_SOURCE_DIR "/../shared/data/mnist");
}

std::string strokes_dir() {
    return env_or("FCNET_STROKES_DIR", FCNET_SOURCE_DIR "/../shared/data/strokes");
}

std::string fashion_mnist_dir() {
    return env_or("FCNET_FASHION_MNIST_DIR", "/usr/share/datasets/fashion-mnist");
}

bool has_idx_dataset(const std::string& dir) {
    for (const char* name : {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                             "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"}) {
        const fs::path raw = fs::path(dir) / name;
        if (!fs::is_regular_file(raw) && !fs::is_regular_file(raw.string() + ".gz")) return false;
    }
    return true;
}

void write_file(const std::string& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw std::runtime_error("write_file: cannot write " + path);
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("read_file: cannot open " + path);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    return bytes.str();
}

std::string error_message(const std::function<void()>& action) {
    try {
        action();
    } catch (const fcnet::Error& error) {
        return error.what();
    }
    return "no fcnet::Error was thrown";
}

CommandResult run_command(const std::string& command) {
    CommandResult result;
    FILE* pipe = popen((command + " 2>&1").c_str(), "r");
    if (!pipe) throw std::runtime_error("cannot run: " + command);
    char buffer[4096];
    std::size_t count;
    while ((count = fread(buffer, 1, sizeof buffer, pipe)) > 0) result.output.append(buffer, count);
    const int status = pclose(pipe);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

fcnet::Network train_quick_digit_model(const fcnet::Dataset& training, int count) {
    using namespace fcnet;
    const Split split = split_dataset(training, SplitSizes{static_cast<double>(count), 0, 0}, 1, false);
    Eigen::setNbThreads(1);
    Network network({784, 256, 128, 10}, Activation::relu, 1);
    network.normalization = {0.13f, 0.31f};
    TrainConfig config;
    config.epochs = 2;
    config.batch_size = 16;
    config.optimizer.kind = OptimizerKind::sgd;
    config.schedule.kind = LearningRateSchedule::Kind::cosine;
    config.schedule.base_rate = 0.02f;
    train(network, split.train, Dataset{}, config);
    return network;
}

fcnet::Dataset blobs(int samples, int features, int classes, std::uint64_t seed, float spread) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    fcnet::Matrix centres(classes, features);
    std::mt19937_64 centre_rng(1234);
    for (Eigen::Index i = 0; i < centres.size(); ++i) centres.data()[i] = 2.0f * normal(centre_rng);
    fcnet::Dataset data;
    data.features.resize(samples, features);
    data.labels.resize(samples);
    data.classes = classes;
    data.name = "blobs";
    for (int i = 0; i < samples; ++i) {
        data.labels[i] = i % classes;
        for (int j = 0; j < features; ++j) data.features(i, j) = centres(i % classes, j) + spread * normal(rng);
    }
    return data;
}

fcnet::Matrix random_matrix(int rows, int cols, std::uint64_t seed, float scale) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<float> normal(0.0f, scale);
    fcnet::Matrix m(rows, cols);
    for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = normal(rng);
    return m;
}

bool same_strokes(const std::vector<fcnet::Polyline>& a, const std::vector<fcnet::Polyline>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].size() != b[i].size()) return false;
        for (std::size_t j = 0; j < a[i].size(); ++j) {
            if (a[i][j].x != b[i][j].x || a[i][j].y != b[i][j].y) return false;
        }
    }
    return true;
}
