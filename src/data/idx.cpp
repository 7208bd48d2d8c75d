// Readers for MNIST-style IDX files: header checks, then incremental reads through zlib.
#include "data/idx.h"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "core/error.h"
#include "core/large_matrix.h"

namespace fcnet {
namespace {

constexpr std::uint32_t images_magic = 0x00000803;       // 0x08 = uint8 values, 3 dimensions
constexpr std::uint32_t labels_magic = 0x00000801;       // 0x08 = uint8 values, 1 dimension
constexpr std::uint64_t max_image_pixels = 1'000'000;    // per image
constexpr std::uint64_t max_total_values = 100'000'000;  // pixels or labels in one file
constexpr std::size_t read_chunk = 1 << 20;              // bytes per read
// The most bytes deflate expands one byte of a gzip file into (raw files pass through 1:1): a file
// of S bytes holds at most this times S bytes of data, so a header promising more is not believed.
constexpr std::uint64_t max_expansion = 1032;

std::string hex32(std::uint32_t value) {
    char text[11];
    std::snprintf(text, sizeof text, "0x%08x", static_cast<unsigned>(value));
    return text;
}

std::uint32_t big_endian(const unsigned char* bytes) {
    return std::uint32_t{bytes[0]} << 24 | std::uint32_t{bytes[1]} << 16 |
           std::uint32_t{bytes[2]} << 8 | std::uint32_t{bytes[3]};
}

std::string describe_magic(std::uint32_t magic) {
    if (magic == images_magic) return hex32(magic) + " (uint8 images)";
    if (magic == labels_magic) return hex32(magic) + " (uint8 labels)";
    if (magic >> 16 != 0) return hex32(magic) + " (not an IDX file)";  // IDX starts with two zeros
    return hex32(magic);
}

// One open IDX file. gzread decompresses gzip files and passes raw files through as they are.
class IdxFile {
public:
    explicit IdxFile(const std::string& path) : path_(path) {
        std::error_code ignored;
        const auto status = std::filesystem::status(path, ignored);
        if (!std::filesystem::exists(status)) fail("file not found");
        if (std::filesystem::is_directory(status)) fail("is a directory, not an IDX file");
        const std::uintmax_t bytes = std::filesystem::file_size(path, ignored);
        file_bytes_ = bytes == static_cast<std::uintmax_t>(-1) ? 0 : bytes;
        file_ = gzopen(path.c_str(), "rb");
        if (file_ == nullptr) fail(std::string("cannot open: ") + std::strerror(errno));
    }
    ~IdxFile() { gzclose(file_); }
    IdxFile(const IdxFile&) = delete;
    IdxFile& operator=(const IdxFile&) = delete;

    [[noreturn]] void fail(const std::string& problem) const {
        throw Error("IDX file " + path_ + ": " + problem);
    }

    // Reads up to `size` bytes (size <= read_chunk); fewer arrive only at the end of the data.
    std::size_t read(void* into, std::size_t size) {
        const int got = gzread(file_, into, static_cast<unsigned>(size));
        if (got < 0) {
            int code = 0;
            std::string detail = gzerror(file_, &code);  // "<path>: <problem>"
            if (detail.rfind(path_ + ": ", 0) == 0) detail.erase(0, path_.size() + 2);
            fail("corrupt data (" + detail + ")");
        }
        return static_cast<std::size_t>(got);
    }

    // Checks the magic number, then reads `dimensions` sizes (all big-endian uint32).
    std::vector<std::uint32_t> read_header(std::uint32_t expected_magic, int dimensions) {
        const std::size_t header_size = 4 * (1 + static_cast<std::size_t>(dimensions));
        const auto require = [&](std::size_t found, std::size_t expected) {
            if (found < expected) {
                fail("truncated header: expected " + std::to_string(header_size) +
                     " bytes, found " + std::to_string(found));
            }
        };
        unsigned char bytes[16];
        const std::size_t magic_bytes = read(bytes, 4);
        if (magic_bytes == 0) fail("the file is empty");
        require(magic_bytes, 4);
        if (big_endian(bytes) != expected_magic) {
            fail("bad magic number " + describe_magic(big_endian(bytes)) + ", expected " +
                 describe_magic(expected_magic));
        }
        require(4 + read(bytes + 4, header_size - 4), header_size);
        std::vector<std::uint32_t> sizes;
        for (int i = 1; i <= dimensions; ++i) sizes.push_back(big_endian(bytes + 4 * i));
        return sizes;
    }

    // Reads exactly `size` bytes of data into `into` and checks nothing follows them. `contents`
    // says what the header promised, for messages. Call check_room first: `into` is allocated for
    // `size` bytes on the header's word, and that is only safe once the file could hold them.
    void read_data(std::uint8_t* into, std::uint64_t size, const std::string& contents) {
        for (std::uint64_t done = 0; done < size;) {
            const std::size_t chunk = static_cast<std::size_t>(std::min<std::uint64_t>(read_chunk, size - done));
            const std::size_t got = read(into + done, chunk);
            if (got < chunk) truncated(size, done + got, contents);
            done += got;
        }
        unsigned char extra = 0;
        if (read(&extra, 1) != 0) {
            fail("longer than its header says: more than " + std::to_string(size) +
                 " bytes of data follow the header, which promises " + contents);
        }
    }

    // Fails as truncated when a file of this length cannot hold `size` bytes of data even
    // compressed as far as deflate goes: a short file's header then allocates nothing.
    void check_room(std::uint64_t size, const std::string& contents) const {
        if (size / max_expansion > file_bytes_) truncated(size, 0, contents, " can hold");
    }

private:
    [[noreturn]] void truncated(std::uint64_t size, std::uint64_t got, const std::string& contents,
                                const char* ends = nullptr) const {
        fail("truncated data: the header says " + contents + " (" + std::to_string(size) + " bytes) but " +
             (ends ? "no file of " + std::to_string(file_bytes_) + " bytes" + ends + " that many"
                   : "the data ends after " + std::to_string(got) + " bytes"));
    }

    std::string path_;
    std::uint64_t file_bytes_ = 0;  // the file's length on disk
    gzFile file_ = nullptr;
};

}  // namespace

Matrix read_idx_images(const std::string& path) {
    IdxFile file(path);
    const std::vector<std::uint32_t> dims = file.read_header(images_magic, 3);
    const std::uint64_t count = dims[0], rows = dims[1], cols = dims[2];
    const std::string contents =
        std::to_string(count) + " images of " + std::to_string(rows) + "x" + std::to_string(cols);
    if (count == 0) file.fail("holds no images (its header says 0)");
    if (rows == 0 || cols == 0 || rows * cols > max_image_pixels) {
        file.fail("absurd dimensions: the header says " + contents + " (at most " +
                  std::to_string(max_image_pixels) + " pixels per image)");
    }
    const std::uint64_t pixels = rows * cols;  // <= 1e6, so count * pixels cannot overflow
    if (count * pixels > max_total_values) {
        file.fail("absurd dimensions: the header says " + contents + " (at most " +
                  std::to_string(max_total_values) + " pixels in all)");
    }
    const std::uint64_t size = count * pixels;
    file.check_room(size, contents);
    Matrix images = large_matrix(static_cast<Eigen::Index>(count), static_cast<Eigen::Index>(pixels));
    // The bytes arrive in the last quarter of the images' own memory (byte i at 3 size + i) and are
    // widened to floats front to back, a block at a time through `block`: the floats of values
    // [first, first + n) cover bytes [4 first, 4 (first + n)), which for first + n <= size all lie
    // before 3 size + first + n, where the next block's bytes start: none is overwritten unread.
    float* values = images.data();  // count x pixels, in [0, 1]
    std::uint8_t* const bytes = reinterpret_cast<std::uint8_t*>(values) + 3 * size;
    file.read_data(bytes, size, contents);
    std::uint8_t block[4096];
    for (std::uint64_t first = 0; first < size; first += sizeof block) {
        const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(sizeof block, size - first));
        std::memcpy(block, bytes + first, n);
        for (std::size_t i = 0; i < n; ++i) values[first + i] = block[i] / 255.0f;
    }
    return images;
}

std::vector<int> read_idx_labels(const std::string& path) {
    IdxFile file(path);
    const std::uint64_t count = file.read_header(labels_magic, 1)[0];
    if (count == 0) file.fail("holds no labels (its header says 0)");
    if (count > max_total_values) {
        file.fail("absurd dimensions: the header says " + std::to_string(count) +
                  " labels (at most " + std::to_string(max_total_values) + ")");
    }
    const std::string contents = std::to_string(count) + " labels";
    file.check_room(count, contents);
    std::vector<std::uint8_t> data(count);
    file.read_data(data.data(), count, contents);
    return std::vector<int>(data.begin(), data.end());
}

Dataset load_idx_pair(const std::string& images_path, const std::string& labels_path,
                      const std::string& name) {
    Dataset dataset;
    dataset.features = read_idx_images(images_path);
    dataset.labels = read_idx_labels(labels_path);
    if (static_cast<std::size_t>(dataset.features.rows()) != dataset.labels.size()) {
        throw Error("IDX files " + images_path + " and " + labels_path +
                    ": image/label count mismatch: " + std::to_string(dataset.features.rows()) +
                    " images but " + std::to_string(dataset.labels.size()) + " labels");
    }
    dataset.classes = *std::max_element(dataset.labels.begin(), dataset.labels.end()) + 1;
    dataset.name = name;
    return dataset;
}

}  // namespace fcnet
