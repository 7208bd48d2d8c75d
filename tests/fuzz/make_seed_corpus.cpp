// Writes the fuzz targets' seed corpora (tests/fuzz/corpus/<target>/): small valid inputs made by
// the library's own writers, so a seed always matches the current formats.
// Usage: make_seed_corpus <corpus folder>   (scripts/fuzz.sh --seeds runs it)
#include <zlib.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STB_IMAGE_WRITE_STATIC
#include <stb_image_write.h>

#include "io/model_file.h"
#include "io/rehearsal_file.h"
#include "onnx/onnx_model.h"

namespace {

using Bytes = std::vector<std::uint8_t>;
std::filesystem::path corpus;

void write(const std::string& target, const std::string& name, const Bytes& bytes) {
    std::filesystem::create_directories(corpus / target);
    std::ofstream(corpus / target / name, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

Bytes text(const std::string& s) { return Bytes(s.begin(), s.end()); }

void big_endian(Bytes& out, std::uint32_t value) {
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(value >> shift));
}

// A 3x3 "digit": a vertical stroke, for IDX images, PNG/BMP/JPEG files and pixel buffers.
Bytes stroke(int side, int channels) {
    Bytes pixels;
    for (int y = 0; y < side; ++y)
        for (int x = 0; x < side; ++x)
            for (int c = 0; c < channels; ++c) pixels.push_back(x == side / 2 ? 255 : (c == 3 ? 255 : 0));
    return pixels;
}

void append_image(void* out, void* data, int size) {
    auto* bytes = static_cast<std::uint8_t*>(data);
    static_cast<Bytes*>(out)->insert(static_cast<Bytes*>(out)->end(), bytes, bytes + size);
}

Bytes encoded(char format, int side, int channels) {
    const Bytes pixels = stroke(side, channels);
    Bytes file;
    if (format == 'p') stbi_write_png_to_func(append_image, &file, side, side, channels, pixels.data(), side * channels);
    if (format == 'b') stbi_write_bmp_to_func(append_image, &file, side, side, channels, pixels.data());
    if (format == 'j') stbi_write_jpg_to_func(append_image, &file, side, side, channels, pixels.data(), 80);
    return file;
}

void model_seeds() {
    fcnet::Model model;
    model.network = fcnet::Network({4, 3, 2}, fcnet::Activation::relu, 1);
    model.class_names = {"no", "yes"};
    model.metadata = {{"dataset", "seed"}};
    write("fuzz_model_loader", "small.fcnet", fcnet::serialize_model(model));
    model.network = fcnet::Network({2, 2}, fcnet::Activation::tanh, 2);
    model.class_names.clear();
    model.metadata.clear();
    const Bytes file = fcnet::serialize_model(model);
    write("fuzz_model_loader", "tiny.fcnet", file);
    // The payload alone: the target also wraps its input in a valid container.
    write("fuzz_model_loader", "tiny.payload", fcnet::unwrap_model_payload(file.data(), file.size(), "seed"));
    model.weight_storage = fcnet::WeightStorage::int8;  // format version 3: scales, int8 weights, float16 biases
    const Bytes int8_file = fcnet::serialize_model(model);
    write("fuzz_model_loader", "tiny-int8.fcnet", int8_file);
    write("fuzz_model_loader", "tiny-int8.payload", fcnet::unwrap_model_payload(int8_file.data(), int8_file.size(), "seed"));
    model.pen_path.emplace();  // format version 4: a pen-path network after the weights
    model.pen_path->network = fcnet::Network({3, 2, 2}, fcnet::Activation::relu, 3);
    model.pen_path->pixel_weight = 0.6f;
    model.pen_path->reject_confidence = 0.4f;
    const Bytes pen_file = fcnet::serialize_model(model);
    write("fuzz_model_loader", "tiny-pen-path.fcnet", pen_file);
    write("fuzz_model_loader", "tiny-pen-path.payload", fcnet::unwrap_model_payload(pen_file.data(), pen_file.size(), "seed"));
}

void rehearsal_seeds() {
    fcnet::Dataset sample;
    sample.features = fcnet::Matrix::Zero(3, 784);
    sample.features.col(14 * 28 + 14).setOnes();
    sample.labels = {0, 1, 10};
    sample.classes = 11;
    write("fuzz_rehearsal", "three.rehearsal", fcnet::serialize_rehearsal(sample));
    fcnet::PathRehearsal paths;  // two pen paths of four features
    paths.paths = fcnet::Matrix::Zero(2, 4);
    paths.paths(0, 1) = 1.0f;
    paths.paths(1, 2) = -0.5f;
    paths.labels = {3, 10};
    write("fuzz_rehearsal", "three-with-paths.rehearsal", fcnet::serialize_rehearsal(sample, paths));
}

void onnx_seeds() {
    fcnet::Model model;
    model.network = fcnet::Network({4, 3, 2}, fcnet::Activation::relu, 1);
    model.class_names = {"no", "yes"};
    model.metadata = {{"reject_confidence", "0.5"}};
    write("fuzz_onnx_import", "relu.onnx", fcnet::serialize_onnx(model));
    model.network = fcnet::Network({3, 2, 2, 2}, fcnet::Activation::leaky_relu, 2);
    model.network.layers()[1].activation = fcnet::Activation::sigmoid;
    model.network.layers()[2].activation = fcnet::Activation::tanh;
    model.network.temperature = 1.5f;
    model.class_names.clear();
    model.metadata.clear();
    write("fuzz_onnx_import", "activations.onnx", fcnet::serialize_onnx(model));
}

void idx_seeds() {
    Bytes images;  // mode byte 0 = raw images: 2 images of 3x3
    images.push_back(0);
    big_endian(images, 0x803);
    for (std::uint32_t size : {2u, 3u, 3u}) big_endian(images, size);
    for (int i = 0; i < 2; ++i) {
        const Bytes pixels = stroke(3, 1);
        images.insert(images.end(), pixels.begin(), pixels.end());
    }
    write("fuzz_idx", "images.raw", images);
    images[0] = 2;  // the target gzips the rest
    write("fuzz_idx", "images.gz", images);
    Bytes labels = {1};
    big_endian(labels, 0x801);
    big_endian(labels, 3);
    labels.insert(labels.end(), {7, 0, 9});
    write("fuzz_idx", "labels.raw", labels);
    labels[0] = 3;
    write("fuzz_idx", "labels.gz", labels);
    // A gzip file written as is (mode 1: labels, not compressed by the target).
    Bytes gz(64);
    uLongf gz_size = static_cast<uLongf>(gz.size());
    compress2(gz.data(), &gz_size, labels.data() + 1, static_cast<uLong>(labels.size() - 1), 9);  // zlib, not gzip
    gz.resize(gz_size);
    gz.insert(gz.begin(), 1);
    write("fuzz_idx", "labels.zlib", gz);
}

void csv_seeds() {
    write("fuzz_csv", "header.csv", text(std::string(1, char(0)) + "label,a,b\n1,0.5,0.25\n0,1,0\r\n\n2,0,1\n"));
    write("fuzz_csv", "pixels.csv", text(std::string(1, char(3)) + "0, 255, 12\n1, 3, 200\n"));
    write("fuzz_csv", "last.csv", text(std::string(1, char(11)) + "x,y,class\n1.5e-3,-2,1\n"));
}

void image_seeds() {
    for (const char format : {'p', 'b', 'j'}) {
        for (const int channels : {1, 3, 4}) {
            Bytes file = {0};
            const Bytes image = encoded(format, 8, channels);
            file.insert(file.end(), image.begin(), image.end());
            write("fuzz_image", std::string(1, format) + std::to_string(channels), file);
        }
    }
    Bytes gray = {1, 8, 0, 8, 0};  // mode 1: 8x8 float gray image, white with a dark stroke
    for (int i = 0; i < 64; ++i) {
        const float value = i % 8 == 4 ? 0.0f : 1.0f;
        const auto* bytes = reinterpret_cast<const std::uint8_t*>(&value);
        gray.insert(gray.end(), bytes, bytes + 4);
    }
    write("fuzz_image", "gray.f32", gray);
}

void stroke_seeds() {
    // The first byte picks the parser: 0 pendigits .tra, 1 .tes, 2 UJI, 3 UNIPEN (7: with a .doc).
    write("fuzz_strokes", "pendigits", text(std::string(1, char(0)) +
                                            ".SEGMENT DIGIT 0-1 ? \"4\"\n.COMMENT 4 12 7\n.PEN_DOWN\n 10 100\n 10 50\n"
                                            ".PEN_UP\n.PEN_DOWN\n 20 80\n.PEN_UP\n.DT 100\n\n"
                                            ".SEGMENT DIGIT 2 ? \"1\"\n.COMMENT 1 3 8\n.PEN_DOWN\n 5 -5\n.PEN_UP\n"));
    write("fuzz_strokes", "uji", text(std::string(1, char(2)) +
                                      ".SEGMENT CHARACTER 0 ? \"a\"\n.COMMENT Class [A]\n\n.PEN_DOWN\n 557  844\n"
                                      " 550  803\n.PEN_UP\n.SEGMENT CHARACTER 1-2 ? \"0\"\n.PEN_DOWN\n 1 2\n.PEN_UP\n"
                                      ".PEN_DOWN\n 3.5 4e1\n.PEN_UP\n"));
    const std::string segments = ".VERSION 1.0\n.INCLUDE abc/data/amy.dat\n.SEGMENT CHARACTER 0-2 ? \"5\"\n"
                                 ".SEGMENT CHARACTER 2 OK \"1\"\n.SEGMENT CHARACTER 0:1-2:0 ? \"9\"\n"
                                 ".SEGMENT CHARACTER 3,1 ? \"7\"\n";
    const std::string pen = ".WRITER_ID amy\n.X_POINTS_PER_INCH 100\n.Y_POINTS_PER_INCH 200\n.PEN_DOWN\n  1  10\n"
                            "  2  20\n.PEN_UP\n  3  30\n.PEN_DOWN\n  4  40\n.PEN_UP\n.DT 20\n.PEN_DOWN\n.PEN_UP\n";
    write("fuzz_strokes", "unipen", text(std::string(1, char(7)) + segments + std::string(1, '\0') + pen));
}

void embed_seeds() {
    for (const int channels : {1, 3, 4}) {
        Bytes input = {0, 12, 0, 12, 0, static_cast<std::uint8_t>(channels), 0};
        const Bytes pixels = stroke(12, channels);
        input.insert(input.end(), pixels.begin(), pixels.end());
        write("fuzz_embed_classify", "stroke" + std::to_string(channels), input);
    }
    fcnet::Model model;
    model.network = fcnet::Network({784, 10}, fcnet::Activation::relu, 3);
    fcnet::Matrix& weights = model.network.layers()[0].weights;  // 784 x 10: pixel i votes for class i % 10
    for (int i = 0; i < 784; ++i)
        for (int j = 0; j < 10; ++j) weights(i, j) = i % 10 == j ? 0.01f : 0.0f;  // compresses to ~100 bytes
    Bytes create = {0x80};
    const Bytes file = fcnet::serialize_model(model);
    create.insert(create.end(), file.begin(), file.end());
    write("fuzz_embed_classify", "model", create);
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s <corpus folder>\n", argv[0]);
        return 2;
    }
    corpus = argv[1];
    model_seeds();
    rehearsal_seeds();
    onnx_seeds();
    idx_seeds();
    csv_seeds();
    image_seeds();
    stroke_seeds();
    embed_seeds();
    return 0;
}
