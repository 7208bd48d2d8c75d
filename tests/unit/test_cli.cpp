// The `fcnet` command end to end on a small CSV the test writes: train, evaluate, calibrate, info, convert, errors.
#include <catch2/catch.hpp>

#include <fstream>
#include <random>

#include <nlohmann/json.hpp>

#include "io/model_file.h"
#include "support/test_support.h"

namespace {

const std::string kFcnet = FCNET_CLI_PATH;

// 600 rows of "label,f1..f16": three Gaussian blobs, with a header line.
std::string write_blobs_csv(const std::string& dir) {
    const std::string path = dir + "/blobs.csv";
    std::ofstream out(path);
    out << "label";
    for (int j = 0; j < 16; ++j) out << ",f" << j;
    out << '\n';
    std::mt19937_64 rng(3);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    for (int i = 0; i < 600; ++i) {
        const int label = i % 3;
        out << label;
        for (int j = 0; j < 16; ++j) out << ',' << (j % 3 == label ? 2.0f : 0.0f) + normal(rng);
        out << '\n';
    }
    return path;
}

CommandResult run_fcnet(const std::string& arguments) { return run_command(kFcnet + " " + arguments); }

}  // namespace

TEST_CASE("train adapts the layers, reports every epoch, calibrates, evaluates and saves", "[cli]") {
    const std::string dir = make_temp_dir();
    const std::string csv = write_blobs_csv(dir), model = dir + "/blobs.fcnet";
    const CommandResult trained = run_fcnet("train --data " + csv + " --layers 784,32,10 --epochs 4 --batch 16 --lr 0.01 --seed 5 "
                                        "--val 100 --test 100 --threads 1 --out " + model);
    INFO(trained.output);
    REQUIRE(trained.exit_code == 0);
    CHECK_THAT(trained.output, Catch::Contains("note: input layer resized from 784 to 16 features; "
                                               "output layer resized from 10 to 3 classes to match the data"));
    CHECK_THAT(trained.output, Catch::Contains("400 train, 100 validation, 100 test samples"));
    CHECK_THAT(trained.output, Catch::Contains("epoch 1/4  loss"));
    CHECK_THAT(trained.output, Catch::Contains("epoch 4/4  loss"));
    CHECK_THAT(trained.output, Catch::Contains("temperature 1.0000 ->"));
    CHECK_THAT(trained.output, Catch::Contains("macro avg"));
    CHECK_THAT(trained.output, Catch::Contains("saved " + model));

    SECTION("evaluate --json reports the same split's test part") {
        const CommandResult evaluated = run_fcnet("evaluate --json --model " + model + " --data " + csv);
        INFO(evaluated.output);
        REQUIRE(evaluated.exit_code == 0);
        const auto report = nlohmann::json::parse(evaluated.output);
        CHECK(report["samples"] == 100);
        CHECK(report["accuracy"].get<double>() > 0.9);
        for (const char* key : {"nll", "ece", "per_class", "confusion", "macro_avg", "weighted_avg"}) {
            CHECK(report.contains(key));
        }
        REQUIRE(report["per_class"].size() == 3);
        int support = 0;
        for (const auto& row : report["per_class"]) {
            for (const char* key : {"class", "precision", "recall", "f1", "support"}) CHECK(row.contains(key));
            support += row["support"].get<int>();
        }
        CHECK(support == 100);
        int total = 0;
        for (const auto& row : report["confusion"]) {
            for (const auto& count : row) total += count.get<int>();
        }
        CHECK(total == 100);
    }
    SECTION("evaluate prints the table with the confusion matrix") {
        const CommandResult evaluated = run_fcnet("evaluate --model " + model + " --data " + csv + " --part validation");
        REQUIRE(evaluated.exit_code == 0);
        CHECK_THAT(evaluated.output, Catch::Contains("precision    recall        f1   support"));
        CHECK_THAT(evaluated.output, Catch::Contains("confusion matrix (rows: true class, columns: predicted)"));
        CHECK_THAT(evaluated.output, Catch::Contains("(100 samples)"));
    }
    SECTION("calibrate prints NLL and ECE before and after and writes a loadable model") {
        const std::string calibrated = dir + "/calibrated.fcnet";
        const CommandResult result = run_fcnet("calibrate --model " + model + " --data " + csv + " --out " + calibrated);
        INFO(result.output);
        REQUIRE(result.exit_code == 0);
        CHECK_THAT(result.output, Catch::Matches("(.|\n)*validation NLL [0-9.]+ -> [0-9.]+   ECE [0-9.]+% -> [0-9.]+%(.|\n)*"));
        CHECK_THAT(result.output, Catch::Contains("test       NLL"));
        CHECK(run_fcnet("info --model " + calibrated).exit_code == 0);
    }
    SECTION("info shows the architecture, parameters and metadata") {
        const CommandResult info = run_fcnet("info --model " + model);
        REQUIRE(info.exit_code == 0);
        CHECK_THAT(info.output, Catch::Contains("architecture   16-32-3"));
        CHECK_THAT(info.output, Catch::Contains("parameters     643"));  // 16*32 + 32 + 32*3 + 3
        CHECK_THAT(info.output, Catch::Contains("  seed               5"));
        CHECK_THAT(info.output, Catch::Matches("(.|\n)*trained        20[0-9][0-9]-[01][0-9]-[0-3][0-9]\n(.|\n)*"));
        CHECK_THAT(info.output, Catch::Contains("test scores    on " + csv + " (test), 100 samples\n"));
        CHECK_THAT(info.output, Catch::Matches("(.|\n)*  accuracy       [0-9.]+% \\(test_accuracy\\)\n(.|\n)*"));
        CHECK_THAT(info.output, !Catch::Contains("  test_accuracy "));  // said once, in its row above
    }
}

TEST_CASE("info shows a model's pen-path network and how it is mixed", "[cli]") {
    const std::string dir = make_temp_dir();
    fcnet::Model model;
    model.network = fcnet::Network({784, 8, 11}, fcnet::Activation::relu, 1);
    fcnet::PenPathNetwork& pen = model.pen_path.emplace();
    pen.network = fcnet::Network({246, 16, 11}, fcnet::Activation::relu, 2);
    pen.network.temperature = 2.5f;
    pen.pixel_weight = 0.6f;
    pen.reject_confidence = 0.4375f;
    fcnet::save_model(dir + "/pen.fcnet", model);
    const CommandResult info = run_fcnet("info --model " + dir + "/pen.fcnet");
    REQUIRE(info.exit_code == 0);
    CHECK_THAT(info.output, Catch::Contains("pen path       246-16-11 network, 4139 parameters, temperature 2.5;"));
    CHECK_THAT(info.output, Catch::Contains("softmax(0.6 z / T + 0.4 z_path / T_path), accepted from 0.4375\n"));
    model.pen_path.reset();
    fcnet::save_model(dir + "/plain.fcnet", model);
    CHECK_THAT(run_fcnet("info --model " + dir + "/plain.fcnet").output, !Catch::Contains("pen path"));
}

TEST_CASE("info says what the recorded test accuracy counts and on which data", "[cli]") {
    const std::string dir = make_temp_dir();
    fcnet::Model model;
    model.network = fcnet::Network({784, 8, 11}, fcnet::Activation::relu, 1);
    model.class_names = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "not a digit"};
    model.metadata = {{"test_data", "mnist (test), 10000 samples"}, {"test_accuracy", "0.9847"},
                      {"test_digit_accuracy", "0.9922"}, {"test_nll", "0.0576"}, {"test_ece", "0.0111"}};
    fcnet::save_model(dir + "/recorded.fcnet", model);
    const std::string recorded = run_fcnet("info --model " + dir + "/recorded.fcnet").output;
    CHECK_THAT(recorded, Catch::Contains("test scores    on mnist (test), 10000 samples\n"));
    CHECK_THAT(recorded, Catch::Contains("  accuracy       98.47% (test_accuracy), the most probable of all 11 outputs: "
                                         "a digit read as \"not a digit\" counts as wrong\n"));
    CHECK_THAT(recorded, Catch::Contains("  digit accuracy 99.22% (test_digit_accuracy), the most probable of the ten "
                                         "digits:\n                 the digit predict, the app and the module report\n"));
    CHECK_THAT(recorded, Catch::Contains("  ECE            1.11% (test_ece, 15 bins)\n"));

    SECTION("a file from before the test data and the digit accuracy were recorded") {
        model.metadata = {{"calibrated_on", "../data/mnist (validation)"}, {"test_accuracy", "0.9847"}};
        fcnet::save_model(dir + "/older.fcnet", model);
        const std::string older = run_fcnet("info --model " + dir + "/older.fcnet").output;
        CHECK_THAT(older, Catch::Contains("test scores    on the test part of ../data/mnist\n"));
        CHECK_THAT(older, Catch::Contains("  accuracy       98.47% (test_accuracy), the most probable of all 11"));
        CHECK_THAT(older, Catch::Contains("  digit accuracy not recorded in this file"));
    }
}

TEST_CASE("train --int8 and convert --weights int8 store int8 weights, which info shows", "[cli][int8]") {
    const std::string dir = make_temp_dir();
    const std::string csv = write_blobs_csv(dir), model = dir + "/int8.fcnet";
    const std::string train = "train --data " + csv + " --layers 16,32,3 --epochs 2 --seed 5 --threads 1 ";
    const CommandResult trained = run_fcnet(train + "--int8 --out " + model);
    INFO(trained.output);
    REQUIRE(trained.exit_code == 0);
    CHECK_THAT(run_fcnet("info --model " + model).output, Catch::Contains("weights        int8"));

    // Through float32 and back to int8: the same bytes.
    const std::string wide = dir + "/float32.fcnet", back = dir + "/back.fcnet";
    REQUIRE(run_fcnet("convert " + model + " " + wide + " --weights float32").exit_code == 0);
    CHECK_THAT(run_fcnet("info --model " + wide).output, Catch::Contains("weights        float32"));
    const CommandResult converted = run_fcnet("convert " + wide + " " + back + " --weights int8");
    REQUIRE(converted.exit_code == 0);
    CHECK_THAT(converted.output, Catch::Contains("int8 weights"));
    CHECK(read_file(back) == read_file(model));

    const CommandResult both = run_fcnet(train + "--int8 --float16 --out " + dir + "/both.fcnet");
    CHECK(both.exit_code != 0);
    CHECK_THAT(both.output, Catch::Contains("--int8") && Catch::Contains("--float16"));
    const CommandResult unknown = run_fcnet("convert " + model + " " + back + " --weights int4");
    CHECK(unknown.exit_code != 0);
    CHECK_THAT(unknown.output, Catch::Contains("int4"));
}

TEST_CASE("errors exit non-zero with one line naming the problem", "[cli]") {
    const std::string dir = make_temp_dir();
    const CommandResult missing = run_fcnet("info --model " + dir + "/nowhere.fcnet");
    CHECK(missing.exit_code != 0);
    CHECK_THAT(missing.output, Catch::StartsWith("fcnet: error: ") && Catch::Contains("nowhere.fcnet"));
    CHECK(std::count(missing.output.begin(), missing.output.end(), '\n') == 1);

    write_file(dir + "/junk.fcnet", "this is not a model");
    const CommandResult junk = run_fcnet("evaluate --model " + dir + "/junk.fcnet --data " + dir);
    CHECK(junk.exit_code != 0);
    CHECK_THAT(junk.output, Catch::Contains("junk.fcnet"));

    const CommandResult bad_option = run_fcnet("train --data " + dir + " --optimizer rmsprop");
    CHECK(bad_option.exit_code != 0);
    CHECK_THAT(bad_option.output, Catch::Contains("rmsprop"));
}

TEST_CASE("train refuses absurd layer sizes with a clear error before allocating them", "[cli]") {
    const std::string dir = make_temp_dir();
    const std::string csv = write_blobs_csv(dir);
    for (const char* layers : {"784,100000000,10", "16,2000000000,2000000000,3", "16,20000,20000,3"}) {
        INFO("--layers " << layers);
        const CommandResult result = run_fcnet("train --data " + csv + " --layers " + layers + " --out " + dir + "/m.fcnet");
        CHECK(result.exit_code == 1);
        CHECK_THAT(result.output, Catch::Contains("fcnet: error: --layers 16,") &&
                                      Catch::Contains("more than 100000000 parameters"));
    }
    CHECK_FALSE(std::ifstream(dir + "/m.fcnet").good());
}

TEST_CASE("every command has --help", "[cli]") {
    for (const char* command : {"", "train", "evaluate", "calibrate", "info"}) {
        INFO("fcnet " << command << " --help");
        const CommandResult help = run_fcnet(std::string(command) + " --help");
        CHECK(help.exit_code == 0);
        CHECK_THAT(help.output, Catch::Contains("--"));
    }
}
