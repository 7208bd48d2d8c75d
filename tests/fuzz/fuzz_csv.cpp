// libFuzzer target: read_csv on arbitrary text. The first input byte chooses the label column,
// the header mode and the feature scale.
#include <cstdint>

#include "core/error.h"
#include "data/csv.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static fcnet_fuzz::MemoryFile file;
    fcnet_fuzz::Cursor input(data, size);
    const std::uint8_t mode = input.byte();
    fcnet::CsvOptions options;
    options.label_column = static_cast<int>(mode & 7) - 4;  // -4 .. 3
    options.header = static_cast<fcnet::CsvHeader>((mode >> 3) % 3);
    options.scale = (mode & 0x20) ? 0.5f : 0.0f;
    const std::string& path = file.write(input.rest(), input.rest_size());
    try {
        fcnet::read_csv(path, options);
    } catch (const fcnet::Error&) {
    }
    return 0;
}
