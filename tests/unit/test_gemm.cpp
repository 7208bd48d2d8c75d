// The matrix products (core/gemm.h): every kernel this CPU runs against a double-precision
// reference and against the others, deterministic results, and training that agrees across kernels.
#include <catch2/catch.hpp>

#include <array>
#include <cfloat>
#include <string>

#include "core/gemm.h"
#include "core/gemm_kernel.h"
#include "core/trainer.h"
#include "support/test_support.h"

using namespace fcnet;

namespace {

using Reference = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

// Runs the products with `kernel` until the test ends, then with the machine's own again.
struct KernelInUse {
    explicit KernelInUse(const GemmKernel& kernel) { use_gemm_kernel(kernel); }
    ~KernelInUse() { use_gemm_kernel(*supported_gemm_kernels().front()); }
};

// Restores Eigen's thread count when a test ends.
struct ThreadCount {
    explicit ThreadCount(int threads) : saved(Eigen::nbThreads()) { Eigen::setNbThreads(threads); }
    ~ThreadCount() { Eigen::setNbThreads(saved); }
    int saved;
};

// |c - exact| <= 2 k FLT_EPSILON (|a| |b|), entry by entry: float rounding of a length-k dot product
// in any summation order (what any kernel, on any CPU, stays within).
void check_within_rounding(const Matrix& c, const Reference& exact, const Reference& magnitude, int k) {
    REQUIRE(c.rows() == exact.rows());
    REQUIRE(c.cols() == exact.cols());
    const Reference error = (c.cast<double>() - exact).cwiseAbs();
    const Reference bound = (2.0 * k * FLT_EPSILON) * magnitude.array() + 1e-30;
    CHECK((error.array() <= bound.array()).all());
}

// 3 epochs of training on three Gaussian blobs with `kernel`, from seed 42.
Network train_blobs(const GemmKernel& kernel, const std::vector<int>& sizes) {
    const Dataset train_set = blobs(300, 6, 3, 4), validation = blobs(60, 6, 3, 5);
    TrainConfig config;
    config.epochs = 3;
    config.batch_size = 16;
    config.seed = 42;
    KernelInUse use(kernel);
    Network network(sizes, Activation::relu, 42);
    train(network, train_set, validation, config);
    return network;
}

}  // namespace

TEST_CASE("the products use the widest instruction set the CPU supports", "[gemm]") {
    const std::vector<const GemmKernel*> kernels = supported_gemm_kernels();
    REQUIRE(!kernels.empty());
    CHECK(std::string(gemm_instruction_set()) == kernels.front()->name);
}

TEST_CASE("every kernel's a b, a^T b and a b^T equal the exact products to float rounding", "[gemm]") {
    const auto kernel = GENERATE(from_range(supported_gemm_kernels()));
    INFO("kernel " << kernel->name);
    KernelInUse use(*kernel);
    // m, n, k: a training step's shapes (batch 64, 784-128-10), odd ones that miss every SIMD width
    // and tile, more rows than one block of the tiled kernel with a last panel of one whole vector
    // or less, and no k at all (a zero result)
    const auto shape = GENERATE(std::array<int, 3>{64, 128, 784}, std::array<int, 3>{64, 10, 128},
                                std::array<int, 3>{7, 13, 5}, std::array<int, 3>{1, 1, 1},
                                std::array<int, 3>{33, 17, 129}, std::array<int, 3>{397, 48, 31},
                                std::array<int, 3>{205, 40, 9}, std::array<int, 3>{25, 36, 0});
    const int m = shape[0], n = shape[1], k = shape[2];
    INFO("m " << m << ", n " << n << ", k " << k);
    const Matrix a = random_matrix(m, k, 1), b = random_matrix(k, n, 2);
    const Reference exact = a.cast<double>() * b.cast<double>();
    const Reference magnitude = a.cast<double>().cwiseAbs() * b.cast<double>().cwiseAbs();
    Matrix c;
    multiply(a, b, c);  // (m x k)(k x n)
    check_within_rounding(c, exact, magnitude, k);
    const Matrix a_transposed = a.transpose(), b_transposed = b.transpose();
    multiply_transposed_a(a_transposed, b, c);  // (k x m)^T (k x n)
    check_within_rounding(c, exact, magnitude, k);
    multiply_transposed_b(a, b_transposed, c);  // (m x k)(n x k)^T
    check_within_rounding(c, exact, magnitude, k);
}

TEST_CASE("products read blocks of rows and columns in place", "[gemm]") {
    const Matrix big = random_matrix(40, 30, 3), b = random_matrix(12, 9, 4);
    const Eigen::Ref<const Matrix> block = big.block(5, 7, 20, 12);  // 20 x 12, rows 30 floats apart
    Matrix c;
    multiply(block, b, c);  // (20 x 12)(12 x 9)
    check_within_rounding(c, block.cast<double>() * b.cast<double>(),
                          block.cast<double>().cwiseAbs() * b.cast<double>().cwiseAbs(), 12);
}

TEST_CASE("a product with no rows gives an empty result", "[gemm]") {
    const Matrix a(0, 8), b = random_matrix(8, 5, 5);
    Matrix c = random_matrix(3, 3, 6);
    multiply(a, b, c);
    CHECK(c.rows() == 0);
    CHECK(c.cols() == 5);
}

TEST_CASE("the same product, repeated or with another thread count, is the same bit for bit", "[gemm]") {
    const Matrix a = random_matrix(256, 784, 7), b = random_matrix(784, 512, 8);
    Matrix first, again, threaded;
    multiply(a, b, first);
    multiply(a, b, again);
    CHECK(first == again);
    ThreadCount two(2);
    multiply(a, b, threaded);
    CHECK((threaded - first).cwiseAbs().maxCoeff() <= 1e-3f);
    multiply(a, b, again);
    CHECK(threaded == again);
}

TEST_CASE("training with each kernel gives the same model to 1e-4, as on CPUs with other instruction sets", "[gemm]") {
    const Dataset validation = blobs(60, 6, 3, 5);
    const std::vector<const GemmKernel*> kernels = supported_gemm_kernels();
    const Network reference = train_blobs(*kernels.back(), {6, 10, 3});
    for (const GemmKernel* kernel : kernels) {
        INFO("kernel " << kernel->name << " against " << kernels.back()->name);
        const Network network = train_blobs(*kernel, {6, 10, 3});
        for (std::size_t l = 0; l < network.layers().size(); ++l) {
            CHECK((network.layers()[l].weights - reference.layers()[l].weights).cwiseAbs().maxCoeff() <= 1e-4f);
            CHECK((network.layers()[l].bias - reference.layers()[l].bias).cwiseAbs().maxCoeff() <= 1e-4f);
        }
        CHECK((network.predict(validation.features) - reference.predict(validation.features)).cwiseAbs().maxCoeff() <=
              1e-4f);
    }
}

TEST_CASE("the AVX-512 and AVX2+FMA kernels give the same products and training, bit for bit", "[gemm]") {
    // Both sum each product over k in order with one fused multiply-add per term, and the update's
    // arithmetic is exact per element, so machines of either kind train the same model for a seed.
    const GemmKernel *wide = nullptr, *narrow = nullptr;
    for (const GemmKernel* kernel : supported_gemm_kernels()) {
        if (std::string(kernel->name) == "AVX-512") wide = kernel;
        if (std::string(kernel->name) == "AVX2+FMA") narrow = kernel;
    }
    if (wide == nullptr || narrow == nullptr) {
        WARN("this CPU does not run both kernels; nothing to compare");
        return;
    }
    const Matrix a = random_matrix(77, 300, 9), b = random_matrix(300, 45, 10);
    const Matrix a_transposed = a.transpose(), b_transposed = b.transpose();
    auto products = [&](const GemmKernel& kernel) {
        KernelInUse use(kernel);
        std::array<Matrix, 3> c;
        multiply(a, b, c[0]);
        multiply_transposed_a(a_transposed, b, c[1]);
        multiply_transposed_b(a, b_transposed, c[2]);
        return c;
    };
    CHECK(products(*wide) == products(*narrow));

    const Network from_wide = train_blobs(*wide, {6, 40, 20, 3}), from_narrow = train_blobs(*narrow, {6, 40, 20, 3});
    for (std::size_t l = 0; l < from_wide.layers().size(); ++l) {
        CHECK(from_wide.layers()[l].weights == from_narrow.layers()[l].weights);
        CHECK(from_wide.layers()[l].bias == from_narrow.layers()[l].bias);
    }
}
