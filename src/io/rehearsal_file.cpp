// Rehearsal files: header, then zlib-compressed labels and pixels (format in docs/finetune.md).
#include "io/rehearsal_file.h"

#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/error.h"
#include "io/byte_stream.h"
#include "io/file_system.h"

namespace fcnet {

namespace {

constexpr std::uint8_t kMagic[8] = {0x89, 'F', 'C', 'R', '\r', '\n', 0x1a, '\n'};
constexpr std::uint32_t kPixels = 28 * 28;

[[noreturn]] void fail(const std::string& source, const std::string& problem) {
    throw Error(source + ": " + problem);
}

}  // namespace

std::vector<std::uint8_t> serialize_rehearsal(const Dataset& sample) {
    const std::size_t count = static_cast<std::size_t>(sample.size());
    if (count == 0 || count > kMaxRehearsalSamples || sample.feature_count() != static_cast<int>(kPixels)) {
        throw Error(sample.name + ": " + std::to_string(count) + " samples of " +
                    std::to_string(sample.feature_count()) + " features; a rehearsal file holds 1 to " +
                    std::to_string(kMaxRehearsalSamples) + " samples of 784 (28x28)");
    }
    // Labels, then pixels: count + count * 784 bytes.
    std::vector<std::uint8_t> raw(count * (1 + kPixels));
    for (std::size_t i = 0; i < count; ++i) {
        const int label = sample.labels[i];
        if (label < 0 || label > 255) throw Error(sample.name + ": label " + std::to_string(label) + " is not a byte");
        raw[i] = static_cast<std::uint8_t>(label);
        const float* row = sample.features.row(static_cast<Eigen::Index>(i)).data();
        std::uint8_t* out = raw.data() + count + i * kPixels;
        for (std::uint32_t p = 0; p < kPixels; ++p) {
            out[p] = static_cast<std::uint8_t>(std::lround(std::clamp(row[p], 0.0f, 1.0f) * 255.0f));
        }
    }
    uLongf compressed_size = compressBound(static_cast<uLong>(raw.size()));
    std::vector<std::uint8_t> file(kRehearsalHeaderSize + compressed_size);
    const int status = compress2(file.data() + kRehearsalHeaderSize, &compressed_size, raw.data(),
                                 static_cast<uLong>(raw.size()), Z_BEST_COMPRESSION);
    if (status != Z_OK) throw Error(std::string("cannot compress the rehearsal sample: ") + zError(status));
    file.resize(kRehearsalHeaderSize + compressed_size);

    ByteWriter header;
    for (std::uint8_t byte : kMagic) header.u8(byte);
    header.u32(kRehearsalFormatVersion);
    header.u32(static_cast<std::uint32_t>(count));
    header.u32(static_cast<std::uint32_t>(std::max(sample.classes, 1 + *std::max_element(sample.labels.begin(),
                                                                                         sample.labels.end()))));
    header.u32(kPixels);
    header.u32(static_cast<std::uint32_t>(compressed_size));
    header.u32(static_cast<std::uint32_t>(crc32(0L, raw.data(), static_cast<uInt>(raw.size()))));
    std::copy(header.bytes().begin(), header.bytes().end(), file.begin());
    return file;
}

Dataset deserialize_rehearsal(const std::uint8_t* bytes, std::size_t size, const std::string& source) {
    if (size < kRehearsalHeaderSize) {
        fail(source, "not a rehearsal file: " + std::to_string(size) + " bytes, shorter than its " +
                         std::to_string(kRehearsalHeaderSize) + "-byte header");
    }
    if (std::memcmp(bytes, kMagic, sizeof kMagic) != 0) fail(source, "not a rehearsal file (wrong magic bytes)");
    ByteReader header(bytes + sizeof kMagic, kRehearsalHeaderSize - sizeof kMagic, source, "header");
    const std::uint32_t version = header.u32("format version");
    if (version != kRehearsalFormatVersion) {
        fail(source, "unsupported rehearsal format version " + std::to_string(version) + " (this build reads " +
                         std::to_string(kRehearsalFormatVersion) + ")");
    }
    const std::uint32_t count = header.u32("samples");
    const std::uint32_t classes = header.u32("classes");
    const std::uint32_t pixels = header.u32("pixels per sample");
    const std::uint32_t compressed_size = header.u32("compressed size");
    const std::uint32_t expected_crc = header.u32("CRC-32");
    if (count == 0 || count > kMaxRehearsalSamples || pixels != kPixels || classes == 0 || classes > 256) {
        fail(source, std::to_string(count) + " samples of " + std::to_string(pixels) + " pixels in " +
                         std::to_string(classes) + " classes; expected 1 to " + std::to_string(kMaxRehearsalSamples) +
                         " samples of 784 pixels in 1 to 256 classes");
    }
    if (compressed_size != size - kRehearsalHeaderSize) {
        fail(source, "the header declares " + std::to_string(compressed_size) + " compressed bytes but " +
                         std::to_string(size - kRehearsalHeaderSize) + " follow it");
    }
    std::vector<std::uint8_t> raw(std::size_t{count} * (1 + kPixels));
    uLongf raw_size = static_cast<uLongf>(raw.size());
    const int status = uncompress(raw.data(), &raw_size, bytes + kRehearsalHeaderSize, compressed_size);
    if (status != Z_OK || raw_size != raw.size()) {
        fail(source, std::string("corrupt compressed data (") + (status == Z_OK ? "wrong length" : zError(status)) +
                         ")");
    }
    if (crc32(0L, raw.data(), static_cast<uInt>(raw.size())) != expected_crc) {
        fail(source, "CRC mismatch: the samples do not match the header's CRC-32 (the file is corrupt)");
    }
    Dataset sample;
    sample.name = source;
    sample.classes = static_cast<int>(classes);
    sample.features.resize(count, kPixels);  // samples x 784
    for (std::uint32_t i = 0; i < count; ++i) {
        if (raw[i] >= classes) {
            fail(source, "sample " + std::to_string(i) + " has label " + std::to_string(raw[i]) + " but the header " +
                             "declares " + std::to_string(classes) + " classes");
        }
        sample.labels.push_back(raw[i]);
        const std::uint8_t* in = raw.data() + count + std::size_t{i} * kPixels;
        for (std::uint32_t p = 0; p < kPixels; ++p) sample.features(i, p) = static_cast<float>(in[p]) / 255.0f;
    }
    return sample;
}

void save_rehearsal(const std::string& path, const Dataset& sample) {
    const std::vector<std::uint8_t> bytes = serialize_rehearsal(sample);
    write_file_atomically(path, bytes.data(), bytes.size());
}

Dataset load_rehearsal(const std::string& path) {
    const std::vector<std::uint8_t> bytes =
        read_binary_file(path, kRehearsalHeaderSize + std::uint64_t{kMaxRehearsalSamples} * (1 + kPixels) * 2);
    return deserialize_rehearsal(bytes.data(), bytes.size(), path);
}

}  // namespace fcnet
