// fcnet_embed_golden: writes the golden vectors the wasm module is checked against (native side).
//
//   fcnet_embed_golden <mnist dir> <model.fcnet> <count> <out dir> [<strokes dir>]
//
// Renders the first <count> MNIST test digits as 112x112 RGBA drawings (each 28x28 pixel
// becomes a 4x4 block; even samples white ink on black, odd ones black ink on white, alpha 255)
// into <out dir>/golden-inputs.bin, one after another, and writes <out dir>/golden.json:
// {"count","width","height","channels","labels":[...],"digits":[...],"probabilities":[[10]...],
// "accuracy"}, the native DigitClassifier results. It also runs the same drawings through the
// C API (embed_api.h) and fails if a single float differs: the C API adds no arithmetic.
//
// Given a strokes folder (../shared/data/strokes), it also writes <out dir>/golden-strokes.json:
// {"penWidth","drawings":[{"set","writer","label","strokes":[[[x,y],...],...],"digit","isDigit",
// "probabilities":[10]}...]}, kStrokeDrawingsPerSet digits of each set's held-out (test) writers
// spread over the part, read natively as the app reads strokes (read_strokes, then
// DigitClassifier with the pen's path), checked against fcnet_embed_classify_strokes the same way.
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "core/error.h"
#include "data/idx.h"
#include "data/stroke_split.h"
#include "data/strokes.h"
#include "embed/embed_api.h"
#include "io/model_file.h"
#include "preprocess/digit_prediction.h"
#include "preprocess/stroke_reading.h"

namespace {

constexpr int kScale = 4;
constexpr int kSide = fcnet::kDigitSide * kScale;  // 112
constexpr int kChannels = 4;
constexpr int kStrokeDrawingsPerSet = 20;
constexpr float kStrokePenWidth = 1;  // tablet units; only a dot would notice

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

// "%.9g": a float written so that reading it back as a float gives the same bits.
std::string float_text(float value) {
    char number[32];
    std::snprintf(number, sizeof number, "%.9g", double(value));
    return number;
}

std::string json_probabilities(const float* probabilities) {
    std::string json = "[";
    for (int c = 0; c < fcnet::kDigitClasses; ++c) json += (c ? "," : "") + float_text(probabilities[c]);
    return json + "]";
}

// True if the C API's result holds `expected`'s digit, acceptance and probabilities, bit for bit.
bool same_reading(const float* through_api, const fcnet::DigitPrediction& expected) {
    return std::memcmp(through_api + FCNET_EMBED_PROBABILITIES, expected.probabilities.data(),
                       sizeof(float) * fcnet::kDigitClasses) == 0 &&
           through_api[FCNET_EMBED_DIGIT] == float(expected.digit) &&
           through_api[FCNET_EMBED_IS_DIGIT] == (expected.is_digit ? 1.0f : 0.0f);
}

// The C API's reading of `strokes` must be DigitClassifier's to the bit.
void check_strokes_api(fcnet_classifier* classifier, const std::vector<fcnet::Polyline>& strokes,
                       const fcnet::DigitPrediction& expected, const std::string& where) {
    std::vector<float> xy;
    std::vector<int> points;
    for (const fcnet::Polyline& stroke : strokes) {
        for (const fcnet::CanvasPoint& p : stroke) xy.insert(xy.end(), {p.x, p.y});
        points.push_back(static_cast<int>(stroke.size()));
    }
    float through_api[FCNET_EMBED_RESULT_FLOATS];
    if (const char* error = fcnet_embed_classify_strokes(classifier, xy.data(), xy.size(), points.data(),
                                                         static_cast<int>(points.size()), kStrokePenWidth, through_api)) {
        throw fcnet::Error(where + ": " + error);
    }
    if (!same_reading(through_api, expected)) {
        throw fcnet::Error(where + ": the C API and DigitClassifier disagree on the strokes");
    }
}

// golden-strokes.json (see the top of the file); returns how many drawings it holds.
int write_stroke_golden(const std::string& folder, fcnet::DigitClassifier& reference, fcnet_classifier* classifier,
                        const std::string& out) {
    const fcnet::StrokeCollection collection = fcnet::read_stroke_folder(folder);
    std::vector<const fcnet::HandwrittenCharacter*> held_out[fcnet::kStrokeSets];
    for (const fcnet::HandwrittenCharacter& c : collection.characters) {
        if (c.is_digit() && fcnet::stroke_part_of(c) == fcnet::StrokePart::test) held_out[int(c.set)].push_back(&c);
    }
    std::string drawings;
    int count = 0;
    for (const auto& characters : held_out) {
        const std::size_t step = std::max<std::size_t>(1, characters.size() / kStrokeDrawingsPerSet);
        for (std::size_t i = 0; i < characters.size() && i / step < kStrokeDrawingsPerSet; i += step) {
            const fcnet::HandwrittenCharacter& c = *characters[i];
            const fcnet::StrokeReading reading = fcnet::read_strokes(c.strokes, kStrokePenWidth);
            const fcnet::DigitPrediction expected = reference.classify(reading.image, reading.path);
            check_strokes_api(classifier, c.strokes, expected, c.where);
            std::string strokes;
            for (const fcnet::Polyline& stroke : c.strokes) {
                strokes += (strokes.empty() ? "[" : ",[");
                for (std::size_t p = 0; p < stroke.size(); ++p) {
                    strokes += (p ? ",[" : "[") + float_text(stroke[p].x) + "," + float_text(stroke[p].y) + "]";
                }
                strokes += "]";
            }
            drawings += std::string(count++ ? "," : "") + "{\"set\":\"" + fcnet::stroke_set_name(c.set) +
                        "\",\"writer\":\"" + c.writer + "\",\"label\":" + c.label + ",\"strokes\":[" + strokes +
                        "],\"digit\":" + std::to_string(expected.digit) +
                        ",\"isDigit\":" + (expected.is_digit ? "true" : "false") +
                        ",\"probabilities\":" + json_probabilities(expected.probabilities.data()) + "}\n";
        }
    }
    std::ofstream json(out + "/golden-strokes.json");
    json << "{\"penWidth\":" << float_text(kStrokePenWidth) << ",\"drawings\":[" << drawings << "]}\n";
    if (!json.flush()) throw fcnet::Error(out + "/golden-strokes.json: write failed");
    return count;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 5 && argc != 6) {
        std::fprintf(stderr, "usage: %s <mnist dir> <model.fcnet> <count> <out dir> [<strokes dir>]\n", argv[0]);
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
            if (!same_reading(through_api, expected)) {
                throw fcnet::Error("sample " + std::to_string(i) + ": the C API and DigitClassifier disagree");
            }

            correct += expected.digit == labels[i];
            const char* separator = i ? "," : "";
            labels_json += separator + std::to_string(labels[i]);
            digits_json += separator + std::to_string(expected.digit);
            probabilities_json += separator + json_probabilities(expected.probabilities.data());
        }
        if (argc == 6) {
            const int drawings = write_stroke_golden(argv[5], reference, classifier, out);
            std::printf("golden: %d drawings of held-out writers as strokes, written to %s/golden-strokes.json\n",
                        drawings, out.c_str());
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
