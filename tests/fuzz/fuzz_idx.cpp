// libFuzzer target: the IDX readers on raw and gzip-compressed files. The first input byte
// chooses images or labels and whether the rest is gzip-compressed before it is written.
#include <zlib.h>

#include <cstdint>
#include <cstdlib>
#include <vector>

#include "core/error.h"
#include "data/idx.h"
#include "fuzz_support.h"

namespace {

// `bytes` as a gzip member (deflate with a gzip header: windowBits 15 + 16).
std::vector<std::uint8_t> gzip(const std::uint8_t* bytes, std::size_t size) {
    z_stream stream{};
    if (deflateInit2(&stream, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) std::abort();
    std::vector<std::uint8_t> out(deflateBound(&stream, static_cast<uLong>(size)) + 32);
    stream.next_in = const_cast<Bytef*>(bytes);
    stream.avail_in = static_cast<uInt>(size);
    stream.next_out = out.data();
    stream.avail_out = static_cast<uInt>(out.size());
    if (deflate(&stream, Z_FINISH) != Z_STREAM_END) std::abort();
    out.resize(stream.total_out);
    deflateEnd(&stream);
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static fcnet_fuzz::MemoryFile file;
    fcnet_fuzz::Cursor input(data, size);
    const std::uint8_t mode = input.byte();
    const std::string* path;
    if (mode & 2) {
        const std::vector<std::uint8_t> compressed = gzip(input.rest(), input.rest_size());
        path = &file.write(compressed.data(), compressed.size());
    } else {
        path = &file.write(input.rest(), input.rest_size());
    }
    try {
        if (mode & 1) {
            fcnet::read_idx_labels(*path);
        } else {
            fcnet::read_idx_images(*path);
        }
    } catch (const fcnet::Error&) {
    }
    return 0;
}
