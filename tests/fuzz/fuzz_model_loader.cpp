// libFuzzer target: deserialize_model on arbitrary bytes, and on arbitrary payloads wrapped in a
// valid container (header, zlib, CRC-32) so the payload parser is reached past the checksum. The
// payloads are wrapped as version 3, which reads every weight precision (float32, float16, int8),
// and as version 4, whose payloads also end in a pen-path network.
#include <cstdint>
#include <vector>

#include "core/error.h"
#include "io/model_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        fcnet::deserialize_model(data, size, "fuzz input");
    } catch (const fcnet::Error&) {
    }
    for (const std::uint32_t version : {fcnet::kModelFormatVersionInt8, fcnet::kModelFormatVersionPenPath}) {
        try {
            const std::vector<std::uint8_t> file =
                fcnet::wrap_model_payload(std::vector<std::uint8_t>(data, data + size), version);
            const fcnet::Model model = fcnet::deserialize_model(file.data(), file.size(), "fuzz payload");
            const std::vector<std::uint8_t> again = fcnet::serialize_model(model);  // what loads must save
            fcnet::deserialize_model(again.data(), again.size(), "fuzz payload saved again");
        } catch (const fcnet::Error&) {
        }
    }
    return 0;
}
