// The metadata_props keys fcnet writes into an ONNX model and reads back (docs/onnx.md).
#pragma once

namespace fcnet {

constexpr const char* kOnnxKeyPrefix = "fcnet.";
constexpr const char* kOnnxKeyTemperature = "fcnet.temperature";       // "%.9g"; the graph's Div is what counts
constexpr const char* kOnnxKeyWeightStorage = "fcnet.weight_storage";  // "float32", "float16" or "int8" (.fcnet storage)
constexpr const char* kOnnxKeyClassNames = "fcnet.class_names";        // JSON array of strings, one per output

}  // namespace fcnet
