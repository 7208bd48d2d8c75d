// libFuzzer target: deserialize_onnx on arbitrary bytes; what imports must export and import again to the same .fcnet bytes.
#include <cstdint>
#include <vector>

#include "core/error.h"
#include "io/model_file.h"
#include "onnx/onnx_model.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fcnet::Model model;
    try {
        model = fcnet::deserialize_onnx(data, size, "fuzz input");
    } catch (const fcnet::Error&) {
        return 0;
    }
    const std::vector<std::uint8_t> onnx = fcnet::serialize_onnx(model);
    const fcnet::Model again = fcnet::deserialize_onnx(onnx.data(), onnx.size(), "fuzz input exported again");
    try {
        if (fcnet::serialize_model(again) != fcnet::serialize_model(model)) __builtin_trap();
    } catch (const fcnet::Error&) {  // e.g. metadata too long for a .fcnet file: refused alike
    }
    return 0;
}
