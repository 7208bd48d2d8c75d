// fcnet_embed_golden: writes the golden vectors the wasm module is checked against (native side).
//
//   fcnet_embed_golden <mnist dir> <model.fcnet> <count> <out dir>
//
// Renders the first <count> MNIST test digits as 112x112 RGBA drawings (each 28x28 pixel
// becomes a 4x4 block; even samples white ink on black, odd ones black ink on white, alpha 255)
// into <out dir>/golden-inputs.bin, one after another, and writes <out dir>/golden.json:
// {"count","width","height","channels","labels":[...],"digits":[...],"probabilities":[[10]...],
// "accuracy"}, the native DigitClassifier results. It also runs the same drawings through the
// C API (embed_api.h) and fails if a single float differs: the C API adds no arithmetic.
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "core/error.h"
#include "data/idx.h"
#include "embed/embed_api.h"
#include "io/model_file.h"
#include "preprocess/digit_prediction.h"

namespace {

constexpr int kScale = 4;
constexpr int kSide = fcnet::kDigitSide * kScale;  // 112
constexpr int kChannels = 4;

std::string existing(const std::string& path) {
    return std::filesystem::exists(path) ? path : path + ".gz";
}

std::vector<std::uint8_t> read_bytes(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    if (!file) throw fcnet::Error(path + ": cannot open");
    return {std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
}

// One MNIST digit (784 values in [0, 1], 1 = ink) as a kSide x kSide RGBA drawing.
std::vector<std::uint8_t> render(const float* digit, bool dark_on_light) {
    std::vector<std::uint8_t> rgba(std::size_t(kSide) * kSide * kChannels);
    for (int y = 0; y < kSide; ++y) {
        for (int x = 0; x < kSide; ++x) {
            const float ink = digit[(y / kScale) * fcnet::kDigitSide + x / kScale];
            auto level = static_cast<std::uint8_t>(ink * 255.0f + 0.5f);
            if (dark_on_light) level = static_cast<std::uint8_t>(255 - level);
            std::uint8_t* pixel = &rgba[(std::size_t(y) * kSide + x) * kChannels];
            pixel[0] = pixel[1] = pixel[2] = level;
            pixel[3] = 255;
        }
    }
    return rgba;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 5) {
        std::fprintf(stderr, "usage: %s <mnist dir> <model.fcnet> <count> <out dir>\n", argv[0]);
        return 2;
    }
    try {
        const std::string mnist = argv[1], model_path = argv[2], out = argv[4];
        const int count = std::stoi(argv[3]);
        const fcnet::Matrix images = fcnet::read_idx_images(existing(mnist + "/t10k-images-idx3-ubyte"));
        const std::vector<int> labels = fcnet::read_idx_labels(existing(mnist + "/t10k-labels-idx1-ubyte"));
        if (count <= 0 || count > images.rows()) throw fcnet::Error("count must be in 1.." + std::to_string(images.rows()));

        const std::vector<std::uint8_t> model_bytes = read_bytes(model_path);
        const fcnet::Model model = fcnet::deserialize_model(model_bytes.data(), model_bytes.size(), model_path);
        fcnet::DigitClassifier reference(model);
        fcnet_classifier* classifier = nullptr;
        if (const char* error = fcnet_embed_create(model_bytes.data(), model_bytes.size(), model_path.c_str(), &classifier)) {
            throw fcnet::Error(error);
        }

        std::filesystem::create_directories(out);
        std::ofstream inputs(out + "/golden-inputs.bin", std::ios::binary);
        std::string labels_json, digits_json, probabilities_json;
        int correct = 0;
        for (int i = 0; i < count; ++i) {
            const std::vector<std::uint8_t> rgba = render(images.row(i).data(), i % 2 == 1);
            inputs.write(reinterpret_cast<const char*>(rgba.data()), std::streamsize(rgba.size()));

            const fcnet::DigitPrediction expected =
                reference.classify(fcnet::PixelBuffer{rgba.data(), kSide, kSide, kChannels});
            float through_api[FCNET_EMBED_RESULT_FLOATS];
            if (const char* error = fcnet_embed_classify(classifier, rgba.data(), rgba.size(), kSide, kSide,
                                                         kChannels, FCNET_EMBED_DETECT, through_api)) {
                throw fcnet::Error("sample " + std::to_string(i) + ": " + error);
            }
            if (std::memcmp(through_api + FCNET_EMBED_PROBABILITIES, expected.probabilities.data(),
                            sizeof(float) * fcnet::kDigitClasses) != 0 ||
                through_api[FCNET_EMBED_DIGIT] != float(expected.digit)) {
                throw fcnet::Error("sample " + std::to_string(i) + ": the C API and DigitClassifier disagree");
            }

            correct += expected.digit == labels[i];
            const char* separator = i ? "," : "";
            labels_json += separator + std::to_string(labels[i]);
            digits_json += separator + std::to_string(expected.digit);
            probabilities_json += separator + std::string("[");
            for (int c = 0; c < fcnet::kDigitClasses; ++c) {
                char number[32];
                std::snprintf(number, sizeof number, "%s%.9g", c ? "," : "", double(expected.probabilities[c]));
                probabilities_json += number;
            }
            probabilities_json += "]";
        }
        fcnet_embed_dispose(classifier);
        if (!inputs.flush()) throw fcnet::Error(out + "/golden-inputs.bin: write failed");

        std::ofstream json(out + "/golden.json");
        json << "{\"count\":" << count << ",\"width\":" << kSide << ",\"height\":" << kSide
             << ",\"channels\":" << kChannels << ",\"accuracy\":" << double(correct) / count
             << ",\"labels\":[" << labels_json << "],\"digits\":[" << digits_json
             << "],\"probabilities\":[" << probabilities_json << "]}\n";
        if (!json.flush()) throw fcnet::Error(out + "/golden.json: write failed");
        std::printf("golden: %d samples, native accuracy %d/%d, written to %s\n", count, correct, count, out.c_str());
        return 0;
    } catch (const std::exception& error) {
        std::fprintf(stderr, "fcnet_embed_golden: %s\n", error.what());
        return 1;
    }
}
