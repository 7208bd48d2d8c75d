// `fcnet train` on MNIST with --augment, --nondigits and --float16, end to end on a small subset.
#include <catch2/catch.hpp>

#include "io/model_file.h"
#include "support/test_support.h"

namespace {

CommandResult run_fcnet(const std::string& arguments) { return run_command(std::string(FCNET_CLI_PATH) + " " + arguments); }

}  // namespace

TEST_CASE("train --augment --nondigits --float16 makes an 11-class float16 digit model", "[cli][augment]") {
    REQUIRE(has_idx_dataset(mnist_dir()));
    const std::string dir = make_temp_dir(), path = dir + "/digits.fcnet";
    const CommandResult trained =
        run_fcnet("train --data " + mnist_dir() + " --train 1500 --val 300 --nondigits 360 --layers 784,64,10 "
                  "--epochs 2 --augment --aug-rotation 8 --float16 --threads 1 --seed 3 --out " + path);
    INFO(trained.output);
    REQUIRE(trained.exit_code == 0);
    // 360 non-digits split like the digits: 300 / 1800 of them go to validation.
    CHECK_THAT(trained.output, Catch::Contains("1800 train, 360 validation, 10000 test samples, 784 features, 11 classes"));
    CHECK_THAT(trained.output, Catch::Contains("output layer resized from 10 to 11 classes"));
    CHECK_THAT(trained.output, Catch::Contains("reached by 99% of validation digits"));

    const fcnet::Model model = fcnet::load_model(path);
    CHECK(model.network.classes() == 11);
    REQUIRE(model.class_names.size() == 11);
    CHECK(model.class_names[0] == "0");
    CHECK(model.class_names[10] == "not a digit");
    CHECK(model.weight_storage == fcnet::WeightStorage::float16);
    CHECK(model.metadata.at("nondigits") == "360");
    CHECK_THAT(model.metadata.at("augment"), Catch::Contains("rotation 8"));
    CHECK(model.metadata.count("reject_confidence") == 1);

    SECTION("the same command gives the same model, byte for byte") {
        const std::string again = dir + "/again.fcnet";
        const CommandResult retrained =
            run_fcnet("train --data " + mnist_dir() + " --train 1500 --val 300 --nondigits 360 --layers 784,64,10 "
                      "--epochs 2 --augment --aug-rotation 8 --float16 --threads 1 --seed 3 --out " + again);
        REQUIRE(retrained.exit_code == 0);
        fcnet::Model first = fcnet::load_model(path), second = fcnet::load_model(again);
        first.metadata.erase("training_seconds");
        second.metadata.erase("training_seconds");
        CHECK(fcnet::serialize_model(first) == fcnet::serialize_model(second));
    }
}

TEST_CASE("train --nondigit-images puts another dataset's training images in \"not a digit\"", "[cli][augment]") {
    REQUIRE(has_idx_dataset(mnist_dir()));
    REQUIRE(has_idx_dataset(fashion_mnist_dir()));
    const std::string dir = make_temp_dir(), path = dir + "/digits.fcnet";
    const std::string common = "train --data " + mnist_dir() + " --train 1500 --val 300 --layers 784,32,10 --epochs 1 "
                               "--threads 1 --nondigit-images " + fashion_mnist_dir();
    const CommandResult trained = run_fcnet(common + " --nondigits 120 --nondigit-image-count 240 --out " + path);
    INFO(trained.output);
    REQUIRE(trained.exit_code == 0);
    // Each source is split like the digits (1/6 to validation): 120 -> 100 + 20, 240 -> 200 + 40.
    CHECK_THAT(trained.output, Catch::Contains("1800 train, 360 validation, 10000 test samples, 784 features, 11 classes"));
    const fcnet::Model model = fcnet::load_model(path);
    CHECK(model.class_names.at(10) == "not a digit");
    CHECK(model.metadata.at("nondigit_images") == "240 from " + fashion_mnist_dir());

    SECTION("images alone make the class too") {
        const CommandResult alone = run_fcnet(common + " --nondigit-image-count 60 --out " + dir + "/alone.fcnet");
        INFO(alone.output);
        CHECK(alone.exit_code == 0);
        CHECK_THAT(alone.output, Catch::Contains("1550 train, 310 validation"));
    }
    SECTION("asking for more images than the dataset holds is an error naming it") {
        const CommandResult too_many = run_fcnet(common + " --nondigit-image-count 60001 --out " + dir + "/x.fcnet");
        CHECK(too_many.exit_code != 0);
        CHECK_THAT(too_many.output, Catch::Contains(fashion_mnist_dir()) && Catch::Contains("60000 training images") &&
                                        Catch::Contains("60001"));
    }
    SECTION("images that are not 28x28 are refused") {
        const std::string csv = dir + "/small.csv";
        std::string rows = "label,a,b\n";
        for (int i = 0; i < 40; ++i) rows += std::to_string(i % 2) + ",0.5,0.5\n";
        write_file(csv, rows);
        const CommandResult wrong = run_fcnet("train --data " + mnist_dir() + " --train 500 --epochs 1 --nondigit-images " +
                                              csv + " --nondigit-image-count 10 --out " + dir + "/y.fcnet");
        CHECK(wrong.exit_code != 0);
        CHECK_THAT(wrong.output, Catch::Contains(csv) && Catch::Contains("2 pixels per image"));
    }
}

TEST_CASE("train refuses --augment on data that are not 28x28 images", "[cli][augment]") {
    const std::string dir = make_temp_dir(), csv = dir + "/small.csv";
    std::string rows = "label,a,b\n";
    for (int i = 0; i < 40; ++i) rows += std::to_string(i % 2) + "," + std::to_string(i % 2) + ",0.5\n";
    write_file(csv, rows);
    const CommandResult result = run_fcnet("train --data " + csv + " --augment --epochs 1 --out " + dir + "/m.fcnet");
    INFO(result.output);
    CHECK(result.exit_code != 0);
    CHECK_THAT(result.output, Catch::Contains("--augment") && Catch::Contains("2 features"));
    const CommandResult bad_knob =
        run_fcnet("train --data " + csv + " --augment --aug-scale 2 --epochs 1 --out " + dir + "/m.fcnet");
    CHECK(bad_knob.exit_code != 0);
    CHECK_THAT(bad_knob.output, Catch::Contains("scale"));
}
