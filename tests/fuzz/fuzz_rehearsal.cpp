// libFuzzer target: deserialize_rehearsal on arbitrary bytes; what it reads must save and read again.
#include <cstdint>
#include <vector>

#include "core/error.h"
#include "io/rehearsal_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        const fcnet::Dataset sample = fcnet::deserialize_rehearsal(data, size, "fuzz input");
        const std::vector<std::uint8_t> again = fcnet::serialize_rehearsal(sample);
        fcnet::deserialize_rehearsal(again.data(), again.size(), "fuzz input saved again");
    } catch (const fcnet::Error&) {
    }
    return 0;
}
