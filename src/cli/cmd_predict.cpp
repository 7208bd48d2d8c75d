// `fcnet predict`: the digit in each image file, with its confidence and all ten probabilities.
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "core/error.h"
#include "io/model_file.h"
#include "preprocess/ascii_art.h"
#include "preprocess/digit_prediction.h"
#include "preprocess/image_decode.h"

namespace fcnet::cli {

namespace {

struct PredictOptions {
    std::string model_path, polarity = "detect";
    std::vector<std::string> files;
    bool show = false, json = false;
};

Polarity polarity_named(const std::string& name) {
    if (name == "dark-on-light") return Polarity::dark_on_light;
    if (name == "light-on-dark") return Polarity::light_on_dark;
    return Polarity::detect;
}

double rounded(float probability) { return std::round(probability * 1e6) / 1e6; }

std::vector<std::string> art_lines(const DigitImage& image) {
    std::vector<std::string> lines;
    std::istringstream art(ascii_art(image));
    for (std::string line; std::getline(art, line);) lines.push_back(line);
    return lines;
}

nlohmann::json prediction_json(const std::string& file, const DigitPrediction& prediction) {
    nlohmann::json line{{"file", file}, {"is_digit", prediction.is_digit}, {"empty", prediction.empty}};
    if (prediction.empty) {
        line["digit"] = line["confidence"] = line["probabilities"] = nullptr;
        return line;
    }
    line["digit"] = prediction.digit;
    line["confidence"] = rounded(prediction.confidence);
    line["probabilities"] = nlohmann::json::array();
    for (float probability : prediction.probabilities) line["probabilities"].push_back(rounded(probability));
    return line;
}

// "a.png: 7  confidence 0.982  [0.000 0.001 ...]", or "not a digit" / "empty" in its place.
std::string prediction_text(const std::string& file, const DigitPrediction& prediction) {
    if (prediction.empty) return file + ": empty (no drawing found)";
    char confidence[64];
    std::snprintf(confidence, sizeof confidence, "confidence %.3f", prediction.confidence);
    std::string text = file + ": ";
    text += prediction.is_digit ? std::to_string(prediction.digit) + "  " + confidence
                                : "not a digit (closest " + std::to_string(prediction.digit) + ", " + confidence + ")";
    text += "  [";
    for (int digit = 0; digit < kDigitClasses; ++digit) {
        char probability[16];
        std::snprintf(probability, sizeof probability, digit == 0 ? "%.3f" : " %.3f", prediction.probabilities[digit]);
        text += probability;
    }
    return text + "]";
}

void run_predict(const PredictOptions& options) {
    const Model model = load_model(options.model_path);
    try {
        check_digit_model(model);
    } catch (const Error& error) {
        throw Error(options.model_path + ": " + error.what());
    }
    PreprocessOptions preprocess;
    preprocess.polarity = polarity_named(options.polarity);

    int failures = 0;
    for (const std::string& file : options.files) {
        try {
            const DigitImage image = preprocess_drawing(decode_image_file(file).view(), preprocess);
            const DigitPrediction prediction = classify_digit_image(model, image);
            if (options.json) {
                nlohmann::json line = prediction_json(file, prediction);
                if (options.show) line["art"] = art_lines(image);
                std::cout << line.dump() << '\n';
            } else {
                std::cout << prediction_text(file, prediction) << '\n';
                if (options.show) std::cout << ascii_art(image);
            }
        } catch (const Error& error) {
            ++failures;
            if (options.json) {
                std::cout << nlohmann::json{{"file", file}, {"error", error.what()}}.dump() << '\n';
            } else {
                std::cout.flush();
                std::cerr << "fcnet: error: " << error.what() << '\n';
            }
        }
        std::cout.flush();
    }
    if (failures > 0) {
        throw Error(std::to_string(failures) + " of " + std::to_string(options.files.size()) +
                    " images could not be read");
    }
}

}  // namespace

void add_predict_command(CLI::App& app) {
    auto* command = app.add_subcommand(
        "predict",
        "Read the digit in image files (PNG, JPEG, BMP): drawn or photographed, any size, either polarity");
    auto options = std::make_shared<PredictOptions>();
    command->add_option("--model,-m", options->model_path, "Digit model (.fcnet, 784 inputs, 10 classes or 11 with \"not a digit\")")->required();
    command->add_option("files", options->files, "Image files")->required();
    command->add_option("--polarity", options->polarity,
                        "Which way round the ink is: detect (from the image's border), dark-on-light or light-on-dark")
        ->capture_default_str()
        ->check(CLI::IsMember({"detect", "dark-on-light", "light-on-dark"}));
    command->add_flag("--show", options->show, "Also draw the 28x28 image the model sees, as 28 lines of characters");
    command->add_flag("--json", options->json,
                      "One JSON object per file and line: file, digit (null when empty), confidence, "
                      "probabilities (10), is_digit, empty (and art with --show; error when unreadable)");
    command->callback([options] { run_predict(*options); });
}

}  // namespace fcnet::cli
