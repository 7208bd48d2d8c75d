// Small helpers shared by the unit tests: temporary folders, files, errors, where datasets live.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "core/network.h"
#include "data/dataset.h"
#include "preprocess/brush.h"

// A new, empty folder under the system's temporary directory, removed with its contents
// when the test program exits.
std::string make_temp_dir();

// Where the real MNIST IDX files are: $FCNET_MNIST_DIR, else <source>/../shared/data/mnist.
std::string mnist_dir();

// Where the pen-stroke sets are: $FCNET_STROKES_DIR, else <source>/../shared/data/strokes.
std::string strokes_dir();

// Where Fashion-MNIST is: $FCNET_FASHION_MNIST_DIR, else /usr/share/datasets/fashion-mnist.
std::string fashion_mnist_dir();

// True if `dir` holds all four MNIST-style IDX files (train/t10k images/labels, raw or .gz).
bool has_idx_dataset(const std::string& dir);

// Gaussian blobs: class c is centred at a random point (the same for every seed); well separated,
// so it is learnable. Sample i has label i % classes.
fcnet::Dataset blobs(int samples, int features, int classes, std::uint64_t seed, float spread = 0.6f);

// A rows x cols matrix of normal(0, scale) entries drawn from `seed`.
fcnet::Matrix random_matrix(int rows, int cols, std::uint64_t seed, float scale = 1.0f);

// Writes `bytes` to `path` exactly, replacing any file there.
void write_file(const std::string& path, const std::string& bytes);

// The whole content of the file at `path`; throws std::runtime_error if it cannot be read.
std::string read_file(const std::string& path);

// The message of the fcnet::Error that `action` throws, or "no fcnet::Error was thrown" if it
// returns normally (other exceptions pass through).
std::string error_message(const std::function<void()>& action);

// What a shell command printed (stdout and stderr together) and its exit status.
struct CommandResult {
    int exit_code = -1;
    std::string output;
};
CommandResult run_command(const std::string& command);

// 784-256-128-10 trained for 2 epochs of SGD with momentum (lr 0.02, cosine, batch 16) on the
// first `count` samples of a seeded shuffle of `training`, on one thread (tests run side by side).
// On MNIST: about 93.5% test accuracy from 5,000 images, 95.7% from 10,000, in seconds.
fcnet::Network train_quick_digit_model(const fcnet::Dataset& training, int count);

// True if both hold the same strokes, point for point, bit for bit.
bool same_strokes(const std::vector<fcnet::Polyline>& a, const std::vector<fcnet::Polyline>& b);
