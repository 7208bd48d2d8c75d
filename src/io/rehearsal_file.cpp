// Rehearsal files: header, then zlib-compressed labels, pixels and pen paths (format in docs/finetune.md).
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
constexpr std::size_t kVersion1HeaderSize = 32;
constexpr float kPathSteps = 127.0f;  // a path feature v in [-1, 1] is stored as the byte (v + 1) x 127
constexpr std::uint64_t kMostInflation = 1032;  // zlib's largest ratio of inflated to deflated bytes

[[noreturn]] void fail(const std::string& source, const std::string& problem) {
    throw Error(source + ": " + problem);
}

std::uint8_t label_byte(int label, const std::string& name) {
    if (label < 0 || label > 255) throw Error(name + ": label " + std::to_string(label) + " is not a byte");
    return static_cast<std::uint8_t>(label);
}

}  // namespace

std::vector<std::uint8_t> serialize_rehearsal(const Dataset& images, const PathRehearsal& paths) {
    const std::size_t count = static_cast<std::size_t>(images.size());
    if (count == 0 || count > kMaxRehearsalSamples || images.feature_count() != static_cast<int>(kPixels)) {
        throw Error(images.name + ": " + std::to_string(count) + " samples of " +
                    std::to_string(images.feature_count()) + " features; a rehearsal file holds 1 to " +
                    std::to_string(kMaxRehearsalSamples) + " samples of 784 (28x28)");
    }
    const std::size_t path_rows = paths.labels.size();
    const std::size_t path_features = path_rows > 0 ? static_cast<std::size_t>(paths.paths.cols()) : 0;
    if (path_rows > kMaxRehearsalSamples || static_cast<std::size_t>(paths.paths.rows()) != path_rows ||
        path_features > kMaxRehearsalPathFeatures || (path_rows > 0 && path_features == 0)) {
        throw Error(images.name + ": " + std::to_string(paths.paths.rows()) + " pen paths of " +
                    std::to_string(paths.paths.cols()) + " features with " + std::to_string(path_rows) +
                    " labels; a rehearsal file holds up to " + std::to_string(kMaxRehearsalSamples) +
                    " paths of 1 to " + std::to_string(kMaxRehearsalPathFeatures) + " features, one label each");
    }
    // Labels, pixels, path labels, path features: count x 785 + path_rows x (1 + path_features) bytes.
    std::vector<std::uint8_t> raw(count * (1 + kPixels) + path_rows * (1 + path_features));
    for (std::size_t i = 0; i < count; ++i) {
        raw[i] = label_byte(images.labels[i], images.name);
        const float* row = images.features.row(static_cast<Eigen::Index>(i)).data();
        std::uint8_t* out = raw.data() + count + i * kPixels;
        for (std::uint32_t p = 0; p < kPixels; ++p) {
            out[p] = static_cast<std::uint8_t>(std::lround(std::clamp(row[p], 0.0f, 1.0f) * 255.0f));
        }
    }
    std::uint8_t* path_labels = raw.data() + count * (1 + kPixels);
    for (std::size_t i = 0; i < path_rows; ++i) {
        path_labels[i] = label_byte(paths.labels[i], images.name);
        std::uint8_t* out = path_labels + path_rows + i * path_features;
        for (std::size_t f = 0; f < path_features; ++f) {
            const float value = std::clamp(paths.paths(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(f)), -1.0f, 1.0f);
            out[f] = static_cast<std::uint8_t>(std::lround((value + 1.0f) * kPathSteps));
        }
    }
    uLongf compressed_size = compressBound(static_cast<uLong>(raw.size()));
    std::vector<std::uint8_t> file(kRehearsalHeaderSize + compressed_size);
    const int status = compress2(file.data() + kRehearsalHeaderSize, &compressed_size, raw.data(),
                                 static_cast<uLong>(raw.size()), Z_BEST_COMPRESSION);
    if (status != Z_OK) throw Error(std::string("cannot compress the rehearsal sample: ") + zError(status));
    file.resize(kRehearsalHeaderSize + compressed_size);

    int largest = *std::max_element(images.labels.begin(), images.labels.end());
    if (path_rows > 0) largest = std::max(largest, *std::max_element(paths.labels.begin(), paths.labels.end()));
    ByteWriter header;
    for (std::uint8_t byte : kMagic) header.u8(byte);
    header.u32(kRehearsalFormatVersion);
    header.u32(static_cast<std::uint32_t>(count));
    header.u32(static_cast<std::uint32_t>(std::max(images.classes, 1 + largest)));
    header.u32(kPixels);
    header.u32(static_cast<std::uint32_t>(path_rows));
    header.u32(static_cast<std::uint32_t>(path_features));
    header.u32(static_cast<std::uint32_t>(compressed_size));
    header.u32(static_cast<std::uint32_t>(crc32(0L, raw.data(), static_cast<uInt>(raw.size()))));
    std::copy(header.bytes().begin(), header.bytes().end(), file.begin());
    return file;
}

RehearsalSample deserialize_rehearsal(const std::uint8_t* bytes, std::size_t size, const std::string& source) {
    if (size < kVersion1HeaderSize) {
        fail(source, "not a rehearsal file: " + std::to_string(size) + " bytes, shorter than its header");
    }
    if (std::memcmp(bytes, kMagic, sizeof kMagic) != 0) fail(source, "not a rehearsal file (wrong magic bytes)");
    const std::uint32_t version = ByteReader(bytes + sizeof kMagic, 4, source, "header").u32("format version");
    if (version != 1 && version != kRehearsalFormatVersion) {
        fail(source, "unsupported rehearsal format version " + std::to_string(version) + " (this build reads 1 and " +
                         std::to_string(kRehearsalFormatVersion) + ")");
    }
    const std::size_t header_size = version == 1 ? kVersion1HeaderSize : kRehearsalHeaderSize;
    if (size < header_size) {
        fail(source, "not a rehearsal file: " + std::to_string(size) + " bytes, shorter than its " +
                         std::to_string(header_size) + "-byte header");
    }
    ByteReader header(bytes + sizeof kMagic + 4, header_size - sizeof kMagic - 4, source, "header");
    const std::uint32_t count = header.u32("samples");
    const std::uint32_t classes = header.u32("classes");
    const std::uint32_t pixels = header.u32("pixels per sample");
    const std::uint32_t path_rows = version == 1 ? 0 : header.u32("pen paths");
    const std::uint32_t path_features = version == 1 ? 0 : header.u32("features per pen path");
    const std::uint32_t compressed_size = header.u32("compressed size");
    const std::uint32_t expected_crc = header.u32("CRC-32");
    if (count == 0 || count > kMaxRehearsalSamples || pixels != kPixels || classes == 0 || classes > 256) {
        fail(source, std::to_string(count) + " samples of " + std::to_string(pixels) + " pixels in " +
                         std::to_string(classes) + " classes; expected 1 to " + std::to_string(kMaxRehearsalSamples) +
                         " samples of 784 pixels in 1 to 256 classes");
    }
    if (path_rows > kMaxRehearsalSamples || path_features > kMaxRehearsalPathFeatures ||
        (path_rows > 0) != (path_features > 0)) {
        fail(source, std::to_string(path_rows) + " pen paths of " + std::to_string(path_features) +
                         " features; expected none, or up to " + std::to_string(kMaxRehearsalSamples) + " of 1 to " +
                         std::to_string(kMaxRehearsalPathFeatures));
    }
    if (compressed_size != size - header_size) {
        fail(source, "the header declares " + std::to_string(compressed_size) + " compressed bytes but " +
                         std::to_string(size - header_size) + " follow it");
    }
    const std::uint64_t raw_bytes = std::uint64_t{count} * (1 + kPixels) + std::uint64_t{path_rows} * (1 + path_features);
    if (raw_bytes > std::uint64_t{compressed_size} * kMostInflation) {  // checked before allocating
        fail(source, "the header declares " + std::to_string(raw_bytes) + " bytes of samples, more than its " +
                         std::to_string(compressed_size) + " compressed bytes can hold");
    }
    std::vector<std::uint8_t> raw(static_cast<std::size_t>(raw_bytes));
    uLongf raw_size = static_cast<uLongf>(raw.size());
    const int status = uncompress(raw.data(), &raw_size, bytes + header_size, compressed_size);
    if (status != Z_OK || raw_size != raw.size()) {
        fail(source, std::string("corrupt compressed data (") + (status == Z_OK ? "wrong length" : zError(status)) +
                         ")");
    }
    if (crc32(0L, raw.data(), static_cast<uInt>(raw.size())) != expected_crc) {
        fail(source, "CRC mismatch: the samples do not match the header's CRC-32 (the file is corrupt)");
    }
    const auto check_label = [&](std::uint8_t label, const std::string& what, std::uint32_t i) {
        if (label >= classes) {
            fail(source, what + " " + std::to_string(i) + " has label " + std::to_string(label) + " but the header " +
                             "declares " + std::to_string(classes) + " classes");
        }
        return static_cast<int>(label);
    };
    RehearsalSample sample;
    Dataset& images = sample.images;
    images.name = source;
    images.classes = static_cast<int>(classes);
    images.features.resize(count, kPixels);  // samples x 784
    for (std::uint32_t i = 0; i < count; ++i) {
        images.labels.push_back(check_label(raw[i], "sample", i));
        const std::uint8_t* in = raw.data() + count + std::size_t{i} * kPixels;
        for (std::uint32_t p = 0; p < kPixels; ++p) images.features(i, p) = static_cast<float>(in[p]) / 255.0f;
    }
    const std::uint8_t* path_labels = raw.data() + std::size_t{count} * (1 + kPixels);
    sample.paths.paths.resize(path_rows, path_features);  // paths x features
    for (std::uint32_t i = 0; i < path_rows; ++i) {
        sample.paths.labels.push_back(check_label(path_labels[i], "pen path", i));
        const std::uint8_t* in = path_labels + path_rows + std::size_t{i} * path_features;
        for (std::uint32_t f = 0; f < path_features; ++f) {
            if (in[f] > 2 * kPathSteps) {
                fail(source, "pen path " + std::to_string(i) + ", feature " + std::to_string(f) + ": byte " +
                                 std::to_string(in[f]) + " stands for no value in [-1, 1] (0 to 254)");
            }
            sample.paths.paths(i, f) = static_cast<float>(in[f]) / kPathSteps - 1.0f;
        }
    }
    return sample;
}

void save_rehearsal(const std::string& path, const Dataset& images, const PathRehearsal& paths) {
    const std::vector<std::uint8_t> bytes = serialize_rehearsal(images, paths);
    write_file_atomically(path, bytes.data(), bytes.size());
}

RehearsalSample load_rehearsal(const std::string& path) {
    const std::uint64_t largest = kRehearsalHeaderSize + std::uint64_t{kMaxRehearsalSamples} * (1 + kPixels) * 2 +
                                  std::uint64_t{kMaxRehearsalSamples} * (1 + kMaxRehearsalPathFeatures) * 2;
    const std::vector<std::uint8_t> bytes = read_binary_file(path, largest);
    return deserialize_rehearsal(bytes.data(), bytes.size(), path);
}

}  // namespace fcnet
