// Reading and writing `.fcnet` model files: header, zlib container, payload (docs/model-format.md).
//
// Sections:
//   constants and codes   magic bytes, limits, activation and precision codes
//   container             header + zlib + CRC-32 around the payload (wrap / unwrap)
//   payload               the model's fields (encode / decode), with every validation rule
//   public entry points   serialize / deserialize / save / load
#include "io/model_file.h"

#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>

#include "core/error.h"
#include "io/byte_stream.h"
#include "io/file_system.h"

namespace fcnet {

namespace {

// =========================================================================================
// constants and codes
// =========================================================================================

// Like PNG's signature: a high-bit byte catches 7-bit transfers, CR LF catches line-ending
// conversion, ^Z stops a DOS `type`, the final LF catches LF -> CR LF conversion.
constexpr std::uint8_t kMagic[8] = {0x89, 'F', 'C', 'N', '\r', '\n', 0x1a, '\n'};
constexpr std::uint32_t kMaxLayerCount = 1000;
constexpr std::uint32_t kMaxLayerSize = 100'000'000;
// Deflate cannot expand data more than 1032:1 (a 258-byte match costs at least 2 bits), so a
// header claiming more is corrupt and is rejected before the output buffer is allocated.
constexpr std::uint64_t kMaxDeflateRatio = 1032;

// A layer's weights (in x out, row-major) from the payload as each storage holds them, checked
// (defined with the payload). `layer` names it in messages ("layer 2").
void read_float32_weights(ByteReader& in, Matrix& weights, const std::string& layer);
void read_float16_weights(ByteReader& in, Matrix& weights, const std::string& layer);
void read_int8_weights(ByteReader& in, Matrix& weights, const std::string& layer);

struct PrecisionCode {
    std::uint8_t code;
    WeightStorage storage;
    std::uint32_t version;  // the format version that introduced it, which writers use; later ones read it too
    void (*read_weights)(ByteReader& in, Matrix& weights, const std::string& layer);
};
// Codes are part of the file format: never renumber, only append.
constexpr PrecisionCode kPrecisionCodes[] = {
    {0, WeightStorage::float32, kModelFormatVersion, read_float32_weights},
    {1, WeightStorage::float16, kModelFormatVersionFloat16, read_float16_weights},
    {2, WeightStorage::int8, kModelFormatVersionInt8, read_int8_weights},
};

const PrecisionCode& precision_of(WeightStorage storage) {
    for (const PrecisionCode& entry : kPrecisionCodes) {
        if (entry.storage == storage) return entry;
    }
    throw Error("weight storage '" + weight_storage_name(storage) + "' has no code in the model file format");
}

struct ActivationCode {
    std::uint8_t code;
    Activation activation;
};
// Codes are part of the file format: never renumber, only append.
constexpr ActivationCode kActivationCodes[] = {
    {0, Activation::identity}, {1, Activation::relu}, {2, Activation::leaky_relu},
    {3, Activation::sigmoid},  {4, Activation::tanh},
};

std::uint8_t activation_code(Activation activation) {
    for (const ActivationCode& entry : kActivationCodes) {
        if (entry.activation == activation) return entry.code;
    }
    throw Error("activation '" + activation_name(activation) + "' has no code in the model file format");
}

std::string known_activation_codes() {
    std::string list;
    for (const ActivationCode& entry : kActivationCodes) {
        if (!list.empty()) list += ", ";
        list += std::to_string(entry.code) + " " + activation_name(entry.activation);
    }
    return list;
}

std::string hex_bytes(const std::uint8_t* bytes, std::size_t count) {
    static const char digits[] = "0123456789ABCDEF";
    std::string text;
    for (std::size_t i = 0; i < count; ++i) {
        if (i > 0) text += ' ';
        text += digits[bytes[i] >> 4];
        text += digits[bytes[i] & 0xF];
    }
    return text;
}

std::string hex32(std::uint32_t value) {
    char text[16];
    std::snprintf(text, sizeof text, "0x%08X", static_cast<unsigned>(value));
    return text;
}

// Bytes a layer's weights and biases take in the payload.
std::uint64_t stored_layer_bytes(std::uint64_t inputs, std::uint64_t outputs, WeightStorage storage) {
    if (storage == WeightStorage::int8) return 4 * outputs + inputs * outputs + 2 * outputs;  // scales, weights, biases
    return (storage == WeightStorage::float16 ? 2 : 4) * (inputs * outputs + outputs);
}

[[noreturn]] void fail(const std::string& source, const std::string& problem) {
    throw Error(source + ": " + problem);
}

// zlib's length arguments are 32-bit (uInt), so long buffers are checksummed in pieces.
std::uint32_t crc32_of(const std::uint8_t* bytes, std::size_t size) {
    uLong crc = crc32(0L, Z_NULL, 0);
    while (size > 0) {
        const uInt chunk = static_cast<uInt>(std::min<std::size_t>(size, 1u << 30));
        crc = crc32(crc, bytes, chunk);
        bytes += chunk;
        size -= chunk;
    }
    return static_cast<std::uint32_t>(crc);
}

// =========================================================================================
// container
// =========================================================================================

void check_magic(const std::uint8_t* bytes, std::size_t size, const std::string& source) {
    if (size == 0) fail(source, "empty file: not an fcnet model file");
    const std::size_t compared = std::min(size, sizeof kMagic);
    if (std::memcmp(bytes, kMagic, compared) == 0) {
        if (size < sizeof kMagic) {
            fail(source, "truncated header: " + std::to_string(size) + " of " + std::to_string(kModelHeaderSize) +
                             " bytes");
        }
        return;
    }
    const std::string found = hex_bytes(bytes, compared);
    const std::string expected = hex_bytes(kMagic, sizeof kMagic);
    if (compared >= 4 && std::memcmp(bytes + 1, kMagic + 1, 3) == 0) {
        fail(source, "not an fcnet model file: magic bytes are " + found + ", expected " + expected +
                         "; the letters FCN are there, so it may be a model damaged by a text-mode transfer"
                         " (copy it as a binary file)");
    }
    fail(source, "not an fcnet model file (magic bytes are " + found + ", expected " + expected + ")");
}

// Inflates exactly `expected_size` bytes from a zlib stream that must end exactly at the end
// of `compressed`.
std::vector<std::uint8_t> inflate_exactly(const std::uint8_t* compressed, std::size_t compressed_size,
                                          std::size_t expected_size, const std::string& source) {
    z_stream stream{};
    if (inflateInit(&stream) != Z_OK) fail(source, "decompression failed: cannot initialise zlib");
    struct InflateEnd {
        z_stream* stream;
        ~InflateEnd() { inflateEnd(stream); }
    } end_stream{&stream};

    std::vector<std::uint8_t> payload(expected_size);
    std::uint8_t dummy_output = 0;  // inflate wants a valid pointer even when nothing is expected
    stream.next_out = expected_size > 0 ? payload.data() : &dummy_output;
    stream.avail_out = static_cast<uInt>(expected_size);  // bounded by kMaxModelPayloadBytes < 4 GiB
    std::size_t fed = 0;
    int status = Z_OK;
    while (status == Z_OK) {
        if (stream.avail_in == 0 && fed < compressed_size) {
            const uInt chunk = static_cast<uInt>(std::min<std::size_t>(compressed_size - fed, 1u << 30));
            stream.next_in = const_cast<Bytef*>(compressed + fed);
            stream.avail_in = chunk;
            fed += chunk;
        }
        status = inflate(&stream, Z_NO_FLUSH);
    }
    const std::size_t produced = expected_size - stream.avail_out;
    if (status == Z_BUF_ERROR && stream.avail_out == 0) {
        fail(source, "payload is longer than the header declares: decompression produced more than " +
                         std::to_string(expected_size) + " bytes (the file is corrupt)");
    }
    if (status == Z_BUF_ERROR) {
        fail(source, "decompression failed: the compressed payload ends early (truncated or corrupt) after " +
                         std::to_string(produced) + " of " + std::to_string(expected_size) + " bytes");
    }
    if (status != Z_STREAM_END) {
        fail(source, std::string("decompression failed: ") + (stream.msg ? stream.msg : zError(status)) +
                         " (the file is corrupt)");
    }
    if (produced != expected_size) {
        fail(source, "payload is shorter than the header declares: decompressed " + std::to_string(produced) +
                         " of " + std::to_string(expected_size) + " bytes");
    }
    const std::size_t unused = stream.avail_in + (compressed_size - fed);
    if (unused > 0) {
        fail(source, "decompression failed: " + std::to_string(unused) +
                         " bytes follow the end of the compressed stream (the file is corrupt)");
    }
    return payload;
}

// =========================================================================================
// payload
// =========================================================================================

// What serialize refuses in one network (the main one, or the pen-path one with `prefix`
// "pen-path "), so that whatever it writes, deserialize reads back.
void check_writable_network(const Network& network, WeightStorage storage, const std::string& prefix,
                            const std::string& context) {
    auto refuse = [&](const std::string& problem) { throw Error(context + ": " + problem); };
    const auto& layers = network.layers();
    if (layers.empty()) refuse("the " + prefix + "network has no layers");
    if (layers.size() > kMaxLayerCount) {
        refuse("the " + prefix + "network has " + std::to_string(layers.size()) +
               " layers, more than the format's limit of " + std::to_string(kMaxLayerCount));
    }
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const DenseLayer& layer = layers[i];
        const std::string name = prefix + "layer " + std::to_string(i + 1);
        if (layer.inputs() < 1 || layer.outputs() < 1 || static_cast<std::uint32_t>(layer.inputs()) > kMaxLayerSize ||
            static_cast<std::uint32_t>(layer.outputs()) > kMaxLayerSize) {
            refuse(name + " is " + std::to_string(layer.inputs()) + " x " + std::to_string(layer.outputs()) +
                   ", sizes must be 1 to " + std::to_string(kMaxLayerSize));
        }
        if (layer.bias.size() != layer.outputs()) {
            refuse(name + " has " + std::to_string(layer.bias.size()) + " biases for " +
                   std::to_string(layer.outputs()) + " outputs");
        }
        if (i > 0 && layer.inputs() != layers[i - 1].outputs()) {
            refuse("inconsistent layer sizes: " + prefix + "layer " + std::to_string(i) + " gives " +
                   std::to_string(layers[i - 1].outputs()) + " outputs but " + name + " takes " +
                   std::to_string(layer.inputs()) + " inputs");
        }
        activation_code(layer.activation);
    }
    if (!network.all_finite()) refuse("the " + prefix + "network contains non-finite values (NaN or infinity)");
    if (!(network.temperature > 0.0f)) {
        refuse(prefix + "temperature " + std::to_string(network.temperature) + " is not positive");
    }
    if (!(network.normalization.stddev > 0.0f)) {
        refuse(prefix + "normalization stddev " + std::to_string(network.normalization.stddev) + " is not positive");
    }
    if (storage != WeightStorage::float32) {  // float16 values, or int8 weights and float16 biases
        const bool int8 = storage == WeightStorage::int8;
        const float weight_limit = int8 ? 127.0f * kInt8MaxScale : kFloat16Max;
        const std::string weight_limit_name = int8 ? "int8 storage's largest weight " : "float16's largest value ";
        for (std::size_t i = 0; i < layers.size(); ++i) {
            const std::string name = prefix + "layer " + std::to_string(i + 1);
            const float largest_weight = layers[i].weights.cwiseAbs().maxCoeff();
            const float largest_bias = layers[i].bias.cwiseAbs().maxCoeff();
            if (largest_weight > weight_limit) {
                refuse(name + " has a weight of magnitude " + std::to_string(largest_weight) + ", beyond " +
                       weight_limit_name + std::to_string(weight_limit) + " (save it as float32)");
            }
            if (largest_bias > kFloat16Max) {
                refuse(name + " has a bias of magnitude " + std::to_string(largest_bias) +
                       ", beyond float16's largest value " + std::to_string(kFloat16Max) + " (save it as float32)");
            }
        }
    }
}

// Bytes a network's weights and biases take in the payload.
std::uint64_t stored_weight_bytes(const Network& network, WeightStorage storage) {
    std::uint64_t bytes = 0;
    for (const DenseLayer& layer : network.layers()) {
        bytes += stored_layer_bytes(static_cast<std::uint64_t>(layer.inputs()),
                                    static_cast<std::uint64_t>(layer.outputs()), storage);
    }
    return bytes;
}

// Everything serialize refuses, so that whatever it writes, deserialize reads back.
void check_writable(const Model& model, const std::string& context) {
    auto refuse = [&](const std::string& problem) { throw Error(context + ": " + problem); };
    const Network& network = model.network;
    check_writable_network(network, model.weight_storage, "", context);
    std::int64_t parameters = network.parameter_count();
    std::uint64_t payload_bytes = 4 + 9 * network.layers().size() + 21 + stored_weight_bytes(network, model.weight_storage);
    if (model.pen_path) {  // see encode_payload
        const PenPathNetwork& pen = *model.pen_path;
        check_writable_network(pen.network, model.weight_storage, "pen-path ", context);
        if (pen.network.classes() != network.classes()) {
            refuse("the pen-path network gives " + std::to_string(pen.network.classes()) + " outputs, the network " +
                   std::to_string(network.classes()));
        }
        if (!(pen.pixel_weight > 0.0f && pen.pixel_weight <= 1.0f)) {
            refuse("pen-path pixel weight " + std::to_string(pen.pixel_weight) + " is not in (0, 1]");
        }
        if (!(pen.reject_confidence >= 0.0f && pen.reject_confidence <= 1.0f)) {
            refuse("pen-path reject confidence " + std::to_string(pen.reject_confidence) + " is not in [0, 1]");
        }
        parameters += pen.network.parameter_count();
        payload_bytes += 8 + 4 + 9 * pen.network.layers().size() + 12 + stored_weight_bytes(pen.network, model.weight_storage);
    }
    if (parameters > kMaxModelParameters) {
        refuse("the model has " + std::to_string(parameters) + " parameters, more than the limit of " +
               std::to_string(kMaxModelParameters));
    }
    if (!model.class_names.empty() && model.class_names.size() != static_cast<std::size_t>(network.classes())) {
        refuse(std::to_string(model.class_names.size()) + " class names for " + std::to_string(network.classes()) +
               " outputs (give one per output, or none)");
    }
    auto count_string = [&](const std::string& text, const std::string& what) {
        if (text.size() > std::numeric_limits<std::uint32_t>::max()) refuse(what + " is longer than 4 GiB");
        payload_bytes += 4 + text.size();
    };
    for (const std::string& name : model.class_names) count_string(name, "a class name");
    for (const auto& [key, value] : model.metadata) {
        count_string(key, "metadata key");
        count_string(value, "the value of metadata '" + key + "'");
    }
    if (payload_bytes > kMaxModelPayloadBytes) {
        refuse("the model would take " + std::to_string(payload_bytes) + " bytes, more than the limit of " +
               std::to_string(kMaxModelPayloadBytes) + " (class names and metadata are too long)");
    }
}

// The layer count and each layer's inputs, outputs and activation code.
void write_architecture(ByteWriter& out, const Network& network) {
    out.u32(static_cast<std::uint32_t>(network.layers().size()));
    for (const DenseLayer& layer : network.layers()) {
        out.u32(static_cast<std::uint32_t>(layer.inputs()));
        out.u32(static_cast<std::uint32_t>(layer.outputs()));
        out.u8(activation_code(layer.activation));
    }
}

// Each layer's weights and biases as `storage` holds them (int8: scales first).
void write_weights(ByteWriter& out, const Network& network, WeightStorage storage) {
    const auto values = [&](const float* data, Eigen::Index count, bool half) {
        if (!half) return out.f32_array(data, static_cast<std::size_t>(count));
        for (Eigen::Index i = 0; i < count; ++i) out.u16(float_to_half(data[i]));
    };
    for (const DenseLayer& layer : network.layers()) {
        if (storage == WeightStorage::int8) {
            const RowVector scales = int8_scales(layer.weights);  // 1 x out
            out.f32_array(scales.data(), static_cast<std::size_t>(scales.size()));
            for (Eigen::Index r = 0; r < layer.weights.rows(); ++r) {  // row-major, in x out
                for (Eigen::Index c = 0; c < layer.weights.cols(); ++c) {
                    out.u8(static_cast<std::uint8_t>(weight_to_int8(layer.weights(r, c), scales[c])));
                }
            }
        } else {
            values(layer.weights.data(), layer.weights.size(), storage == WeightStorage::float16);  // row-major, in x out
        }
        values(layer.bias.data(), layer.bias.size(), storage != WeightStorage::float32);  // int8 keeps float16 biases
    }
}

std::vector<std::uint8_t> encode_payload(const Model& model) {
    const Network& network = model.network;
    ByteWriter out;
    write_architecture(out, network);
    out.u8(precision_of(model.weight_storage).code);
    out.f32(network.temperature);
    out.f32(network.normalization.mean);
    out.f32(network.normalization.stddev);
    out.u32(static_cast<std::uint32_t>(model.class_names.size()));
    for (const std::string& name : model.class_names) out.string(name);
    out.u32(static_cast<std::uint32_t>(model.metadata.size()));
    for (const auto& [key, value] : model.metadata) {
        out.string(key);
        out.string(value);
    }
    write_weights(out, network, model.weight_storage);
    if (model.pen_path) {  // version 4's section
        const PenPathNetwork& pen = *model.pen_path;
        out.f32(pen.pixel_weight);
        out.f32(pen.reject_confidence);
        write_architecture(out, pen.network);
        out.f32(pen.network.temperature);
        out.f32(pen.network.normalization.mean);
        out.f32(pen.network.normalization.stddev);
        write_weights(out, pen.network, model.weight_storage);
    }
    return std::move(out.bytes());
}

std::uint32_t format_version_of(const Model& model) {
    return model.pen_path ? kModelFormatVersionPenPath : precision_of(model.weight_storage).version;
}

// The weight readers of kPrecisionCodes. Each hot loop sits in a small function reached through
// the table, which no optimiser inlines: a browser's engine optimises a whole wasm function once a
// loop in it runs hot, and optimising all of decode_payload, which runs once, took ~300 ms of a
// core while the app starts.

void read_float16_values(ByteReader& in, float* values, Eigen::Index count, const std::string& field) {
    const std::uint8_t* bytes = in.bytes(2 * static_cast<std::size_t>(count), field);  // little-endian u16s
    for (Eigen::Index k = 0; k < count; ++k) {
        values[k] = half_to_float(static_cast<std::uint16_t>(bytes[2 * k] | bytes[2 * k + 1] << 8));
    }
}

void check_finite_weights(ByteReader& in, const Matrix& weights, const std::string& layer) {
    if (!weights.allFinite()) in.fail(layer + " has non-finite weights (NaN or infinity)");
}

void read_float32_weights(ByteReader& in, Matrix& weights, const std::string& layer) {
    in.f32_array(weights.data(), static_cast<std::size_t>(weights.size()), layer + " weights");
    check_finite_weights(in, weights, layer);
}

void read_float16_weights(ByteReader& in, Matrix& weights, const std::string& layer) {
    read_float16_values(in, weights.data(), weights.size(), layer + " weights");
    check_finite_weights(in, weights, layer);
}

// One float32 scale per output, then the weights as int8 (-127 to 127): w = q * the scale of its
// output, finite by construction (|q| <= 127, 0 < scale <= 512).
void read_int8_weights(ByteReader& in, Matrix& weights, const std::string& layer) {
    const Eigen::Index rows = weights.rows(), cols = weights.cols();
    RowVector scales(cols);  // 1 x out
    in.f32_array(scales.data(), static_cast<std::size_t>(cols), layer + " scales");
    for (Eigen::Index c = 0; c < cols; ++c) {
        if (!(scales[c] > 0.0f && scales[c] <= kInt8MaxScale)) {  // NaN fails too
            in.fail(layer + " output " + std::to_string(c + 1) + " has the int8 scale " + std::to_string(scales[c]) +
                    ", expected a positive number up to " + std::to_string(kInt8MaxScale));
        }
    }
    const std::uint8_t* q = in.bytes(static_cast<std::size_t>(rows * cols), layer + " weights");  // row-major
    if (const void* bad = std::memchr(q, 0x80, static_cast<std::size_t>(rows * cols))) {  // -128
        const auto at = static_cast<Eigen::Index>(static_cast<const std::uint8_t*>(bad) - q);
        in.fail(layer + " has the int8 weight -128 at input " + std::to_string(at / cols + 1) + ", output " +
                std::to_string(at % cols + 1) + " (int8 weights are -127 to 127)");
    }
    for (Eigen::Index r = 0; r < rows; ++r) {  // in x out: w = q * scale of its output
        for (Eigen::Index c = 0; c < cols; ++c) {
            weights(r, c) = static_cast<float>(static_cast<std::int8_t>(q[r * cols + c])) * scales[c];
        }
    }
}

struct LayerShape {
    std::uint32_t inputs;
    std::uint32_t outputs;
    Activation activation;
};

// The layer count and shapes, validated completely before any weight is allocated; adds the
// layers' parameters to `parameters` (the whole file's count, checked against the limit).
std::vector<LayerShape> read_architecture(ByteReader& in, const std::string& prefix, std::int64_t& parameters) {
    const std::uint32_t layer_count = in.u32(prefix + "layer count");
    if (layer_count == 0 || layer_count > kMaxLayerCount) {
        in.fail("absurd " + prefix + "layer count " + std::to_string(layer_count) + " (must be 1 to " +
                std::to_string(kMaxLayerCount) + ")");
    }
    std::vector<LayerShape> shapes;
    shapes.reserve(layer_count);
    for (std::uint32_t i = 0; i < layer_count; ++i) {
        const std::string name = prefix + "layer " + std::to_string(i + 1);
        LayerShape shape{};
        shape.inputs = in.u32(name + " inputs");
        shape.outputs = in.u32(name + " outputs");
        for (std::uint32_t size : {shape.inputs, shape.outputs}) {
            if (size < 1 || size > kMaxLayerSize) {
                in.fail("absurd layer size: " + name + " is " + std::to_string(shape.inputs) + " x " +
                        std::to_string(shape.outputs) + " (sizes must be 1 to " + std::to_string(kMaxLayerSize) + ")");
            }
        }
        if (i > 0 && shape.inputs != shapes.back().outputs) {
            in.fail("inconsistent layer sizes: " + prefix + "layer " + std::to_string(i) + " gives " +
                    std::to_string(shapes.back().outputs) + " outputs but " + name + " takes " +
                    std::to_string(shape.inputs) + " inputs");
        }
        const std::uint8_t code = in.u8(name + " activation");
        const auto entry = std::find_if(std::begin(kActivationCodes), std::end(kActivationCodes),
                                        [code](const ActivationCode& known) { return known.code == code; });
        if (entry == std::end(kActivationCodes)) {
            in.fail("unknown activation code " + std::to_string(code) + " for " + name + " (known: " +
                    known_activation_codes() + ")");
        }
        shape.activation = entry->activation;
        // Each term is at most 1e16 + 1e8 and the running total at most 2e8: no overflow.
        parameters += std::int64_t{shape.inputs} * shape.outputs + shape.outputs;
        if (parameters > kMaxModelParameters) {
            in.fail("absurd model size: more than " + std::to_string(kMaxModelParameters) + " parameters (" +
                    std::to_string(parameters) + " up to " + name + ")");
        }
        shapes.push_back(shape);
    }
    return shapes;
}

// The temperature and the input normalisation.
void read_calibration(ByteReader& in, Network& network, const std::string& prefix) {
    network.temperature = in.f32(prefix + "temperature");
    if (!std::isfinite(network.temperature) || network.temperature <= 0.0f) {
        in.fail(prefix + "temperature " + std::to_string(network.temperature) + " is not a positive finite number");
    }
    network.normalization.mean = in.f32(prefix + "normalization mean");
    if (!std::isfinite(network.normalization.mean)) {
        in.fail(prefix + "normalization mean " + std::to_string(network.normalization.mean) + " is not finite");
    }
    network.normalization.stddev = in.f32(prefix + "normalization stddev");
    if (!std::isfinite(network.normalization.stddev) || network.normalization.stddev <= 0.0f) {
        in.fail(prefix + "normalization stddev " + std::to_string(network.normalization.stddev) +
                " is not a positive finite number");
    }
}

// The weights and biases of `shapes` into `network`. `last` says whether they end the payload.
void read_layers(ByteReader& in, const std::vector<LayerShape>& shapes, const PrecisionCode& precision,
                 Network& network, const std::string& prefix, bool last) {
    std::uint64_t weight_bytes = 0;
    for (const LayerShape& shape : shapes) weight_bytes += stored_layer_bytes(shape.inputs, shape.outputs, precision.storage);
    if (in.remaining() < weight_bytes) {
        in.fail("payload is shorter than its fields: the " + prefix + "weights need " + std::to_string(weight_bytes) +
                " bytes at offset " + std::to_string(in.offset()) + ", " + std::to_string(in.remaining()) + " remain");
    }
    if (last && in.remaining() > weight_bytes) {
        in.fail("payload is longer than its fields: " + std::to_string(in.remaining() - weight_bytes) +
                " bytes left over after the " + prefix + "weights");
    }
    for (std::size_t i = 0; i < shapes.size(); ++i) {
        const std::string name = prefix + "layer " + std::to_string(i + 1);
        DenseLayer layer;
        layer.weights.resize(shapes[i].inputs, shapes[i].outputs);  // row-major, in x out
        layer.bias.resize(shapes[i].outputs);
        layer.activation = shapes[i].activation;
        precision.read_weights(in, layer.weights, name);
        if (precision.storage == WeightStorage::float32) {  // float16 biases otherwise, int8's too
            in.f32_array(layer.bias.data(), static_cast<std::size_t>(layer.bias.size()), name + " bias");
        } else {
            read_float16_values(in, layer.bias.data(), layer.bias.size(), name + " bias");
        }
        if (!layer.bias.allFinite()) in.fail(name + " has non-finite weights (NaN or infinity)");
        network.layers().push_back(std::move(layer));
    }
}

Model decode_payload(const std::vector<std::uint8_t>& payload, std::uint32_t version, const std::string& source) {
    ByteReader in(payload.data(), payload.size(), source, "payload");
    std::int64_t parameters = 0;
    const std::vector<LayerShape> shapes = read_architecture(in, "", parameters);

    const std::uint8_t precision = in.u8("weight precision");
    const auto precision_entry = std::find_if(std::begin(kPrecisionCodes), std::end(kPrecisionCodes),
                                              [precision](const PrecisionCode& known) { return known.code == precision; });
    if (precision_entry == std::end(kPrecisionCodes)) {
        in.fail("unsupported weight precision code " + std::to_string(precision) +
                " (this build reads 0 = float32, 1 = float16 and 2 = int8)");
    }
    if (precision_entry->version > version) {
        const std::string name = weight_storage_name(precision_entry->storage);
        in.fail("unsupported weight precision code " + std::to_string(precision) + " (" + name +
                ") for format version " + std::to_string(version) + " (" + name + " files are version " +
                std::to_string(precision_entry->version) + ")");
    }

    Model model;
    model.weight_storage = precision_entry->storage;
    read_calibration(in, model.network, "");

    const std::uint32_t classes = shapes.back().outputs;
    const std::uint32_t class_name_count = in.u32("class name count");
    if (class_name_count != 0 && class_name_count != classes) {
        in.fail(std::to_string(class_name_count) + " class names for " + std::to_string(classes) +
                " outputs (expected one per output, or none)");
    }
    if (class_name_count > in.remaining() / 4) {  // every name takes at least its 4-byte length
        in.fail("payload is shorter than its fields: " + std::to_string(class_name_count) +
                " class names cannot fit in the " + std::to_string(in.remaining()) + " bytes left");
    }
    model.class_names.reserve(class_name_count);
    for (std::uint32_t i = 0; i < class_name_count; ++i) {
        model.class_names.push_back(in.string("class name " + std::to_string(i + 1)));
    }

    const std::uint32_t metadata_count = in.u32("metadata count");
    if (metadata_count > in.remaining() / 8) {  // every entry takes at least two 4-byte lengths
        in.fail("payload is shorter than its fields: " + std::to_string(metadata_count) +
                " metadata entries cannot fit in the " + std::to_string(in.remaining()) + " bytes left");
    }
    for (std::uint32_t i = 0; i < metadata_count; ++i) {
        std::string key = in.string("metadata key " + std::to_string(i + 1));
        std::string value = in.string("metadata value " + std::to_string(i + 1));
        if (!model.metadata.emplace(key, std::move(value)).second) in.fail("duplicate metadata key '" + key + "'");
    }

    const bool has_pen_path = version >= kModelFormatVersionPenPath;  // version 4 files always have the section
    read_layers(in, shapes, *precision_entry, model.network, "", !has_pen_path);
    if (!has_pen_path) return model;

    PenPathNetwork& pen = model.pen_path.emplace();
    pen.pixel_weight = in.f32("pen-path pixel weight");
    if (!(pen.pixel_weight > 0.0f && pen.pixel_weight <= 1.0f)) {
        in.fail("pen-path pixel weight " + std::to_string(pen.pixel_weight) + " is not in (0, 1]");
    }
    pen.reject_confidence = in.f32("pen-path reject confidence");
    if (!(pen.reject_confidence >= 0.0f && pen.reject_confidence <= 1.0f)) {
        in.fail("pen-path reject confidence " + std::to_string(pen.reject_confidence) + " is not in [0, 1]");
    }
    const std::vector<LayerShape> pen_shapes = read_architecture(in, "pen-path ", parameters);
    if (pen_shapes.back().outputs != classes) {
        in.fail("the pen-path network gives " + std::to_string(pen_shapes.back().outputs) + " outputs, the network " +
                std::to_string(classes));
    }
    read_calibration(in, pen.network, "pen-path ");
    read_layers(in, pen_shapes, *precision_entry, pen.network, "pen-path ", true);
    return model;
}

}  // namespace

// =========================================================================================
// public entry points
// =========================================================================================

std::vector<std::uint8_t> wrap_model_payload(const std::vector<std::uint8_t>& payload, std::uint32_t version,
                                             ModelCompression compression) {
    static const std::uint8_t empty = 0;
    const std::uint8_t* source = payload.empty() ? &empty : payload.data();
    uLongf compressed_size = compressBound(static_cast<uLong>(payload.size()));
    std::vector<std::uint8_t> file(kModelHeaderSize + compressed_size);
    const int status = compress2(file.data() + kModelHeaderSize, &compressed_size, source,
                                 static_cast<uLong>(payload.size()),
                                 compression == ModelCompression::none ? Z_NO_COMPRESSION : Z_DEFAULT_COMPRESSION);
    if (status != Z_OK) throw Error(std::string("cannot compress the model: ") + zError(status));
    file.resize(kModelHeaderSize + compressed_size);

    ByteWriter header;
    for (std::uint8_t byte : kMagic) header.u8(byte);
    header.u32(version);
    header.u32(0);  // flags
    header.u64(payload.size());
    header.u64(compressed_size);
    header.u32(crc32_of(source, payload.size()));
    std::copy(header.bytes().begin(), header.bytes().end(), file.begin());
    return file;
}

std::vector<std::uint8_t> unwrap_model_payload(const std::uint8_t* bytes, std::size_t size,
                                               const std::string& source, std::uint32_t* version_out) {
    check_magic(bytes, size, source);
    if (size < kModelHeaderSize) {
        fail(source, "truncated header: " + std::to_string(size) + " of " + std::to_string(kModelHeaderSize) +
                         " bytes");
    }
    ByteReader header(bytes + sizeof kMagic, kModelHeaderSize - sizeof kMagic, source, "header");
    const std::uint32_t version = header.u32("format version");
    if (version < kModelFormatVersion || version > kModelFormatVersionPenPath) {
        fail(source, "unsupported format version " + std::to_string(version) + " (this build reads versions " +
                         std::to_string(kModelFormatVersion) + " to " + std::to_string(kModelFormatVersionPenPath) + ")");
    }
    if (version_out != nullptr) *version_out = version;
    const std::uint32_t flags = header.u32("flags");
    if (flags != 0) {
        fail(source, "unknown flags " + hex32(flags) + " in the header (version " + std::to_string(version) +
                         " defines none)");
    }
    const std::uint64_t uncompressed_size = header.u64("uncompressed size");
    const std::uint64_t compressed_size = header.u64("compressed size");
    const std::uint32_t expected_crc = header.u32("CRC-32");

    if (uncompressed_size > kMaxModelPayloadBytes) {
        fail(source, "absurd uncompressed payload size " + std::to_string(uncompressed_size) +
                         " bytes in the header (a model of at most " + std::to_string(kMaxModelParameters) +
                         " parameters needs at most " + std::to_string(kMaxModelPayloadBytes) + ")");
    }
    const std::uint64_t available = size - kModelHeaderSize;
    if (compressed_size > available) {
        fail(source, "truncated payload: the header declares " + std::to_string(compressed_size) +
                         " compressed bytes but only " + std::to_string(available) + " follow it");
    }
    if (compressed_size < available) {
        fail(source, "compressed size " + std::to_string(compressed_size) + " does not match the file length: " +
                         std::to_string(available - compressed_size) + " unexpected bytes follow the payload");
    }
    if (uncompressed_size > compressed_size * kMaxDeflateRatio) {
        fail(source, "absurd uncompressed payload size " + std::to_string(uncompressed_size) + " bytes: " +
                         std::to_string(compressed_size) + " compressed bytes cannot hold that much");
    }

    std::vector<std::uint8_t> payload = inflate_exactly(bytes + kModelHeaderSize, compressed_size,
                                                        static_cast<std::size_t>(uncompressed_size), source);
    const std::uint32_t actual_crc = crc32_of(payload.data(), payload.size());
    if (actual_crc != expected_crc) {
        fail(source, "CRC mismatch: the payload's CRC-32 is " + hex32(actual_crc) + ", the header records " +
                         hex32(expected_crc) + " (the file is corrupt)");
    }
    return payload;
}

std::uint16_t float_to_half(float value) {
    std::uint32_t bits;
    std::memcpy(&bits, &value, sizeof bits);
    const auto sign = static_cast<std::uint16_t>((bits >> 16) & 0x8000u);
    const std::uint32_t magnitude = bits & 0x7FFFFFFFu;
    if (magnitude > 0x7F800000u) return sign | 0x7E00u;  // NaN stays a (quiet) NaN
    if (magnitude >= 0x477FF000u) return sign | 0x7C00u;  // 65520 and up round to infinity
    if (magnitude < 0x38800000u) {                        // below 2^-14: a subnormal half, in units of 2^-24
        float absolute;
        std::memcpy(&absolute, &magnitude, sizeof absolute);
        return sign | static_cast<std::uint16_t>(std::nearbyint(absolute * 16777216.0f));  // exact product
    }
    // Normal: rebias the exponent (127 -> 15, i.e. subtract 112 << 23) and round the 13 dropped
    // mantissa bits to nearest even; a carry into the exponent is the correct rounding.
    const std::uint32_t rounded = magnitude + 0xFFFu + ((magnitude >> 13) & 1u);
    return sign | static_cast<std::uint16_t>((rounded - 0x38000000u) >> 13);
}

float half_to_float(std::uint16_t half) {
    const std::uint32_t sign = static_cast<std::uint32_t>(half & 0x8000u) << 16;
    const std::uint32_t exponent = (half >> 10) & 0x1Fu, mantissa = half & 0x3FFu;
    std::uint32_t bits;
    if (exponent == 0) {  // zero or subnormal: mantissa x 2^-24
        const float magnitude = static_cast<float>(mantissa) * (1.0f / 16777216.0f);
        std::memcpy(&bits, &magnitude, sizeof bits);
        bits |= sign;
    } else if (exponent == 31) {  // infinity or NaN
        bits = sign | 0x7F800000u | (mantissa << 13);
    } else {
        bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
    }
    float value;
    std::memcpy(&value, &bits, sizeof value);
    return value;
}

void round_weights_to_float16(Network& network) {
    for (DenseLayer& layer : network.layers()) {
        for (float& w : layer.weights.reshaped()) w = half_to_float(float_to_half(w));
        for (float& b : layer.bias) b = half_to_float(float_to_half(b));
    }
}

RowVector int8_scales(const Matrix& weights) {
    const RowVector largest = weights.cwiseAbs().colwise().maxCoeff();  // 1 x out
    RowVector scales(largest.size());
    for (Eigen::Index c = 0; c < largest.size(); ++c) {
        // Round max|w| / 127 up to 17 significant bits: 127 * scale (24 bits) is then exact, so a
        // loaded model's largest weight gives back the same scale and the file re-saves bit for bit.
        const double wanted = std::max(static_cast<double>(largest[c]) / 127.0,
                                       static_cast<double>(std::numeric_limits<float>::min()));
        int exponent = 0;
        const double mantissa = std::frexp(wanted, &exponent);  // wanted = mantissa * 2^exponent, mantissa in [0.5, 1)
        scales[c] = static_cast<float>(std::ldexp(std::ceil(std::ldexp(mantissa, 17)), exponent - 17));
    }
    return scales;
}

std::int8_t weight_to_int8(float weight, float scale) {
    // In double, so that no quotient rounds onto a false .5 tie; |weight| <= 127 * scale.
    return static_cast<std::int8_t>(std::nearbyint(static_cast<double>(weight) / scale));
}

void round_weights_to_int8(Network& network) {
    for (DenseLayer& layer : network.layers()) {
        const RowVector scales = int8_scales(layer.weights);  // 1 x out
        for (Eigen::Index r = 0; r < layer.weights.rows(); ++r) {
            for (Eigen::Index c = 0; c < layer.weights.cols(); ++c) {
                layer.weights(r, c) = static_cast<float>(weight_to_int8(layer.weights(r, c), scales[c])) * scales[c];
            }
        }
        for (float& b : layer.bias) b = half_to_float(float_to_half(b));
    }
}

void store_weights_as(Model& model, WeightStorage storage) {
    for (Network* network : {&model.network, model.pen_path ? &model.pen_path->network : nullptr}) {
        if (network == nullptr) continue;
        if (storage == WeightStorage::float16) round_weights_to_float16(*network);
        if (storage == WeightStorage::int8) round_weights_to_int8(*network);
    }
    model.weight_storage = storage;
}

std::string weight_storage_name(WeightStorage storage) {
    switch (storage) {
        case WeightStorage::float32: return "float32";
        case WeightStorage::float16: return "float16";
        case WeightStorage::int8: return "int8";
    }
    throw Error("unknown weight storage");
}

WeightStorage weight_storage_named(const std::string& name, const std::string& context) {
    for (WeightStorage storage : {WeightStorage::float32, WeightStorage::float16, WeightStorage::int8}) {
        if (name == weight_storage_name(storage)) return storage;
    }
    throw Error(context + ": unknown weight storage '" + name + "' (expected float32, float16 or int8)");
}

std::vector<std::uint8_t> serialize_model(const Model& model, ModelCompression compression) {
    check_writable(model, "cannot serialize model");
    return wrap_model_payload(encode_payload(model), format_version_of(model), compression);
}

Model deserialize_model(const std::uint8_t* bytes, std::size_t size, const std::string& source) {
    std::uint32_t version = 0;
    std::vector<std::uint8_t> payload = unwrap_model_payload(bytes, size, source, &version);
    return decode_payload(payload, version, source);
}

void save_model(const std::string& path, const Model& model) {
    check_writable(model, path + ": cannot save model");
    const std::vector<std::uint8_t> file = wrap_model_payload(encode_payload(model), format_version_of(model));
    write_file_atomically(path, file.data(), file.size());
}

Model load_model(const std::string& path) {
    const std::uint64_t largest_file = kModelHeaderSize + compressBound(static_cast<uLong>(kMaxModelPayloadBytes));
    const std::vector<std::uint8_t> bytes = read_binary_file(path, largest_file);
    return deserialize_model(bytes.data(), bytes.size(), path);
}

}  // namespace fcnet
