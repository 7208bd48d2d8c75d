// Tests for the `.fcnet` model file: round trips, every kind of corruption, and atomic saves.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>
#include <random>

#include "core/error.h"
#include "io/byte_stream.h"
#include "io/model_file.h"
#include "support/test_support.h"

using Catch::Matchers::Contains;
using fcnet::Activation;
using fcnet::Model;
using Bytes = std::vector<std::uint8_t>;

namespace {

// A 5 -> 7 -> 4 -> 3 tanh network with non-zero biases and every optional field set.
Model make_model() {
    Model model;
    model.network = fcnet::Network({5, 7, 4, 3}, Activation::tanh, 42);
    std::mt19937 rng(7);
    std::normal_distribution<float> normal(0.0f, 0.5f);
    for (fcnet::DenseLayer& layer : model.network.layers()) {
        for (Eigen::Index i = 0; i < layer.bias.size(); ++i) layer.bias[i] = normal(rng);
    }
    model.network.temperature = 1.7f;
    model.network.normalization = {0.1307f, 0.3081f};
    model.class_names = {"cat", "dog", "écureuil"};
    model.metadata = {{"dataset", "synthetic"}, {"epochs", "3"}, {"note", ""}};
    return model;
}

// Payload offsets for make_model's 3 layers (docs/model-format.md, "Payload").
constexpr std::size_t kLayerRecord = 9;
std::size_t layer_inputs_at(int layer) { return 4 + kLayerRecord * layer; }
std::size_t layer_outputs_at(int layer) { return 8 + kLayerRecord * layer; }
std::size_t layer_activation_at(int layer) { return 12 + kLayerRecord * layer; }
constexpr std::size_t kAfterLayers = 4 + kLayerRecord * 3;  // A in the format document
constexpr std::size_t kPrecisionAt = kAfterLayers;
constexpr std::size_t kTemperatureAt = kAfterLayers + 1;
constexpr std::size_t kStddevAt = kAfterLayers + 9;
constexpr std::size_t kClassCountAt = kAfterLayers + 13;
constexpr std::size_t kFirstClassNameAt = kAfterLayers + 17;

// Header offsets.
constexpr std::size_t kVersionAt = 8;
constexpr std::size_t kFlagsAt = 12;
constexpr std::size_t kUncompressedSizeAt = 16;
constexpr std::size_t kCrcAt = 32;

void put_u32(Bytes& bytes, std::size_t offset, std::uint32_t value) {
    for (int i = 0; i < 4; ++i) bytes[offset + i] = static_cast<std::uint8_t>(value >> (8 * i));
}
void put_u64(Bytes& bytes, std::size_t offset, std::uint64_t value) {
    for (int i = 0; i < 8; ++i) bytes[offset + i] = static_cast<std::uint8_t>(value >> (8 * i));
}
void put_f32(Bytes& bytes, std::size_t offset, float value) {
    std::uint32_t bits;
    std::memcpy(&bits, &value, 4);
    put_u32(bytes, offset, bits);
}

Bytes model_payload() {
    const Bytes file = fcnet::serialize_model(make_model());
    return fcnet::unwrap_model_payload(file.data(), file.size(), "serialized");
}

std::string as_string(const Bytes& bytes) { return std::string(bytes.begin(), bytes.end()); }
Bytes as_bytes(const std::string& text) { return Bytes(text.begin(), text.end()); }

// Writes `file` to a new folder and returns the message load_model throws for it.
struct LoadResult {
    std::string path;
    std::string message;
};
LoadResult load_error(const Bytes& file) {
    const std::string path = make_temp_dir() + "/model.fcnet";
    write_file(path, as_string(file));
    return {path, error_message([&] { fcnet::load_model(path); })};
}
LoadResult load_payload_error(const Bytes& payload) { return load_error(fcnet::wrap_model_payload(payload)); }

std::vector<std::string> folder_entries(const std::string& folder) {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(folder)) {
        names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
}

fcnet::Matrix random_inputs(int rows, int cols) {
    std::mt19937 rng(11);
    std::uniform_real_distribution<float> uniform(0.0f, 1.0f);
    fcnet::Matrix inputs(rows, cols);
    for (Eigen::Index i = 0; i < inputs.size(); ++i) inputs.data()[i] = uniform(rng);
    return inputs;
}

bool same_bits(const fcnet::Matrix& a, const fcnet::Matrix& b) {
    return a.rows() == b.rows() && a.cols() == b.cols() &&
           std::memcmp(a.data(), b.data(), sizeof(float) * a.size()) == 0;
}

}  // namespace

// ---- round trips -----------------------------------------------------------------------

TEST_CASE("a saved model loads back with identical weights, settings and predictions", "[model_file]") {
    const Model original = make_model();
    const std::string path = make_temp_dir() + "/model.fcnet";
    fcnet::save_model(path, original);
    const Model loaded = fcnet::load_model(path);

    REQUIRE(loaded.network.layer_sizes() == std::vector<int>{5, 7, 4, 3});
    REQUIRE(loaded.network.layers().size() == original.network.layers().size());
    for (std::size_t i = 0; i < original.network.layers().size(); ++i) {
        const fcnet::DenseLayer& a = original.network.layers()[i];
        const fcnet::DenseLayer& b = loaded.network.layers()[i];
        CHECK(same_bits(a.weights, b.weights));
        CHECK(std::memcmp(a.bias.data(), b.bias.data(), sizeof(float) * a.bias.size()) == 0);
        CHECK(a.activation == b.activation);
    }
    CHECK(loaded.network.layers().back().activation == Activation::identity);
    CHECK(loaded.network.hidden_activation() == Activation::tanh);
    CHECK(loaded.network.temperature == 1.7f);
    CHECK(loaded.network.normalization.mean == 0.1307f);
    CHECK(loaded.network.normalization.stddev == 0.3081f);
    CHECK(loaded.class_names == original.class_names);
    CHECK(loaded.metadata == original.metadata);

    const fcnet::Matrix inputs = random_inputs(64, 5);
    CHECK(same_bits(loaded.network.predict(inputs), original.network.predict(inputs)));
}

TEST_CASE("every activation and a model without class names or metadata round-trip in memory", "[model_file]") {
    Model original;
    original.network = fcnet::Network({3, 4, 4, 4, 4, 2}, Activation::relu, 3);
    const Activation activations[] = {Activation::identity, Activation::relu, Activation::leaky_relu,
                                      Activation::sigmoid, Activation::tanh};
    for (std::size_t i = 0; i < 5; ++i) original.network.layers()[i].activation = activations[i];

    const Bytes bytes = fcnet::serialize_model(original);
    const Model loaded = fcnet::deserialize_model(bytes.data(), bytes.size(), "buffer");
    for (std::size_t i = 0; i < 5; ++i) CHECK(loaded.network.layers()[i].activation == activations[i]);
    CHECK(loaded.class_names.empty());
    CHECK(loaded.metadata.empty());
    CHECK(loaded.class_name(1) == "1");
    const fcnet::Matrix inputs = random_inputs(8, 3);
    CHECK(same_bits(loaded.network.predict(inputs), original.network.predict(inputs)));
}

TEST_CASE("serializing the same model twice gives the same bytes", "[model_file]") {
    CHECK(fcnet::serialize_model(make_model()) == fcnet::serialize_model(make_model()));
}

TEST_CASE("the file starts with the documented header", "[model_file]") {
    const Bytes file = fcnet::serialize_model(make_model());
    const Bytes magic = {0x89, 'F', 'C', 'N', '\r', '\n', 0x1a, '\n'};
    REQUIRE(file.size() > fcnet::kModelHeaderSize);
    CHECK(Bytes(file.begin(), file.begin() + 8) == magic);
    fcnet::ByteReader header(file.data() + 8, 28, "file", "header");
    CHECK(header.u32("version") == 1);
    CHECK(header.u32("flags") == 0);
    const std::uint64_t uncompressed = header.u64("uncompressed size");
    const std::uint64_t compressed = header.u64("compressed size");
    CHECK(compressed == file.size() - fcnet::kModelHeaderSize);
    CHECK(uncompressed == model_payload().size());

    // 3 layers: count + 3 records + precision, temperature, mean, stddev, class count...
    const Bytes payload = model_payload();
    fcnet::ByteReader in(payload.data(), payload.size(), "payload", "payload");
    CHECK(in.u32("layer count") == 3);
    CHECK(in.u32("inputs") == 5);
    CHECK(in.u32("outputs") == 7);
    CHECK(in.u8("activation") == 4);  // tanh
    in.u32("inputs");
    in.u32("outputs");
    in.u8("activation");
    in.u32("inputs");
    CHECK(in.u32("outputs") == 3);
    CHECK(in.u8("activation") == 0);  // identity
    CHECK(in.u8("precision") == 0);   // float32
    CHECK(in.f32("temperature") == 1.7f);
    CHECK(in.f32("mean") == 0.1307f);
    CHECK(in.f32("stddev") == 0.3081f);
    CHECK(in.u32("class count") == 3);
    CHECK(in.string("class name") == "cat");
    CHECK(in.string("class name") == "dog");
    CHECK(in.string("class name") == "\xC3\xA9" "cureuil");  // UTF-8 bytes, unchanged
    CHECK(in.u32("metadata count") == 3);
    CHECK(in.string("key") == "dataset");
    CHECK(in.string("value") == "synthetic");
    in.string("key");
    in.string("value");
    CHECK(in.string("key") == "note");
    CHECK(in.string("value") == "");
    // The weights and biases of the three layers close the payload.
    CHECK(in.remaining() == 4 * (5 * 7 + 7 + 7 * 4 + 4 + 4 * 3 + 3));
}

// ---- not a model, wrong version, truncation ----------------------------------------------

TEST_CASE("a file that is not an fcnet model is rejected as such", "[model_file]") {
    const LoadResult text = load_error(as_bytes("hello, this is a text file and not a model at all"));
    CHECK_THAT(text.message, Contains(text.path) && Contains("not an fcnet model file"));

    const LoadResult png = load_error({0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13});
    CHECK_THAT(png.message, Contains(png.path) && Contains("not an fcnet model file"));

    const LoadResult empty = load_error({});
    CHECK_THAT(empty.message, Contains(empty.path) && Contains("empty"));
}

TEST_CASE("a model whose line endings were converted in text mode is recognised as damaged", "[model_file]") {
    Bytes file = fcnet::serialize_model(make_model());
    file.erase(file.begin() + 4);  // CR LF -> LF
    const LoadResult result = load_error(file);
    CHECK_THAT(result.message, Contains(result.path) && Contains("not an fcnet model file") &&
                                   Contains("text-mode transfer"));
}

TEST_CASE("an unknown format version is rejected naming the version found and the one supported", "[model_file]") {
    Bytes file = fcnet::serialize_model(make_model());
    put_u32(file, kVersionAt, 7);
    const LoadResult result = load_error(file);
    CHECK_THAT(result.message, Contains(result.path) && Contains("unsupported format version 7") &&
                                   Contains("reads versions 1 to 4"));
}

TEST_CASE("reserved header flags must be zero", "[model_file]") {
    Bytes file = fcnet::serialize_model(make_model());
    put_u32(file, kFlagsAt, 4);
    const LoadResult result = load_error(file);
    CHECK_THAT(result.message, Contains(result.path) && Contains("flags"));
}

TEST_CASE("a file truncated at any point is rejected as truncated", "[model_file]") {
    const Bytes file = fcnet::serialize_model(make_model());
    const std::string path = make_temp_dir() + "/model.fcnet";
    for (std::size_t length = 1; length < file.size(); ++length) {
        write_file(path, as_string(Bytes(file.begin(), file.begin() + length)));
        const std::string message = error_message([&] { fcnet::load_model(path); });
        INFO("truncated to " << length << " of " << file.size() << " bytes");
        CHECK_THAT(message, Contains(path) && Contains("truncated"));
        if (length < fcnet::kModelHeaderSize) CHECK_THAT(message, Contains("header"));
        if (length > fcnet::kModelHeaderSize) CHECK_THAT(message, Contains("payload"));
    }
}

TEST_CASE("bytes after the compressed payload are rejected", "[model_file]") {
    Bytes file = fcnet::serialize_model(make_model());
    file.push_back(0);
    const LoadResult result = load_error(file);
    CHECK_THAT(result.message, Contains(result.path) && Contains("does not match the file length"));
}

// ---- corruption -----------------------------------------------------------------------------

TEST_CASE("a changed payload byte is reported as a CRC mismatch", "[model_file]") {
    const Bytes original = fcnet::serialize_model(make_model());
    Bytes payload = model_payload();
    payload[payload.size() - 10] ^= 0x40;  // inside the last layer's weights
    Bytes file = fcnet::wrap_model_payload(payload);
    std::copy(original.begin() + kCrcAt, original.begin() + kCrcAt + 4, file.begin() + kCrcAt);
    const LoadResult result = load_error(file);
    CHECK_THAT(result.message, Contains(result.path) && Contains("CRC mismatch"));
}

TEST_CASE("any single flipped byte anywhere in the file is rejected", "[model_file]") {
    const Bytes original = fcnet::serialize_model(make_model());
    for (std::size_t offset = 0; offset < original.size(); ++offset) {
        Bytes file = original;
        file[offset] ^= 0x10;
        INFO("byte " << offset << " of " << original.size() << " flipped");
        const std::string message =
            error_message([&] { fcnet::deserialize_model(file.data(), file.size(), "flipped.fcnet"); });
        CHECK_THAT(message, Contains("flipped.fcnet: "));
    }
}

TEST_CASE("a compressed stream that is not valid zlib data fails decompression", "[model_file]") {
    Bytes file = fcnet::serialize_model(make_model());
    for (std::size_t i = fcnet::kModelHeaderSize; i < file.size(); ++i) file[i] = 0xFF;
    const LoadResult result = load_error(file);
    CHECK_THAT(result.message, Contains(result.path) && Contains("decompression failed"));
}

TEST_CASE("a header whose uncompressed size disagrees with the stream is rejected", "[model_file]") {
    const Bytes original = fcnet::serialize_model(make_model());
    const std::uint64_t size = model_payload().size();

    Bytes smaller = original;
    put_u64(smaller, kUncompressedSizeAt, size - 1);
    const LoadResult longer = load_error(smaller);
    CHECK_THAT(longer.message, Contains(longer.path) && Contains("longer than the header declares"));

    Bytes larger = original;
    put_u64(larger, kUncompressedSizeAt, size + 1);
    const LoadResult shorter = load_error(larger);
    CHECK_THAT(shorter.message, Contains(shorter.path) && Contains("shorter than the header declares"));
}

TEST_CASE("a huge declared payload is rejected before anything is decompressed", "[model_file]") {
    Bytes over_limit = fcnet::serialize_model(make_model());
    put_u64(over_limit, kUncompressedSizeAt, std::uint64_t{1} << 40);  // 1 TiB
    const LoadResult terabyte = load_error(over_limit);
    CHECK_THAT(terabyte.message, Contains(terabyte.path) && Contains("absurd uncompressed payload size"));

    // Within the limit, but far more than a few hundred compressed bytes can inflate to.
    Bytes over_ratio = fcnet::serialize_model(make_model());
    put_u64(over_ratio, kUncompressedSizeAt, fcnet::kMaxModelPayloadBytes);
    const LoadResult ratio = load_error(over_ratio);
    CHECK_THAT(ratio.message, Contains(ratio.path) && Contains("absurd uncompressed payload size"));
}

TEST_CASE("absurd layer counts and sizes are rejected", "[model_file]") {
    struct Case {
        const char* what;
        std::size_t offset;
        std::uint32_t value;
        const char* expected;
    };
    const Case cases[] = {
        {"no layers", 0, 0, "absurd layer count 0"},
        {"5000 layers", 0, 5000, "absurd layer count 5000"},
        {"a zero-size layer", layer_inputs_at(0), 0, "absurd layer size"},
        {"a layer of 200 million", layer_outputs_at(2), 200'000'000, "absurd layer size"},
    };
    for (const Case& c : cases) {
        Bytes payload = model_payload();
        put_u32(payload, c.offset, c.value);
        const LoadResult result = load_payload_error(payload);
        INFO(c.what);
        CHECK_THAT(result.message, Contains(result.path) && Contains(c.expected));
    }
}

TEST_CASE("a model claiming 200 million parameters is rejected before allocation", "[model_file]") {
    // A valid container and CRC around a payload whose single 20000 x 10000 layer would need
    // 800 MB of weights; the payload itself holds no weights at all.
    fcnet::ByteWriter payload;
    payload.u32(1);       // layer count
    payload.u32(20'000);  // inputs
    payload.u32(10'000);  // outputs
    payload.u8(0);        // identity
    payload.u8(0);        // float32
    payload.f32(1.0f);    // temperature
    payload.f32(0.0f);    // mean
    payload.f32(1.0f);    // stddev
    payload.u32(0);       // class names
    payload.u32(0);       // metadata
    const LoadResult result = load_payload_error(payload.bytes());
    CHECK_THAT(result.message, Contains(result.path) && Contains("absurd model size") &&
                                   Contains("100000000 parameters"));
}

TEST_CASE("consecutive layers whose sizes do not connect are rejected", "[model_file]") {
    Bytes payload = model_payload();
    put_u32(payload, layer_inputs_at(1), 6);  // layer 1 gives 7 outputs
    const LoadResult result = load_payload_error(payload);
    CHECK_THAT(result.message, Contains(result.path) && Contains("inconsistent layer sizes") &&
                                   Contains("layer 1 gives 7 outputs but layer 2 takes 6 inputs"));
}

TEST_CASE("unknown activation and precision codes are rejected", "[model_file]") {
    Bytes activation = model_payload();
    activation[layer_activation_at(1)] = 9;
    const LoadResult bad_activation = load_payload_error(activation);
    CHECK_THAT(bad_activation.message, Contains(bad_activation.path) && Contains("unknown activation code 9"));

    Bytes precision = model_payload();
    precision[kPrecisionAt] = 1;  // float16 belongs to version 2: a version 1 file cannot claim it
    const LoadResult bad_precision = load_payload_error(precision);
    CHECK_THAT(bad_precision.message, Contains(bad_precision.path) && Contains("unsupported weight precision") &&
                                          Contains("version 1"));
}

TEST_CASE("non-finite or non-positive temperature and stddev are rejected", "[model_file]") {
    const float bad_values[] = {0.0f, -1.0f, std::numeric_limits<float>::quiet_NaN(),
                                std::numeric_limits<float>::infinity()};
    for (float value : bad_values) {
        INFO("value " << value);
        Bytes temperature = model_payload();
        put_f32(temperature, kTemperatureAt, value);
        const LoadResult t = load_payload_error(temperature);
        CHECK_THAT(t.message, Contains(t.path) && Contains("temperature") && Contains("positive finite"));

        Bytes stddev = model_payload();
        put_f32(stddev, kStddevAt, value);
        const LoadResult s = load_payload_error(stddev);
        CHECK_THAT(s.message, Contains(s.path) && Contains("stddev") && Contains("positive finite"));
    }
}

TEST_CASE("NaN weights are rejected at load", "[model_file]") {
    Bytes payload = model_payload();
    put_f32(payload, payload.size() - 4 * 3 - 4 * 2, std::numeric_limits<float>::quiet_NaN());  // a last-layer weight
    const LoadResult result = load_payload_error(payload);
    CHECK_THAT(result.message, Contains(result.path) && Contains("layer 3 has non-finite weights"));
}

TEST_CASE("a payload shorter or longer than its fields is rejected", "[model_file]") {
    Bytes shorter = model_payload();
    shorter.resize(shorter.size() - 4);
    const LoadResult short_result = load_payload_error(shorter);
    CHECK_THAT(short_result.message, Contains(short_result.path) && Contains("payload is shorter than its fields"));

    Bytes longer = model_payload();
    longer.push_back(0);
    const LoadResult long_result = load_payload_error(longer);
    CHECK_THAT(long_result.message, Contains(long_result.path) && Contains("payload is longer than its fields"));

    // Cut inside the architecture, the class names and the metadata.
    const Bytes full = model_payload();
    for (std::size_t length : {std::size_t{2}, std::size_t{10}, kFirstClassNameAt + 2, kFirstClassNameAt + 30}) {
        INFO("payload cut to " << length << " bytes");
        const LoadResult cut = load_payload_error(Bytes(full.begin(), full.begin() + length));
        CHECK_THAT(cut.message, Contains(cut.path) && Contains("payload is shorter than its fields"));
    }
}

TEST_CASE("a string length running past the end of the payload is rejected", "[model_file]") {
    Bytes payload = model_payload();
    put_u32(payload, kFirstClassNameAt, 1'000'000);
    const LoadResult result = load_payload_error(payload);
    CHECK_THAT(result.message, Contains(result.path) && Contains("shorter than its fields") &&
                                   Contains("class name 1"));
}

TEST_CASE("class name counts other than none or one per output are rejected", "[model_file]") {
    Bytes payload = model_payload();
    put_u32(payload, kClassCountAt, 2);
    const LoadResult result = load_payload_error(payload);
    CHECK_THAT(result.message, Contains(result.path) && Contains("2 class names for 3 outputs"));

    Model model = make_model();
    model.class_names.pop_back();
    CHECK_THAT(error_message([&] { fcnet::serialize_model(model); }), Contains("2 class names for 3 outputs"));
}

TEST_CASE("a repeated metadata key is rejected", "[model_file]") {
    Model model = make_model();
    model.metadata = {{"aa", "1"}, {"ab", "2"}};
    const Bytes file = fcnet::serialize_model(model);
    Bytes payload = fcnet::unwrap_model_payload(file.data(), file.size(), "file");
    // The metadata ends the text: ... [2]"ab" [1]"2", then 4 bytes per parameter.
    const std::size_t metadata_end = payload.size() - 4 * (5 * 7 + 7 + 7 * 4 + 4 + 4 * 3 + 3);
    const std::size_t b_of_ab = metadata_end - 1 - 4 - 1;
    REQUIRE(payload[b_of_ab] == 'b');
    payload[b_of_ab] = 'a';
    const LoadResult result = load_payload_error(payload);
    CHECK_THAT(result.message, Contains(result.path) && Contains("duplicate metadata key 'aa'"));
}

// ---- saving -----------------------------------------------------------------------------------

TEST_CASE("saving a network with NaN weights is refused and leaves the previous file intact", "[model_file]") {
    const std::string folder = make_temp_dir();
    const std::string path = folder + "/model.fcnet";
    fcnet::save_model(path, make_model());
    const std::string before = read_file(path);

    Model broken = make_model();
    broken.network.layers()[1].weights(2, 3) = std::numeric_limits<float>::quiet_NaN();
    const std::string message = error_message([&] { fcnet::save_model(path, broken); });
    CHECK_THAT(message, Contains(path) && Contains("non-finite"));
    CHECK(read_file(path) == before);
    CHECK(folder_entries(folder) == std::vector<std::string>{"model.fcnet"});

    CHECK_THAT(error_message([&] { fcnet::serialize_model(broken); }), Contains("non-finite"));
}

TEST_CASE("saving over an existing model replaces it and leaves no temporary file", "[model_file]") {
    const std::string folder = make_temp_dir();
    const std::string path = folder + "/model.fcnet";
    write_file(path, "an older file");
    Model model = make_model();
    model.network.temperature = 2.5f;
    fcnet::save_model(path, model);
    fcnet::save_model(path, model);

    CHECK(folder_entries(folder) == std::vector<std::string>{"model.fcnet"});
    CHECK(as_bytes(read_file(path)) == fcnet::serialize_model(model));
    CHECK(fcnet::load_model(path).network.temperature == 2.5f);
}

TEST_CASE("a save removes temporaries left by killed saves, but not those of running ones", "[model_file]") {
    const std::string folder = make_temp_dir();
    const std::string path = folder + "/model.fcnet";
    const pid_t child = fork();  // a process that has ended: its pid names a killed save's temporary
    if (child == 0) _exit(0);
    REQUIRE(child > 0);
    REQUIRE(waitpid(child, nullptr, 0) == child);
    const std::string ended = "model.fcnet.tmp-" + std::to_string(child) + "-1f2e3d";
    const std::string running = "model.fcnet.tmp-" + std::to_string(getppid()) + "-4c5b6a";
    for (const std::string& name : {ended, running, std::string("model.fcnet.tmp-notes"),
                                    "other.fcnet.tmp-" + std::to_string(child) + "-77"}) {
        write_file(folder + "/" + name, "half a model");
    }
    fcnet::save_model(path, make_model());
    std::vector<std::string> kept = {"model.fcnet", "model.fcnet.tmp-notes", running,
                                     "other.fcnet.tmp-" + std::to_string(child) + "-77"};
    std::sort(kept.begin(), kept.end());
    CHECK(folder_entries(folder) == kept);
}

TEST_CASE("saving into a folder that does not exist names the path and the OS reason", "[model_file]") {
    const std::string folder = make_temp_dir();
    const std::string path = folder + "/missing/model.fcnet";
    const std::string message = error_message([&] { fcnet::save_model(path, make_model()); });
    CHECK_THAT(message, Contains(path) && Contains("No such file or directory"));
    CHECK(folder_entries(folder).empty());
}

TEST_CASE("a save whose final rename fails removes its temporary file", "[model_file]") {
    const std::string folder = make_temp_dir();
    const std::string path = folder + "/model.fcnet";
    std::filesystem::create_directory(path);  // a folder in the way: rename cannot replace it
    write_file(path + "/keep", "contents");
    const std::string message = error_message([&] { fcnet::save_model(path, make_model()); });
    CHECK_THAT(message, Contains(path) && Contains("cannot replace"));
    CHECK(folder_entries(folder) == std::vector<std::string>{"model.fcnet"});
    CHECK(read_file(path + "/keep") == "contents");
}

// ---- loading -------------------------------------------------------------------------------

TEST_CASE("loading a missing file names the path and the OS reason", "[model_file]") {
    const std::string path = make_temp_dir() + "/absent.fcnet";
    CHECK_THAT(error_message([&] { fcnet::load_model(path); }),
               Contains(path) && Contains("No such file or directory"));
}

TEST_CASE("loading a folder is an error naming it", "[model_file]") {
    const std::string path = make_temp_dir();
    CHECK_THAT(error_message([&] { fcnet::load_model(path); }), Contains(path) && Contains("cannot read"));
}

// ---- float16 weights (format version 2) ------------------------------------------------------

namespace {

// make_model() with its weights stored as `storage`, and its file's payload.
Model make_stored_model(fcnet::WeightStorage storage) {
    Model model = make_model();
    model.weight_storage = storage;
    return model;
}

Bytes stored_payload(fcnet::WeightStorage storage) {
    const Bytes file = fcnet::serialize_model(make_stored_model(storage));
    return fcnet::unwrap_model_payload(file.data(), file.size(), "serialized");
}

Model make_float16_model() { return make_stored_model(fcnet::WeightStorage::float16); }
Bytes float16_payload() { return stored_payload(fcnet::WeightStorage::float16); }

LoadResult load_float16_payload_error(const Bytes& payload) {
    return load_error(fcnet::wrap_model_payload(payload, fcnet::kModelFormatVersionFloat16));
}

}  // namespace

TEST_CASE("float16 conversion rounds to nearest even and covers subnormals and overflow", "[model_file][float16]") {
    CHECK(fcnet::float_to_half(1.0f) == 0x3C00);
    CHECK(fcnet::float_to_half(-2.0f) == 0xC000);
    CHECK(fcnet::float_to_half(0.0f) == 0x0000);
    CHECK(fcnet::float_to_half(-0.0f) == 0x8000);
    CHECK(fcnet::float_to_half(65504.0f) == 0x7BFF);                   // the largest half
    CHECK(fcnet::float_to_half(65519.0f) == 0x7BFF);                   // still rounds down to it
    CHECK(fcnet::float_to_half(65520.0f) == 0x7C00);                   // rounds up to infinity
    CHECK(fcnet::float_to_half(std::ldexp(1.0f, -24)) == 0x0001);      // the smallest subnormal
    CHECK(fcnet::float_to_half(std::ldexp(1.0f, -25)) == 0x0000);      // a tie: to even, zero
    CHECK(fcnet::float_to_half(std::ldexp(3.0f, -25)) == 0x0002);      // a tie: to even, two
    CHECK(fcnet::float_to_half(1.0f + std::ldexp(1.0f, -11)) == 0x3C00);      // tie between 1 and 1 + 2^-10
    CHECK(fcnet::float_to_half(1.0f + std::ldexp(3.0f, -11)) == 0x3C02);      // tie: up to the even one
    CHECK(fcnet::float_to_half(std::ldexp(1.0f, -14) * (1 - std::ldexp(1.0f, -12))) == 0x0400);  // into the normals
    CHECK(fcnet::half_to_float(0x3555) == Approx(0.333251953125).epsilon(1e-9));
    CHECK(std::isinf(fcnet::half_to_float(0x7C00)));
    CHECK(std::isnan(fcnet::half_to_float(0x7E00)));
    // Every half that is a number converts to a float and back to the same bits.
    for (std::uint32_t bits = 0; bits <= 0xFFFF; ++bits) {
        const auto half = static_cast<std::uint16_t>(bits);
        if ((half & 0x7C00) == 0x7C00 && (half & 0x3FF) != 0) continue;  // NaN payloads are not kept
        REQUIRE(fcnet::float_to_half(fcnet::half_to_float(half)) == half);
    }
}

TEST_CASE("a float16 model round-trips within half-precision rounding, as version 2", "[model_file][float16]") {
    const Model original = make_float16_model();
    const std::string path = make_temp_dir() + "/half.fcnet";
    fcnet::save_model(path, original);
    const Bytes file = as_bytes(read_file(path));
    fcnet::ByteReader header(file.data() + 8, 28, "file", "header");
    CHECK(header.u32("version") == fcnet::kModelFormatVersionFloat16);
    CHECK(float16_payload()[kPrecisionAt] == 1);

    const Model loaded = fcnet::load_model(path);
    CHECK(loaded.weight_storage == fcnet::WeightStorage::float16);
    CHECK(loaded.network.temperature == original.network.temperature);  // settings stay float32
    CHECK(loaded.network.normalization.mean == original.network.normalization.mean);
    CHECK(loaded.class_names == original.class_names);
    CHECK(loaded.metadata == original.metadata);
    REQUIRE(loaded.network.layers().size() == original.network.layers().size());
    for (std::size_t i = 0; i < loaded.network.layers().size(); ++i) {
        const fcnet::DenseLayer& a = original.network.layers()[i];
        const fcnet::DenseLayer& b = loaded.network.layers()[i];
        REQUIRE(b.weights.rows() == a.weights.rows());
        REQUIRE(b.weights.cols() == a.weights.cols());
        // half keeps 11 significant bits: a relative error of at most 2^-11 (plus 2^-25 near zero)
        const float tolerance_w = (a.weights.cwiseAbs() * std::ldexp(1.0f, -11)).maxCoeff() + std::ldexp(1.0f, -25);
        CHECK((a.weights - b.weights).cwiseAbs().maxCoeff() <= tolerance_w);
        CHECK(((a.weights - b.weights).cwiseAbs().array() <=
               a.weights.cwiseAbs().array() * std::ldexp(1.0f, -11) + std::ldexp(1.0f, -25)).all());
        CHECK(((a.bias - b.bias).cwiseAbs().array() <=
               a.bias.cwiseAbs().array() * std::ldexp(1.0f, -11) + std::ldexp(1.0f, -25)).all());
    }
    // The loaded model is exactly the original with its weights rounded, and saves to the same bytes.
    Model rounded = original;
    fcnet::round_weights_to_float16(rounded.network);
    const fcnet::Matrix inputs = random_inputs(8, 5);
    CHECK(same_bits(loaded.network.predict(inputs), rounded.network.predict(inputs)));
    CHECK(fcnet::serialize_model(loaded) == file);
    // Float32 models are still written as version 1.
    const Bytes float32_file = fcnet::serialize_model(make_model());
    fcnet::ByteReader float32_header(float32_file.data() + 8, 28, "file", "header");
    CHECK(float32_header.u32("version") == 1);
}

TEST_CASE("float16 weights halve the payload's weight bytes", "[model_file][float16]") {
    const Bytes full = model_payload(), half = float16_payload();
    const std::size_t parameters = 5 * 7 + 7 + 7 * 4 + 4 + 4 * 3 + 3;
    CHECK(full.size() - half.size() == 2 * parameters);
}

TEST_CASE("corrupt float16 files are rejected like float32 ones", "[model_file][float16]") {
    const Bytes original = fcnet::serialize_model(make_float16_model());
    const std::string path = make_temp_dir() + "/half.fcnet";
    for (std::size_t length = 1; length < original.size(); ++length) {
        write_file(path, as_string(Bytes(original.begin(), original.begin() + length)));
        INFO("truncated to " << length << " of " << original.size() << " bytes");
        CHECK_THAT(error_message([&] { fcnet::load_model(path); }), Contains(path) && Contains("truncated"));
    }
    // A flipped byte is rejected, except where the flip lands in the unused padding bits that end
    // the deflate stream: zlib ignores those, and the model read is then exactly the original.
    for (std::size_t offset = 0; offset < original.size(); ++offset) {
        Bytes file = original;
        file[offset] ^= 0x10;
        INFO("byte " << offset << " of " << original.size() << " flipped");
        std::string message;
        try {
            const Model read = fcnet::deserialize_model(file.data(), file.size(), "flipped.fcnet");
            CHECK(offset == original.size() - 5);  // the last deflate byte, before the Adler-32
            CHECK(fcnet::serialize_model(read) == original);
        } catch (const fcnet::Error& error) {
            CHECK_THAT(std::string(error.what()), Contains("flipped.fcnet: "));
        }
    }

    Bytes shorter = float16_payload();
    shorter.resize(shorter.size() - 2);
    const LoadResult short_result = load_float16_payload_error(shorter);
    CHECK_THAT(short_result.message, Contains(short_result.path) && Contains("payload is shorter than its fields"));
    Bytes longer = float16_payload();
    longer.push_back(0);
    const LoadResult long_result = load_float16_payload_error(longer);
    CHECK_THAT(long_result.message, Contains(long_result.path) && Contains("payload is longer than its fields"));

    Bytes infinite = float16_payload();
    const std::size_t last_weight = infinite.size() - 2 * 3 - 2;  // before the last layer's 3 biases
    infinite[last_weight] = 0x00, infinite[last_weight + 1] = 0x7C;  // +infinity
    const LoadResult infinite_result = load_float16_payload_error(infinite);
    CHECK_THAT(infinite_result.message, Contains(infinite_result.path) && Contains("layer 3 has non-finite weights"));

    Bytes int8 = float16_payload();
    int8[kPrecisionAt] = 2;
    const LoadResult int8_result = load_float16_payload_error(int8);
    CHECK_THAT(int8_result.message, Contains(int8_result.path) && Contains("unsupported weight precision code 2"));
}

TEST_CASE("a weight beyond float16's range is refused when saving as float16", "[model_file][float16]") {
    Model model = make_float16_model();
    model.network.layers()[1].weights(2, 3) = 70000.0f;
    const std::string path = make_temp_dir() + "/big.fcnet";
    CHECK_THAT(error_message([&] { fcnet::save_model(path, model); }),
               Contains(path) && Contains("layer 2") && Contains("float16"));
    model.weight_storage = fcnet::WeightStorage::float32;
    CHECK_NOTHROW(fcnet::save_model(path, model));
}

// ---- int8 weights (format version 3) ---------------------------------------------------------

namespace {

Model make_int8_model() { return make_stored_model(fcnet::WeightStorage::int8); }
Bytes int8_payload() { return stored_payload(fcnet::WeightStorage::int8); }

LoadResult load_int8_payload_error(const Bytes& payload) {
    return load_error(fcnet::wrap_model_payload(payload, fcnet::kModelFormatVersionInt8));
}

// make_int8_model's last layer (4 -> 3) ends the payload: 3 f32 scales, 4 x 3 int8 weights, 3 f16 biases.
constexpr std::size_t kLastScalesFromEnd = 3 * 4 + 4 * 3 + 3 * 2;
constexpr std::size_t kLastWeightsFromEnd = 4 * 3 + 3 * 2;

}  // namespace

TEST_CASE("an int8 model round-trips as version 3 within half a scale step and re-saves bit for bit", "[model_file][int8]") {
    const Model original = make_int8_model();
    const std::string path = make_temp_dir() + "/int8.fcnet";
    fcnet::save_model(path, original);
    const Bytes file = as_bytes(read_file(path));
    fcnet::ByteReader header(file.data() + 8, 28, "file", "header");
    CHECK(header.u32("version") == fcnet::kModelFormatVersionInt8);
    CHECK(int8_payload()[kPrecisionAt] == 2);

    const Model loaded = fcnet::load_model(path);
    CHECK(loaded.weight_storage == fcnet::WeightStorage::int8);
    CHECK(loaded.network.temperature == original.network.temperature);
    CHECK(loaded.class_names == original.class_names);
    CHECK(loaded.metadata == original.metadata);
    REQUIRE(loaded.network.layers().size() == original.network.layers().size());
    for (std::size_t i = 0; i < loaded.network.layers().size(); ++i) {
        const fcnet::DenseLayer& a = original.network.layers()[i];
        const fcnet::DenseLayer& b = loaded.network.layers()[i];
        const fcnet::RowVector scales = fcnet::int8_scales(a.weights);  // 1 x out
        for (Eigen::Index r = 0; r < a.weights.rows(); ++r) {
            for (Eigen::Index c = 0; c < a.weights.cols(); ++c) {
                INFO("layer " << i + 1 << ", input " << r << ", output " << c);
                CHECK(std::abs(a.weights(r, c) - b.weights(r, c)) <= scales[c] / 2);
            }
        }
        for (Eigen::Index c = 0; c < a.bias.size(); ++c) {  // biases are float16
            CHECK(b.bias[c] == fcnet::half_to_float(fcnet::float_to_half(a.bias[c])));
        }
    }
    // The loaded model is exactly the original rounded, and saves to the same bytes, twice over.
    Model rounded = original;
    fcnet::round_weights_to_int8(rounded.network);
    const fcnet::Matrix inputs = random_inputs(8, 5);
    CHECK(same_bits(loaded.network.predict(inputs), rounded.network.predict(inputs)));
    CHECK(fcnet::serialize_model(loaded) == file);
    CHECK(fcnet::serialize_model(rounded) == file);
    const std::string again = make_temp_dir() + "/again.fcnet";
    fcnet::save_model(again, fcnet::load_model(path));
    CHECK(as_bytes(read_file(again)) == file);
}

TEST_CASE("int8 rounding is idempotent: quantizing dequantized weights gives the same int8 values", "[model_file][int8]") {
    // Columns of very different magnitudes, including all zeros and values below FLT_MIN x 127.
    std::mt19937 rng(5);
    std::normal_distribution<float> normal(0.0f, 1.0f);
    const float magnitudes[] = {0.0f, 1e-38f, 1e-30f, 1e-3f, 0.05f, 1.0f, 3.3f, 1000.0f, 65024.0f};
    fcnet::Network network({64, 9, 4}, Activation::relu, 3);
    fcnet::Matrix& weights = network.layers()[0].weights;  // 64 x 9: column c has magnitude magnitudes[c]
    for (Eigen::Index r = 0; r < weights.rows(); ++r) {
        for (Eigen::Index c = 0; c < weights.cols(); ++c) weights(r, c) = magnitudes[c] * std::tanh(normal(rng));
    }
    weights(7, 8) = -65024.0f;  // the largest weight int8 storage holds

    fcnet::Network once = network;
    fcnet::round_weights_to_int8(once);
    fcnet::Network twice = once;
    fcnet::round_weights_to_int8(twice);
    for (std::size_t i = 0; i < once.layers().size(); ++i) {
        const fcnet::Matrix& w = once.layers()[i].weights;
        CHECK(same_bits(w, twice.layers()[i].weights));
        const fcnet::RowVector scales = fcnet::int8_scales(w);
        CHECK(scales == fcnet::int8_scales(network.layers()[i].weights));  // the scales survive
        for (Eigen::Index c = 0; c < w.cols(); ++c) {
            INFO("layer " << i + 1 << ", output " << c);
            CHECK(scales[c] > 0.0f);
            CHECK(scales[c] <= fcnet::kInt8MaxScale);
            int largest = 0;
            for (Eigen::Index r = 0; r < w.rows(); ++r) {
                const std::int8_t q = fcnet::weight_to_int8(w(r, c), scales[c]);
                CHECK(static_cast<float>(q) * scales[c] == w(r, c));  // dequantize(quantize(w')) == w'
                largest = std::max(largest, std::abs(int{q}));
            }
            // Each output's largest weight takes +-127, unless the scale is held at FLT_MIN.
            if (scales[c] > std::numeric_limits<float>::min()) CHECK(largest == 127);
        }
    }
}

TEST_CASE("int8 weights take one byte each, plus a float32 scale per output and float16 biases", "[model_file][int8]") {
    const std::size_t weights = 5 * 7 + 7 * 4 + 4 * 3, outputs = 7 + 4 + 3;
    CHECK(model_payload().size() - int8_payload().size() == 4 * (weights + outputs) - (weights + 4 * outputs + 2 * outputs));
}

TEST_CASE("corrupt int8 files are rejected naming the file and the problem", "[model_file][int8]") {
    const Bytes original = fcnet::serialize_model(make_int8_model());
    const std::string path = make_temp_dir() + "/int8.fcnet";
    for (std::size_t length = 1; length < original.size(); ++length) {
        write_file(path, as_string(Bytes(original.begin(), original.begin() + length)));
        INFO("truncated to " << length << " of " << original.size() << " bytes");
        CHECK_THAT(error_message([&] { fcnet::load_model(path); }), Contains(path) && Contains("truncated"));
    }
    Bytes bad_crc = original;
    bad_crc[kCrcAt] ^= 0x01;
    const LoadResult crc_result = load_error(bad_crc);
    CHECK_THAT(crc_result.message, Contains(crc_result.path) && Contains("CRC mismatch"));

    Bytes shorter = int8_payload();
    shorter.pop_back();
    const LoadResult short_result = load_int8_payload_error(shorter);
    CHECK_THAT(short_result.message, Contains(short_result.path) && Contains("payload is shorter than its fields"));
    Bytes longer = int8_payload();
    longer.push_back(0);
    const LoadResult long_result = load_int8_payload_error(longer);
    CHECK_THAT(long_result.message, Contains(long_result.path) && Contains("payload is longer than its fields"));

    const float bad_scales[] = {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity(),
                                -0.01f, 0.0f, 513.0f};
    for (const float scale : bad_scales) {
        Bytes payload = int8_payload();
        put_f32(payload, payload.size() - kLastScalesFromEnd + 4, scale);  // the second output's scale
        const LoadResult result = load_int8_payload_error(payload);
        INFO("scale " << scale);
        CHECK_THAT(result.message, Contains(result.path) && Contains("layer 3 output 2 has the int8 scale") &&
                                       Contains("expected a positive number up to 512"));
    }
    Bytes out_of_range = int8_payload();
    out_of_range[out_of_range.size() - kLastWeightsFromEnd + 4] = 0x80;  // -128: input 2, output 2
    const LoadResult range_result = load_int8_payload_error(out_of_range);
    CHECK_THAT(range_result.message, Contains(range_result.path) && Contains("layer 3 has the int8 weight -128") &&
                                         Contains("input 2, output 2"));

    Bytes infinite_bias = int8_payload();
    infinite_bias[infinite_bias.size() - 2] = 0x00, infinite_bias[infinite_bias.size() - 1] = 0x7C;  // +infinity
    const LoadResult bias_result = load_int8_payload_error(infinite_bias);
    CHECK_THAT(bias_result.message, Contains(bias_result.path) && Contains("layer 3 has non-finite weights"));

    // int8 belongs to version 3: a version 2 (or 1) file cannot claim it.
    for (const std::uint32_t version : {fcnet::kModelFormatVersion, fcnet::kModelFormatVersionFloat16}) {
        const LoadResult result = load_error(fcnet::wrap_model_payload(int8_payload(), version));
        CHECK_THAT(result.message, Contains(result.path) && Contains("unsupported weight precision code 2"));
    }
    // Version 3 reads float16 payloads too.
    const Bytes float16_as_version_3 = fcnet::wrap_model_payload(float16_payload(), fcnet::kModelFormatVersionInt8);
    CHECK(fcnet::deserialize_model(float16_as_version_3.data(), float16_as_version_3.size(), "v3").weight_storage ==
          fcnet::WeightStorage::float16);
}

TEST_CASE("a weight beyond int8's range or a bias beyond float16's is refused when saving as int8", "[model_file][int8]") {
    const std::string path = make_temp_dir() + "/big.fcnet";
    Model model = make_int8_model();
    model.network.layers()[1].weights(2, 3) = 65024.0f;  // 127 x kInt8MaxScale: still stored
    CHECK_NOTHROW(fcnet::save_model(path, model));
    model.network.layers()[1].weights(2, 3) = 65100.0f;
    CHECK_THAT(error_message([&] { fcnet::save_model(path, model); }),
               Contains(path) && Contains("layer 2 has a weight of magnitude") && Contains("int8"));
    model = make_int8_model();
    model.network.layers()[2].bias[1] = 70000.0f;
    CHECK_THAT(error_message([&] { fcnet::save_model(path, model); }),
               Contains(path) && Contains("layer 3 has a bias of magnitude") && Contains("float16"));
    model.weight_storage = fcnet::WeightStorage::float32;
    CHECK_NOTHROW(fcnet::save_model(path, model));
}

// ---- version 4: a pen-path network after the weights ----------------------------------------

namespace {

// make_model with a 6 -> 5 -> 3 pen-path network.
Model make_pen_path_model() {
    Model model = make_model();
    fcnet::PenPathNetwork& pen = model.pen_path.emplace();
    pen.network = fcnet::Network({6, 5, 3}, Activation::relu, 9);
    pen.network.layers()[0].bias.setConstant(0.25f);
    pen.network.temperature = 2.5f;
    pen.network.normalization = {0.0f, 0.5f};
    pen.pixel_weight = 0.6f;
    pen.reject_confidence = 0.42f;
    return model;
}

// Payload offsets of the pen-path section of make_pen_path_model as float32.
std::size_t pen_path_at(const Bytes& payload) {
    const std::size_t pen_weights = 4 * (6 * 5 + 5 + 5 * 3 + 3);
    const std::size_t pen_architecture = 4 + kLayerRecord * 2 + 12;  // layers, temperature, normalisation
    return payload.size() - pen_weights - pen_architecture - 8;
}

Bytes pen_path_payload() {
    const Bytes file = fcnet::serialize_model(make_pen_path_model());
    return fcnet::unwrap_model_payload(file.data(), file.size(), "serialized");
}

LoadResult load_pen_path_error(const Bytes& payload) {
    return load_error(fcnet::wrap_model_payload(payload, fcnet::kModelFormatVersionPenPath));
}

}  // namespace

TEST_CASE("a model with a pen-path network round-trips as version 4, in every weight storage", "[model_file][pen_path]") {
    for (const fcnet::WeightStorage storage :
         {fcnet::WeightStorage::float32, fcnet::WeightStorage::float16, fcnet::WeightStorage::int8}) {
        INFO(fcnet::weight_storage_name(storage));
        Model original = make_pen_path_model();
        fcnet::store_weights_as(original, storage);
        const Bytes file = fcnet::serialize_model(original);
        fcnet::ByteReader header(file.data() + 8, 28, "file", "header");
        CHECK(header.u32("version") == fcnet::kModelFormatVersionPenPath);

        const Model loaded = fcnet::deserialize_model(file.data(), file.size(), "file");
        CHECK(loaded.weight_storage == storage);
        CHECK(loaded.metadata == original.metadata);
        REQUIRE(loaded.pen_path.has_value());
        const fcnet::PenPathNetwork& pen = *loaded.pen_path;
        CHECK(pen.pixel_weight == 0.6f);
        CHECK(pen.reject_confidence == 0.42f);
        CHECK(pen.network.temperature == 2.5f);
        CHECK(pen.network.normalization.stddev == 0.5f);
        // Both networks are exactly the rounded originals: the same outputs bit for bit, and the
        // same bytes when saved again.
        CHECK(same_bits(loaded.network.predict(random_inputs(4, 5)), original.network.predict(random_inputs(4, 5))));
        CHECK(same_bits(pen.network.predict(random_inputs(4, 6)),
                        original.pen_path->network.predict(random_inputs(4, 6))));
        CHECK(fcnet::serialize_model(loaded) == file);
    }
    // Without one, a model keeps its version: an older reader still reads it.
    const Bytes plain = fcnet::serialize_model(make_model());
    fcnet::ByteReader header(plain.data() + 8, 28, "file", "header");
    CHECK(header.u32("version") == fcnet::kModelFormatVersion);
    CHECK_FALSE(fcnet::deserialize_model(plain.data(), plain.size(), "file").pen_path.has_value());
}

TEST_CASE("a version 4 file without its pen-path network, or version 3 with one, is rejected", "[model_file][pen_path]") {
    const Bytes plain = model_payload();
    const LoadResult missing = load_pen_path_error(plain);
    CHECK_THAT(missing.message, Contains(missing.path) && Contains("pen-path pixel weight"));
    const LoadResult extra = load_payload_error(pen_path_payload());  // written as version 1
    CHECK_THAT(extra.message, Contains(extra.path) && Contains("longer than its fields"));
    const Bytes payload = pen_path_payload();
    for (std::size_t cut = pen_path_at(payload); cut < payload.size(); cut += 7) {
        INFO("payload cut to " << cut << " bytes");
        CHECK_THAT(load_pen_path_error(Bytes(payload.begin(), payload.begin() + cut)).message,
                   Contains("shorter than its fields") || Contains("truncated") || Contains("pen-path"));
    }
    Bytes longer = payload;
    longer.push_back(0);
    CHECK_THAT(load_pen_path_error(longer).message, Contains("longer than its fields") && Contains("pen-path weights"));
}

TEST_CASE("corrupt pen-path fields are rejected naming the field", "[model_file][pen_path]") {
    const Bytes payload = pen_path_payload();
    const std::size_t at = pen_path_at(payload);
    auto error_with = [&](std::size_t offset, auto put) {
        Bytes bad = payload;
        put(bad, offset);
        return load_pen_path_error(bad).message;
    };
    const float nan = std::numeric_limits<float>::quiet_NaN();
    for (const float weight : {0.0f, -0.5f, 1.5f, nan}) {
        CHECK_THAT(error_with(at, [&](Bytes& b, std::size_t o) { put_f32(b, o, weight); }),
                   Contains("pen-path pixel weight") && Contains("not in (0, 1]"));
    }
    for (const float confidence : {-0.1f, 1.01f, nan}) {
        CHECK_THAT(error_with(at + 4, [&](Bytes& b, std::size_t o) { put_f32(b, o, confidence); }),
                   Contains("pen-path reject confidence"));
    }
    CHECK_THAT(error_with(at + 8, [](Bytes& b, std::size_t o) { put_u32(b, o, 0); }),
               Contains("absurd pen-path layer count 0"));
    CHECK_THAT(error_with(at + 8 + 4 + kLayerRecord + 4, [](Bytes& b, std::size_t o) { put_u32(b, o, 4); }),
               Contains("the pen-path network gives 4 outputs, the network 3"));
    CHECK_THAT(error_with(at + 8 + 4 + kLayerRecord + 4, [](Bytes& b, std::size_t o) { put_u32(b, o, 200'000'000); }),
               Contains("absurd layer size: pen-path layer 2"));
    const std::size_t temperature_at = at + 8 + 4 + 2 * kLayerRecord;
    CHECK_THAT(error_with(temperature_at, [](Bytes& b, std::size_t o) { put_f32(b, o, -1.0f); }),
               Contains("pen-path temperature"));
    CHECK_THAT(error_with(temperature_at + 8, [](Bytes& b, std::size_t o) { put_f32(b, o, 0.0f); }),
               Contains("pen-path normalization stddev"));
    CHECK_THAT(error_with(temperature_at + 12, [&](Bytes& b, std::size_t o) { put_f32(b, o, nan); }),
               Contains("pen-path layer 1 has non-finite weights"));
}

TEST_CASE("saving a pen-path network that does not fit the model is refused", "[model_file][pen_path]") {
    auto refusal = [](const Model& model) { return error_message([&] { fcnet::serialize_model(model); }); };
    Model model = make_pen_path_model();
    model.pen_path->network = fcnet::Network({6, 5, 4}, Activation::relu, 9);
    CHECK_THAT(refusal(model), Contains("the pen-path network gives 4 outputs, the network 3"));
    model = make_pen_path_model();
    model.pen_path->pixel_weight = 0;
    CHECK_THAT(refusal(model), Contains("pen-path pixel weight"));
    model = make_pen_path_model();
    model.pen_path->reject_confidence = 2;
    CHECK_THAT(refusal(model), Contains("pen-path reject confidence"));
    model = make_pen_path_model();
    model.pen_path->network.layers()[1].weights(0, 0) = std::numeric_limits<float>::infinity();
    CHECK_THAT(refusal(model), Contains("pen-path network contains non-finite values"));
    model = make_pen_path_model();
    model.pen_path->network.layers()[0].weights(0, 0) = 1e6f;
    model.weight_storage = fcnet::WeightStorage::float16;
    CHECK_THAT(refusal(model), Contains("pen-path layer 1 has a weight of magnitude"));
}
