// Converting models to and from ONNX (docs/onnx.md): the one interface to fcnet's ONNX code (native build only).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/model.h"
#include "io/model_file.h"

namespace fcnet {

// The ONNX opset the exporter writes (Gemm, Softmax(axis=-1), ... as defined in opset 13)
// and the range of opsets the importer accepts.
constexpr std::int64_t kOnnxExportOpset = 13;
constexpr std::int64_t kOnnxMinImportOpset = 7;
constexpr std::int64_t kOnnxMaxImportOpset = 21;
// Largest .onnx file read: float32 weights at the .fcnet parameter limit plus 16 MiB for the
// graph, names and metadata (the same bound as a .fcnet payload). Checked before parsing.
constexpr std::uint64_t kMaxOnnxFileBytes = kMaxModelPayloadBytes;

// Export: a standard ONNX model computing softmax(f(...f(((x - mean) / stddev) W0 + b0)...) / T)
// with input "input" (batch x inputs) and output "probabilities" (batch x classes). Class names,
// temperature, weight storage and every metadata entry go into metadata_props.
std::vector<std::uint8_t> serialize_onnx(const Model& model);
void save_onnx(const std::string& path, const Model& model);

// Import: a dense network in the forms real exporters write (docs/onnx.md lists them). Any other
// graph is refused with an fcnet::Error naming `source`, the node and its op, never guessed at.
Model deserialize_onnx(const std::uint8_t* bytes, std::size_t size, const std::string& source);
Model load_onnx(const std::string& path);

}  // namespace fcnet
