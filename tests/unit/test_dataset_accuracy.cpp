// Integration: short training runs on real MNIST and Fashion-MNIST reach known accuracy floors.
#include <catch2/catch.hpp>

#include <Eigen/Core>

#include "core/metrics.h"
#include "core/trainer.h"
#include "data/load.h"
#include "data/split.h"
#include "support/test_support.h"

using namespace fcnet;

namespace {

// Trains 784-256-128-10 for 2 epochs on `train_count` training images (SGD with momentum,
// cosine schedule) and returns the accuracy on the dataset's 10,000 test images.
double two_epoch_test_accuracy(const std::string& dir, int train_count) {
    REQUIRE(has_idx_dataset(dir));
    const LoadedData data = load_data(dir);
    REQUIRE(data.has_test);
    REQUIRE(data.test.size() == 10000);
    const Split split = split_dataset(data.train, SplitSizes{static_cast<double>(train_count), 0, 0}, 1, false);
    REQUIRE(split.train.size() == train_count);

    Eigen::setNbThreads(1);  // the suite's tests run side by side; one thread each avoids contention
    Network network({784, 256, 128, 10}, Activation::relu, 1);
    network.normalization = {0.13f, 0.31f};
    TrainConfig config;
    config.epochs = 2;
    config.batch_size = 16;
    config.optimizer.kind = OptimizerKind::sgd;
    config.schedule.kind = LearningRateSchedule::Kind::cosine;
    config.schedule.base_rate = 0.02f;
    train(network, split.train, Dataset{}, config);
    return evaluate(network.logits(data.test.features), data.test.labels).accuracy;
}

}  // namespace

TEST_CASE("MNIST: 2 epochs on 10,000 images reach at least 95% on the test set", "[integration]") {
    INFO("MNIST folder: " << mnist_dir() << " (set FCNET_MNIST_DIR to change it)");
    const double accuracy = two_epoch_test_accuracy(mnist_dir(), 10000);
    WARN("MNIST test accuracy " << 100 * accuracy << "%");
    CHECK(accuracy >= 0.95);
}

TEST_CASE("Fashion-MNIST: 2 epochs on 10,000 images reach at least 80% on the test set", "[integration]") {
    INFO("Fashion-MNIST folder: " << fashion_mnist_dir()
                                  << " (Debian package dataset-fashion-mnist; FCNET_FASHION_MNIST_DIR overrides)");
    const double accuracy = two_epoch_test_accuracy(fashion_mnist_dir(), 10000);
    WARN("Fashion-MNIST test accuracy " << 100 * accuracy << "%");
    CHECK(accuracy >= 0.80);
}
