// libFuzzer target: deserialize_rehearsal on arbitrary bytes; what it reads must save and read again.
#include <cstdint>
#include <vector>

#include "core/error.h"
#include "io/rehearsal_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        const fcnet::RehearsalSample sample = fcnet::deserialize_rehearsal(data, size, "fuzz input");
        const std::vector<std::uint8_t> again = fcnet::serialize_rehearsal(sample.images, sample.paths);
        const fcnet::RehearsalSample read = fcnet::deserialize_rehearsal(again.data(), again.size(), "fuzz input saved again");
        if (fcnet::serialize_rehearsal(read.images, read.paths) != again) __builtin_trap();  // saving is exact
    } catch (const fcnet::Error&) {
    }
    return 0;
}
