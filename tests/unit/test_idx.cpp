// Specification of the IDX readers (raw and gzip, every malformed-file error) and of IDX folders.
#include <zlib.h>

#include <catch2/catch.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "data/idx.h"
#include "data/load.h"
#include "support/test_support.h"

using Catch::Matchers::Contains;

namespace {

std::string big_endian(std::uint32_t value) {
    return {static_cast<char>(value >> 24), static_cast<char>(value >> 16),
            static_cast<char>(value >> 8), static_cast<char>(value)};
}

std::string idx_images(std::uint32_t count, std::uint32_t rows, std::uint32_t cols,
                       const std::vector<std::uint8_t>& pixels) {
    return big_endian(0x00000803) + big_endian(count) + big_endian(rows) + big_endian(cols) +
           std::string(pixels.begin(), pixels.end());
}

std::string idx_labels(const std::vector<std::uint8_t>& labels) {
    return big_endian(0x00000801) + big_endian(static_cast<std::uint32_t>(labels.size())) +
           std::string(labels.begin(), labels.end());
}

void write_gzip(const std::string& path, const std::string& bytes) {
    gzFile file = gzopen(path.c_str(), "wb");
    REQUIRE(file != nullptr);
    REQUIRE(gzwrite(file, bytes.data(), static_cast<unsigned>(bytes.size())) ==
            static_cast<int>(bytes.size()));
    REQUIRE(gzclose(file) == Z_OK);
}

// Two 2x3 images: pixel values 0, 51, 102, 153, 204, 255 and the same reversed.
const std::vector<std::uint8_t> two_images = {0, 51, 102, 153, 204, 255, 255, 204, 153, 102, 51, 0};

}  // namespace

TEST_CASE("read_idx_images gives one row per image with pixels scaled to [0, 1]") {
    const std::string path = make_temp_dir() + "/images-idx3-ubyte";
    write_file(path, idx_images(2, 2, 3, two_images));

    const fcnet::Matrix images = fcnet::read_idx_images(path);

    REQUIRE(images.rows() == 2);
    REQUIRE(images.cols() == 6);
    CHECK(images(0, 0) == 0.0f);
    CHECK(images(0, 1) == Approx(0.2f));
    CHECK(images(0, 5) == 1.0f);
    CHECK(images(1, 0) == 1.0f);
    CHECK(images(1, 4) == Approx(0.2f));
    CHECK(images(1, 5) == 0.0f);
}

TEST_CASE("gzip-compressed IDX files read the same as raw ones") {
    const std::string dir = make_temp_dir();
    write_file(dir + "/images", idx_images(2, 2, 3, two_images));
    write_gzip(dir + "/images.gz", idx_images(2, 2, 3, two_images));
    write_file(dir + "/labels", idx_labels({7, 0}));
    write_gzip(dir + "/labels.gz", idx_labels({7, 0}));

    CHECK(fcnet::read_idx_images(dir + "/images.gz") == fcnet::read_idx_images(dir + "/images"));
    CHECK(fcnet::read_idx_labels(dir + "/labels.gz") == std::vector<int>{7, 0});
    CHECK(fcnet::read_idx_labels(dir + "/labels") == std::vector<int>{7, 0});
}

TEST_CASE("load_idx_pair joins images and labels, with classes = largest label + 1") {
    const std::string dir = make_temp_dir();
    write_gzip(dir + "/images.gz", idx_images(2, 2, 3, two_images));
    write_file(dir + "/labels", idx_labels({3, 1}));

    const fcnet::Dataset data = fcnet::load_idx_pair(dir + "/images.gz", dir + "/labels", "pair");

    CHECK(data.size() == 2);
    CHECK(data.feature_count() == 6);
    CHECK(data.labels == std::vector<int>{3, 1});
    CHECK(data.classes == 4);
    CHECK(data.class_names.empty());
    CHECK(data.name == "pair");
}

TEST_CASE("malformed IDX files raise an fcnet::Error naming the file and the problem") {
    const std::string dir = make_temp_dir();
    const auto images_error = [](const std::string& path) {
        return error_message([&] { fcnet::read_idx_images(path); });
    };

    SECTION("a missing file") {
        const std::string path = dir + "/absent-idx3-ubyte";
        CHECK_THAT(images_error(path), Contains(path) && Contains("not found"));
    }
    SECTION("an empty file, raw or gzip") {
        write_file(dir + "/empty", "");
        write_gzip(dir + "/empty.gz", "");
        CHECK_THAT(images_error(dir + "/empty"), Contains(dir + "/empty") && Contains("empty"));
        CHECK_THAT(images_error(dir + "/empty.gz"),
                   Contains(dir + "/empty.gz") && Contains("empty"));
    }
    SECTION("a label file where images are expected: bad magic, found and expected") {
        const std::string path = dir + "/labels";
        write_file(path, idx_labels({1, 2}));
        CHECK_THAT(images_error(path), Contains(path) && Contains("magic") &&
                                           Contains("0x00000801") && Contains("0x00000803"));
        CHECK_THAT(error_message([&] { fcnet::read_idx_labels(dir + "/nothing"); }),
                   Contains("not found"));
    }
    SECTION("a file that is not IDX at all: bad magic") {
        const std::string path = dir + "/picture.png";
        write_file(path, "\x89PNG\r\n\x1a\n and more bytes");
        CHECK_THAT(images_error(path), Contains(path) && Contains("magic") &&
                                           Contains("0x89504e47") && Contains("not an IDX file"));
    }
    SECTION("a header cut short") {
        const std::string path = dir + "/short-header";
        write_file(path, big_endian(0x00000803) + big_endian(2) + std::string(2, '\0'));
        CHECK_THAT(images_error(path), Contains(path) && Contains("truncated header"));
    }
    SECTION("data shorter than the header says, raw or gzip") {
        const std::string images = idx_images(2, 2, 3, two_images).substr(0, 16 + 7);
        write_file(dir + "/short", images);
        write_gzip(dir + "/short.gz", images);
        CHECK_THAT(images_error(dir + "/short"), Contains(dir + "/short") && Contains("truncated"));
        CHECK_THAT(images_error(dir + "/short.gz"),
                   Contains(dir + "/short.gz") && Contains("truncated"));
        write_file(dir + "/short-labels", idx_labels({1, 2, 3}).substr(0, 8 + 2));
        CHECK_THAT(error_message([&] { fcnet::read_idx_labels(dir + "/short-labels"); }),
                   Contains(dir + "/short-labels") && Contains("truncated"));
    }
    SECTION("a gzip stream cut in the middle") {
        write_gzip(dir + "/whole.gz", idx_images(2, 2, 3, two_images));
        const std::string compressed = read_file(dir + "/whole.gz");
        write_file(dir + "/cut.gz", compressed.substr(0, compressed.size() / 2));
        CHECK_THAT(images_error(dir + "/cut.gz"), Contains(dir + "/cut.gz"));
    }
    SECTION("gzip data that fails its checksum") {
        write_gzip(dir + "/whole.gz", idx_images(2, 2, 3, two_images));
        std::string compressed = read_file(dir + "/whole.gz");
        compressed[compressed.size() - 8] ^= 0x55;  // the CRC-32 in the gzip trailer
        write_file(dir + "/bad-crc.gz", compressed);
        CHECK_THAT(images_error(dir + "/bad-crc.gz"),
                   Contains(dir + "/bad-crc.gz") && Contains("corrupt"));
    }
    SECTION("data longer than the header says") {
        const std::string path = dir + "/long";
        write_file(path, idx_images(1, 2, 3, two_images));
        CHECK_THAT(images_error(path), Contains(path) && Contains("longer"));
    }
    SECTION("a header that promises many images the file does not hold: truncated, not allocated") {
        const std::string path = dir + "/hostile";
        write_file(path, idx_images(100'000, 28, 28, two_images));
        CHECK_THAT(images_error(path), Contains(path) && Contains("truncated"));
    }
    SECTION("absurd dimensions") {
        write_file(dir + "/huge-image", idx_images(1, 2000, 2000, two_images));
        write_file(dir + "/huge-count", idx_images(0xFFFFFFFF, 28, 28, two_images));
        write_file(dir + "/zero-rows", idx_images(2, 0, 3, two_images));
        write_file(dir + "/huge-labels", big_endian(0x00000801) + big_endian(0xFFFFFFFF) + "\x01");
        for (const char* name : {"/huge-image", "/huge-count", "/zero-rows"}) {
            CHECK_THAT(images_error(dir + name),
                       Contains(dir + name) && Contains("absurd dimensions"));
        }
        CHECK_THAT(error_message([&] { fcnet::read_idx_labels(dir + "/huge-labels"); }),
                   Contains(dir + "/huge-labels") && Contains("absurd dimensions"));
    }
    SECTION("a header that promises no images") {
        const std::string path = dir + "/none";
        write_file(path, idx_images(0, 28, 28, {}));
        CHECK_THAT(images_error(path), Contains(path) && Contains("no images"));
    }
    SECTION("images and labels whose counts differ") {
        write_file(dir + "/images", idx_images(2, 2, 3, two_images));
        write_file(dir + "/labels", idx_labels({1, 2, 3}));
        CHECK_THAT(
            error_message([&] { fcnet::load_idx_pair(dir + "/images", dir + "/labels", "x"); }),
            Contains(dir + "/images") && Contains(dir + "/labels") && Contains("count mismatch") &&
                Contains("2 images but 3 labels"));
    }
}

TEST_CASE("load_data reads an IDX folder, with its t10k files as the test part") {
    const std::string dir = make_temp_dir();
    write_gzip(dir + "/train-images-idx3-ubyte.gz", idx_images(2, 2, 3, two_images));
    write_gzip(dir + "/train-labels-idx1-ubyte.gz", idx_labels({0, 1}));

    SECTION("without t10k files there is no test part") {
        const fcnet::LoadedData data = fcnet::load_data(dir);
        CHECK(data.train.size() == 2);
        CHECK(data.train.classes == 2);
        CHECK(data.train.name == "mnist-like IDX in " + dir + " (train)");
        CHECK_FALSE(data.has_test);
    }
    SECTION("raw t10k files make the test part, and classes count over both parts") {
        write_file(dir + "/t10k-images-idx3-ubyte", idx_images(1, 2, 3, {1, 2, 3, 4, 5, 6}));
        write_file(dir + "/t10k-labels-idx1-ubyte", idx_labels({4}));
        const fcnet::LoadedData data = fcnet::load_data(dir);
        REQUIRE(data.has_test);
        CHECK(data.test.size() == 1);
        CHECK(data.test.labels == std::vector<int>{4});
        CHECK(data.test.name == "mnist-like IDX in " + dir + " (test)");
        CHECK(data.train.classes == 5);
        CHECK(data.test.classes == 5);
    }
    SECTION("t10k images without t10k labels are an error") {
        write_file(dir + "/t10k-images-idx3-ubyte", idx_images(1, 2, 3, {1, 2, 3, 4, 5, 6}));
        CHECK_THAT(error_message([&] { fcnet::load_data(dir); }),
                   Contains(dir) && Contains("no t10k-labels-idx1-ubyte"));
    }
    SECTION("a test part with another image size is an error") {
        write_file(dir + "/t10k-images-idx3-ubyte", idx_images(1, 1, 3, {1, 2, 3}));
        write_file(dir + "/t10k-labels-idx1-ubyte", idx_labels({1}));
        CHECK_THAT(error_message([&] { fcnet::load_data(dir); }), Contains("features"));
    }
}

TEST_CASE("load_data names the path and what it looked for when it finds no dataset") {
    const std::string dir = make_temp_dir();
    CHECK_THAT(error_message([&] { fcnet::load_data(dir); }),
               Contains(dir) && Contains("train-images-idx3-ubyte") && Contains("train.csv"));
    CHECK_THAT(error_message([&] { fcnet::load_data(dir + "/missing"); }),
               Contains(dir + "/missing") && Contains("no such file"));
    write_file(dir + "/notes.txt", "hello");
    CHECK_THAT(error_message([&] { fcnet::load_data(dir + "/notes.txt"); }),
               Contains(dir + "/notes.txt") && Contains(".csv"));
}

TEST_CASE("the real MNIST loads as 60000 training images of 784 pixels and 10000 test images") {
    const std::string dir = mnist_dir();
    if (!has_idx_dataset(dir)) {
        WARN("MNIST not found in " << dir << " (set FCNET_MNIST_DIR): skipped");
        return;
    }
    const fcnet::LoadedData data = fcnet::load_data(dir);

    CHECK(data.train.features.rows() == 60000);
    CHECK(data.train.features.cols() == 784);
    CHECK(data.train.labels.front() == 5);
    CHECK(data.train.classes == 10);
    CHECK(data.train.features.minCoeff() == 0.0f);
    CHECK(data.train.features.maxCoeff() == 1.0f);
    REQUIRE(data.has_test);
    CHECK(data.test.labels.size() == 10000);
    CHECK(data.test.feature_count() == 784);
}

TEST_CASE("Fashion-MNIST loads in the same format, with no class names invented") {
    const std::string dir = fashion_mnist_dir();
    if (!has_idx_dataset(dir)) {
        WARN("Fashion-MNIST not found in " << dir << " (set FCNET_FASHION_MNIST_DIR): skipped");
        return;
    }
    const fcnet::LoadedData data = fcnet::load_data(dir);

    CHECK(data.train.size() == 60000);
    CHECK(data.train.feature_count() == 784);
    CHECK(data.train.classes == 10);
    CHECK(data.train.class_names.empty());
    REQUIRE(data.has_test);
    CHECK(data.test.size() == 10000);
}
