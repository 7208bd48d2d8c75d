// `fcnet predict` end to end: PNG files of MNIST digits, a blank one and a corrupt one, as JSON and text; the README's examples.
#include <catch2/catch.hpp>

#include <algorithm>
#include <numeric>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include <Eigen/Core>
#include <nlohmann/json.hpp>

#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STB_IMAGE_WRITE_STATIC
#include <stb/stb_image_write.h>

#include "core/trainer.h"
#include "data/load.h"
#include "data/split.h"
#include "io/model_file.h"
#include "support/test_support.h"

using namespace fcnet;

namespace {

const std::string kFcnet = FCNET_CLI_PATH;

CommandResult run_fcnet(const std::string& arguments) { return run_command(kFcnet + " " + arguments); }

// 784-128-10 trained for 2 epochs on 6,000 MNIST training images.
Model train_digit_model(const Dataset& mnist_train) {
    const Split split = split_dataset(mnist_train, SplitSizes{6000, 0, 0}, 1, false);
    Eigen::setNbThreads(1);
    Model model;
    model.network = Network({784, 128, 10}, Activation::relu, 1);
    model.network.normalization = {0.13f, 0.31f};
    TrainConfig config;
    config.epochs = 2;
    config.batch_size = 16;
    config.optimizer.kind = OptimizerKind::sgd;
    config.schedule.base_rate = 0.02f;
    train(model.network, split.train, Dataset{}, config);
    return model;
}

// The 28x28 digit enlarged 6 times (each pixel a 6x6 block) in the middle of a 200x200 image
// with `channels` 1 (dark on light), 3 (light on dark) or 4 (black on transparent).
std::vector<std::uint8_t> digit_image_pixels(const float* digit, int channels) {
    std::vector<std::uint8_t> pixels(200 * 200 * channels, channels == 1 ? 255 : 0);
    for (int y = 0; y < 200; ++y) {
        for (int x = 0; x < 200; ++x) {
            const int u = (x - 16) / 6, v = (y - 16) / 6;
            if (x < 16 || y < 16 || u >= 28 || v >= 28) continue;
            const auto ink = static_cast<std::uint8_t>(digit[v * 28 + u] * 255 + 0.5f);
            std::uint8_t* pixel = pixels.data() + (y * 200 + x) * channels;
            if (channels == 1) pixel[0] = 255 - ink;
            if (channels == 3) pixel[0] = pixel[1] = pixel[2] = ink;
            if (channels == 4) pixel[3] = ink;
        }
    }
    return pixels;
}

void write_png(const std::string& path, int channels, const std::vector<std::uint8_t>& pixels) {
    REQUIRE(stbi_write_png(path.c_str(), 200, 200, channels, pixels.data(), 200 * channels) != 0);
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) lines.push_back(line);
    return lines;
}

// Made once for all sections: a trained model and the PNG files, in a temporary folder.
struct Files {
    std::string dir, model_path, blank, corrupt;
    std::vector<std::string> digits;  // test digits 0, 1, 2: a 7, a 2 and a 1, drawn three different ways
    std::vector<int> labels;
    Model model;
};

const Files& files() {
    static const Files made = [] {
        INFO("MNIST folder: " << mnist_dir() << " (set FCNET_MNIST_DIR to change it)");
        REQUIRE(has_idx_dataset(mnist_dir()));
        const LoadedData mnist = load_data(mnist_dir());
        Files f;
        f.dir = make_temp_dir();
        f.model_path = f.dir + "/digits.fcnet";
        f.model = train_digit_model(mnist.train);
        save_model(f.model_path, f.model);
        for (int i = 0; i < 3; ++i) {
            const int channels = i == 0 ? 1 : i == 1 ? 4 : 3;
            f.digits.push_back(f.dir + "/digit" + std::to_string(i) + ".png");
            f.labels.push_back(mnist.test.labels[i]);
            write_png(f.digits.back(), channels, digit_image_pixels(mnist.test.features.row(i).data(), channels));
        }
        f.blank = f.dir + "/blank.png";
        f.corrupt = f.dir + "/corrupt.png";
        write_png(f.blank, 1, std::vector<std::uint8_t>(200 * 200, 255));
        write_file(f.corrupt, std::string("\x89PNG\r\n\x1a\n", 8) + "but then nothing sensible");
        return f;
    }();
    return made;
}

// The ten numbers between '[' and ']' of a text report line.
std::vector<double> bracketed_numbers(const std::string& line) {
    const auto open = line.find('['), close = line.find(']');
    std::istringstream in(line.substr(open + 1, close - open - 1));
    std::vector<double> numbers;
    for (double number; in >> number;) numbers.push_back(number);
    return numbers;
}

}  // namespace

TEST_CASE("predict reads digits from PNG files, reports blank ones as empty and names unreadable ones",
          "[predict][cli]") {
    const Files& f = files();
    const std::vector<std::string>& digits = f.digits;
    const std::string &model_path = f.model_path, &blank = f.blank, &corrupt = f.corrupt;
    REQUIRE(f.labels == std::vector<int>{7, 2, 1});

    SECTION("--json prints one object per file, an error object for the corrupt one, and fails at the end") {
        const CommandResult result = run_fcnet("predict --json --model " + model_path + " " + digits[0] + " " +
                                           digits[1] + " " + digits[2] + " " + corrupt + " " + blank);
        INFO(result.output);
        CHECK(result.exit_code != 0);
        std::vector<nlohmann::json> objects;
        for (const std::string& line : lines_of(result.output)) {
            if (!line.empty() && line[0] == '{') objects.push_back(nlohmann::json::parse(line));
        }
        REQUIRE(objects.size() == 5);
        for (int i = 0; i < 3; ++i) {
            const nlohmann::json& object = objects[i];
            CHECK(object["file"] == digits[i]);
            CHECK(object["digit"] == f.labels[i]);
            CHECK(object["is_digit"] == true);
            CHECK(object["empty"] == false);
            REQUIRE(object["probabilities"].size() == 10);
            double total = 0, largest = 0;
            for (const auto& p : object["probabilities"]) {
                total += p.get<double>();
                largest = std::max(largest, p.get<double>());
            }
            CHECK(total == Approx(1.0).margin(1e-4));
            CHECK(object["confidence"].get<double>() == Approx(largest));
            CHECK(object["probabilities"][f.labels[i]].get<double>() == Approx(largest));
        }
        CHECK(objects[3]["file"] == corrupt);
        CHECK_THAT(objects[3]["error"].get<std::string>(), Catch::Contains("cannot decode " + corrupt));
        CHECK(objects[4]["file"] == blank);
        CHECK(objects[4]["empty"] == true);
        CHECK(objects[4]["is_digit"] == false);
        CHECK(objects[4]["digit"].is_null());
        CHECK_THAT(result.output, Catch::Contains("fcnet: error: 1 of 5 images could not be read"));
    }
    SECTION("the text report gives the digit and ten probabilities, or empty; --show draws what the model sees") {
        const CommandResult result = run_fcnet("predict --show -m " + model_path + " " + digits[0] + " " + blank);
        INFO(result.output);
        REQUIRE(result.exit_code == 0);
        const std::vector<std::string> lines = lines_of(result.output);
        REQUIRE(lines.size() == 2 * 29);
        CHECK_THAT(lines[0], Catch::StartsWith(digits[0] + ": 7  confidence ") && Catch::Contains("  ["));
        const std::vector<double> probabilities = bracketed_numbers(lines[0]);
        REQUIRE(probabilities.size() == 10);
        CHECK(std::accumulate(probabilities.begin(), probabilities.end(), 0.0) == Approx(1.0).margin(0.01));
        int art_with_ink = 0;
        for (int row = 1; row <= 28; ++row) {
            CHECK(lines[row].size() == 56);
            CHECK(lines[row].find_first_not_of(" .:-=+*#%@") == std::string::npos);
            art_with_ink += lines[row].find('@') != std::string::npos;
        }
        CHECK(art_with_ink > 10);
        CHECK(lines[29] == blank + ": empty (no drawing found)");
        CHECK(lines[30] == std::string(56, ' '));
    }
    SECTION("a model that rejects unsure answers says \"not a digit\" but keeps the closest digit") {
        Model model = f.model;
        model.network.temperature = 100.0f;  // flattens every answer to about 10%
        model.metadata["reject_confidence"] = "0.5";
        const std::string unsure = f.dir + "/unsure.fcnet";
        save_model(unsure, model);
        const CommandResult text = run_fcnet("predict -m " + unsure + " " + digits[0]);
        CHECK(text.exit_code == 0);
        CHECK_THAT(text.output, Catch::StartsWith(digits[0] + ": not a digit (closest 7, confidence 0.1"));
        const CommandResult json = run_fcnet("predict --json -m " + unsure + " " + digits[0]);
        const auto object = nlohmann::json::parse(json.output);
        CHECK(object["is_digit"] == false);
        CHECK(object["digit"] == 7);
    }
    SECTION("--polarity overrides detection; a wrong one is refused") {
        const CommandResult told = run_fcnet("predict --json --polarity light-on-dark -m " + model_path + " " + digits[2]);
        INFO(told.output);
        REQUIRE(told.exit_code == 0);
        CHECK(nlohmann::json::parse(told.output)["digit"] == f.labels[2]);
        const CommandResult wrong = run_fcnet("predict --polarity sideways -m " + model_path + " " + digits[2]);
        CHECK(wrong.exit_code != 0);
        CHECK_THAT(wrong.output, Catch::Contains("sideways"));
    }
}

TEST_CASE("predict refuses a model that does not read 28x28 digits, naming it", "[predict][cli]") {
    const std::string dir = make_temp_dir();
    Model model;
    model.network = Network({16, 8, 3}, Activation::relu, 1);
    save_model(dir + "/blobs.fcnet", model);
    write_png(dir + "/blank.png", 1, std::vector<std::uint8_t>(200 * 200, 255));
    const CommandResult result = run_fcnet("predict -m " + dir + "/blobs.fcnet " + dir + "/blank.png");
    CHECK(result.exit_code != 0);
    CHECK_THAT(result.output, Catch::StartsWith("fcnet: error: " + dir + "/blobs.fcnet: the model takes 16 inputs"));
    CHECK(run_fcnet("predict --help").exit_code == 0);
    CHECK_THAT(run_fcnet("--help").output, Catch::Contains("predict"));
}

TEST_CASE("the README's predict examples, run from the repository root, read the digits the images show",
          "[predict][cli]") {
    const std::string in_root = std::string("cd ") + FCNET_SOURCE_DIR + " && " + FCNET_CLI_PATH + " predict ";
    const CommandResult shown = run_command(in_root + "--model models/mnist.fcnet examples/predict/seven.png --show");
    INFO(shown.output);
    REQUIRE(shown.exit_code == 0);
    CHECK_THAT(shown.output, Catch::StartsWith("examples/predict/seven.png: 7  confidence "));
    CHECK(lines_of(shown.output).size() == 1 + 28);  // the reading, then the 28 rows the network sees

    const CommandResult listed = run_command(in_root + "--model models/mnist.fcnet examples/predict/*.png --json");
    INFO(listed.output);
    REQUIRE(listed.exit_code == 0);
    const std::vector<std::string> lines = lines_of(listed.output);
    REQUIRE(lines.size() == 2);
    for (const auto& [line, file, digit] : {std::tuple{lines[0], "examples/predict/seven.png", 7},
                                            {lines[1], "examples/predict/three.png", 3}}) {
        const auto reading = nlohmann::json::parse(line);
        CHECK(reading["file"] == file);
        CHECK(reading["digit"] == digit);
        CHECK(reading["is_digit"] == true);
    }
}
