// Image decoding through stb_image, limited to PNG, JPEG and BMP and to kMaxImageSide, with checks
// for the header fields stb_image 2.27 trusts (found by fuzzing).
#include "preprocess/image_decode.h"

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <memory>

#include "core/error.h"
#include "io/file_system.h"
#include "preprocess/digit_image.h"

#define STB_IMAGE_IMPLEMENTATION
#define STB_IMAGE_STATIC  // private to this file: an app linking its own stb_image does not clash
#define STBI_ONLY_PNG
#define STBI_ONLY_JPEG
#define STBI_ONLY_BMP
#define STBI_NO_STDIO
#define STBI_MAX_DIMENSIONS 16384
#include <stb_image.h>

static_assert(STBI_MAX_DIMENSIONS == fcnet::kMaxImageSide, "stb_image's limit is kMaxImageSide");

namespace fcnet {

namespace {

// "cannot decode a.png: stb_image says <its reason> (<what was expected>)"
std::string failure(const std::string& source, const std::string& expected) {
    const char* reason = stbi_failure_reason();
    return "cannot decode " + source + ": stb_image says \"" + (reason != nullptr ? reason : "unknown failure") +
           "\" (" + expected + ")";
}

// stb_image 2.27 (Debian 12) trusts a JPEG Huffman table's code count: a DHT segment whose 16
// counts sum to more than 256 overruns the table's arrays inside stb's decoder state, which ends
// in function pointers (found by tests/fuzz/fuzz_image; stb_image 2.28 checks it). stb can meet a
// DHT marker anywhere (it resynchronises on 0xff after corrupt data), so every 0xff 0xc4 in the
// file is read as a DHT segment and a table with more than 256 codes refuses the file before stb
// sees it. In a valid JPEG, 0xff 0xc4 only starts real DHT segments, whose tables are valid.
void check_jpeg_huffman_tables(const std::uint8_t* bytes, std::size_t size, const std::string& source) {
    // stb's JPEG test: 0xff, any number of 0xff fill bytes, then the SOI code 0xd8.
    std::size_t start = 0;
    while (start < size && bytes[start] == 0xff) ++start;
    if (start == 0 || start >= size || bytes[start] != 0xd8) return;  // not a JPEG
    for (std::size_t marker = start + 1; marker + 1 < size; ++marker) {
        if (bytes[marker] != 0xff || bytes[marker + 1] != 0xc4) continue;
        std::size_t at = marker + 2;
        const auto byte = [&]() -> std::size_t { return at < size ? bytes[at++] : 0; };
        const std::size_t length_high = byte();
        long remaining = static_cast<long>(length_high << 8 | byte()) - 2;  // segment length
        while (remaining > 0 && at < size) {
            byte();  // table class and id
            std::size_t codes = 0;
            for (int i = 0; i < 16; ++i) codes += byte();
            if (codes > 256) {
                throw Error("cannot decode " + source + ": corrupt JPEG: a Huffman table declares " +
                            std::to_string(codes) + " codes, at most 256 are possible");
            }
            at += codes;
            remaining -= 17 + static_cast<long>(codes);
        }
    }
}

// stb_image reads a BMP's pixel rows without checking they are there (past the end it reads
// zeros), so a 54-byte file claiming 16384 x 6100 pixels decodes to 100 million black pixels
// after seconds of work (found by tests/fuzz/fuzz_image). Refuses an uncompressed BMP shorter
// than the rows its header promises.
void check_bmp_holds_its_pixels(const std::uint8_t* bytes, std::size_t size, const std::string& source) {
    const auto u16 = [&](std::size_t at) { return std::uint32_t{bytes[at]} | std::uint32_t{bytes[at + 1]} << 8; };
    const auto u32 = [&](std::size_t at) { return u16(at) | u16(at + 2) << 16; };
    if (size < 34 || bytes[0] != 'B' || bytes[1] != 'M') return;  // not a BMP, or stb refuses it
    const std::uint32_t header_size = u32(14);
    const bool core = header_size == 12;  // OS/2 BITMAPCOREHEADER: 16-bit sizes, no compression field
    const std::int64_t width = core ? u16(18) : static_cast<std::int32_t>(u32(18));
    const std::int64_t height = core ? u16(20) : static_cast<std::int32_t>(u32(22));
    const std::uint32_t bits = u16(core ? 24 : 28);
    const std::int32_t compression = core ? 0 : static_cast<std::int32_t>(u32(30));  // signed, as stb reads it
    if (compression == 1 || compression == 2 || compression >= 4 || bits == 0 || bits > 32) return;  // stb refuses
    if (width <= 0 || width > kMaxImageSide || height == 0 || std::abs(height) > kMaxImageSide) return;  // stb refuses
    const std::int64_t row_bytes = (width * bits + 31) / 32 * 4;  // rows are padded to 4 bytes
    const std::int64_t needed = std::int64_t{u32(10)} + row_bytes * (std::abs(height) - 1) + (width * bits + 7) / 8;
    if (static_cast<std::uint64_t>(needed) > size) {
        throw Error("cannot decode " + source + ": truncated BMP: its header promises " + std::to_string(width) + " x " +
                    std::to_string(std::abs(height)) + " pixels of " + std::to_string(bits) + " bits, " +
                    std::to_string(needed) + " bytes with the headers, but it holds " + std::to_string(size));
    }
}

// stb_image grows its buffer to a PNG chunk's declared length before reading the chunk, so a
// 90-byte file whose IDAT claims 1 GiB allocates 1 GiB (found by tests/fuzz/fuzz_image).
// Refuses a chunk longer than the bytes left, up to the IEND chunk where stb stops reading.
void check_png_chunks_fit(const std::uint8_t* bytes, std::size_t size, const std::string& source) {
    static const std::uint8_t signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    if (size < 8 || !std::equal(signature, signature + 8, bytes)) return;
    for (std::size_t at = 8; at + 8 <= size;) {
        const std::uint64_t length = std::uint64_t{bytes[at]} << 24 | std::uint64_t{bytes[at + 1]} << 16 |
                                     std::uint64_t{bytes[at + 2]} << 8 | bytes[at + 3];
        const std::string type(reinterpret_cast<const char*>(bytes + at + 4), 4);
        if (12 + length > size - at) {
            throw Error("cannot decode " + source + ": truncated PNG: chunk '" + type + "' at offset " +
                        std::to_string(at) + " declares " + std::to_string(length) + " bytes, " +
                        std::to_string(size - at - 8) + " remain");
        }
        if (type == "IEND") return;
        at += 12 + static_cast<std::size_t>(length);
    }
}

}  // namespace

DecodedImage decode_image_memory(const std::uint8_t* bytes, std::size_t size, const std::string& source) {
    if (bytes == nullptr || size == 0) throw Error("cannot decode " + source + ": it is empty");
    if (size > static_cast<std::size_t>(INT_MAX)) throw Error("cannot decode " + source + ": it is larger than 2 GiB");
    const int length = static_cast<int>(size);
    check_jpeg_huffman_tables(bytes, size, source);
    check_bmp_holds_its_pixels(bytes, size, source);
    check_png_chunks_fit(bytes, size, source);

    int width = 0, height = 0, channels_in_file = 0;
    if (!stbi_info_from_memory(bytes, length, &width, &height, &channels_in_file)) {
        // stbi_info asks every decoder in turn and keeps the last complaint ("unknown image
        // type"); loading asks the decoder that recognised the file, whose reason is the useful one.
        stbi_image_free(stbi_load_from_memory(bytes, length, &width, &height, &channels_in_file, 0));
        throw Error(failure(source, "expected a PNG, JPEG or BMP image of at most " + std::to_string(kMaxImageSide) +
                                       " pixels a side"));
    }
    if (std::int64_t{width} * height > kMaxDrawingPixels) {
        throw Error("cannot decode " + source + ": it is " + std::to_string(width) + " x " + std::to_string(height) +
                    " pixels, more than the " + std::to_string(kMaxDrawingPixels) + " accepted");
    }
    // Gray stays gray and RGB stays RGB; gray + alpha is expanded to RGBA.
    const int channels = channels_in_file == 1 || channels_in_file == 3 ? channels_in_file : 4;
    const std::unique_ptr<stbi_uc, decltype(&stbi_image_free)> pixels(
        stbi_load_from_memory(bytes, length, &width, &height, &channels_in_file, channels), &stbi_image_free);
    if (!pixels) throw Error(failure(source, "the image data is corrupt or truncated"));

    DecodedImage image;
    image.width = width;
    image.height = height;
    image.channels = channels;
    image.pixels.assign(pixels.get(), pixels.get() + static_cast<std::size_t>(width) * height * channels);
    return image;
}

DecodedImage decode_image_file(const std::string& path) {
    const std::vector<std::uint8_t> bytes = read_binary_file(path, kMaxImageFileBytes);
    return decode_image_memory(bytes.data(), bytes.size(), path);
}

}  // namespace fcnet
