// Reading and writing `.fcnet` model files (format: docs/model-format.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/model.h"

namespace fcnet {

// Models larger than this are rejected as corrupt rather than allocated.
constexpr std::int64_t kMaxModelParameters = 100'000'000;
// Format versions: 1 stores float32 weights; 2 is version 1 plus float16 weights (precision
// code 1); 3 is version 2 plus int8 weights (precision code 2); 4 is version 3 plus a pen-path
// network after the weights (Model::pen_path), which every version 4 file has. Each model is
// written with the lowest version that holds it, so older readers keep reading what they can.
constexpr std::uint32_t kModelFormatVersion = 1;
constexpr std::uint32_t kModelFormatVersionFloat16 = 2;
constexpr std::uint32_t kModelFormatVersionInt8 = 3;
constexpr std::uint32_t kModelFormatVersionPenPath = 4;
// The largest magnitude a float16 weight can hold; saving a larger weight or bias as float16, or
// a larger bias as int8 (whose biases are float16), is refused.
constexpr float kFloat16Max = 65504.0f;
// The largest per-output scale an int8 file may hold, so its largest weight is 127 x 512 = 65024
// (loaded int8 models always save again); saving a larger weight as int8 is refused.
constexpr float kInt8MaxScale = 512.0f;
// Bytes before the compressed payload: magic, version, flags, sizes, CRC-32.
constexpr std::size_t kModelHeaderSize = 36;
// Largest uncompressed payload accepted: float32 weights at the parameter limit plus 16 MiB
// for the architecture, class names and metadata. Checked before anything is decompressed.
constexpr std::uint64_t kMaxModelPayloadBytes = 4 * std::uint64_t{kMaxModelParameters} + (std::uint64_t{16} << 20);

// How hard a model's payload is compressed. Either is a valid file that every reader reads.
enum class ModelCompression {
    smallest,  // zlib's default level: for files
    none,      // zlib stored blocks, a plain copy: many times faster (the browser saves a fine-tuned
               // model after each correction), about as large as the payload
};

std::vector<std::uint8_t> serialize_model(const Model& model, ModelCompression compression = ModelCompression::smallest);
// `source` names the bytes in error messages (a file path, a URL, "buffer").
Model deserialize_model(const std::uint8_t* bytes, std::size_t size, const std::string& source);

// Writes to a temporary file in the same folder, then renames it over `path`, so an
// interrupted save leaves either the old file or the new one. Refuses a non-finite network.
void save_model(const std::string& path, const Model& model);
Model load_model(const std::string& path);

// The container around the payload (header, zlib, CRC-32), exposed for tests and fuzzers that
// craft files field by field. wrap_model_payload compresses `payload` and prepends a valid
// header; unwrap_model_payload checks the header, decompresses and verifies the CRC-32,
// throwing fcnet::Error like deserialize_model, and returns the payload unparsed.
// `version` is written to the header as it is; unwrap stores the header's (checked) version in
// `version` when it is not null.
std::vector<std::uint8_t> wrap_model_payload(const std::vector<std::uint8_t>& payload,
                                             std::uint32_t version = kModelFormatVersion,
                                             ModelCompression compression = ModelCompression::smallest);
std::vector<std::uint8_t> unwrap_model_payload(const std::uint8_t* bytes, std::size_t size,
                                               const std::string& source, std::uint32_t* version = nullptr);

// IEEE 754 binary16 conversions, round to nearest even; magnitudes from 65520 up become
// infinity, values below 2^-24 become (signed) zero, subnormals are kept.
std::uint16_t float_to_half(float value);
float half_to_float(std::uint16_t bits);
// Rounds every weight and bias to the nearest float16 value (what a float16 file stores), so
// that calibration and evaluation see exactly the saved model.
void round_weights_to_float16(Network& network);

// Int8 storage of a layer's weights (in x out): one scale per output, the smallest float with at
// most 17 significant bits (so that q * scale is exact in float32) that is at least
// max |w| / 127 over the output's column, and at least FLT_MIN. Returns 1 x out.
RowVector int8_scales(const Matrix& weights);
// The int8 stored for weight w of an output with this scale: round(w / scale), in [-127, 127].
std::int8_t weight_to_int8(float weight, float scale);
// Replaces every weight by its int8 value times its output's scale, and every bias by its
// float16 value (what an int8 file stores), so that calibration and evaluation see exactly the
// saved model. Applying it twice changes nothing.
void round_weights_to_int8(Network& network);
// Sets the model's weight storage and rounds its weights and biases, the pen-path network's too, to
// the values a file of that storage holds (round_weights_to_float16 / _int8; nothing for float32).
void store_weights_as(Model& model, WeightStorage storage);

// "float32", "float16" or "int8", as `fcnet info`, `fcnet convert --weights` and ONNX metadata
// name a storage; weight_storage_named throws fcnet::Error naming `context` for any other name.
std::string weight_storage_name(WeightStorage storage);
WeightStorage weight_storage_named(const std::string& name, const std::string& context);

}  // namespace fcnet
