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
// code 1). Float32 models are still written as version 1, so older readers keep reading them.
constexpr std::uint32_t kModelFormatVersion = 1;
constexpr std::uint32_t kModelFormatVersionFloat16 = 2;
// The largest magnitude a float16 weight can hold; saving a larger one as float16 is refused.
constexpr float kFloat16Max = 65504.0f;
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

}  // namespace fcnet
