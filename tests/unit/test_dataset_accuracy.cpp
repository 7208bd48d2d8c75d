// Integration: short training runs on real MNIST and Fashion-MNIST reach known accuracy floors.
#include <catch2/catch.hpp>

#include "core/metrics.h"
#include "data/load.h"
#include "support/test_support.h"

using namespace fcnet;

namespace {

// The test accuracy of train_quick_digit_model on `train_count` of the dataset's training images.
double two_epoch_test_accuracy(const std::string& dir, int train_count) {
    REQUIRE(has_idx_dataset(dir));
    const LoadedData data = load_data(dir);
    REQUIRE(data.has_test);
    REQUIRE(data.test.size() == 10000);
    const Network network = train_quick_digit_model(data.train, train_count);
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
