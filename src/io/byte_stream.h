// Little-endian byte writer and bounds-checked byte reader for binary file formats.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"

namespace fcnet {

// Appends little-endian fields to a growing buffer, whatever the host byte order.
class ByteWriter {
public:
    void u8(std::uint8_t value) { bytes_.push_back(value); }
    void u16(std::uint16_t value) { append_little_endian(value, 2); }
    void u32(std::uint32_t value) { append_little_endian(value, 4); }
    void u64(std::uint64_t value) { append_little_endian(value, 8); }
    void f32(float value) {
        std::uint32_t bits;
        std::memcpy(&bits, &value, sizeof bits);
        u32(bits);
    }
    void f32_array(const float* values, std::size_t count) {
        bytes_.reserve(bytes_.size() + 4 * count);
        for (std::size_t i = 0; i < count; ++i) f32(values[i]);
    }
    // u32 byte length, then the bytes (no terminator). The caller checks the length fits.
    void string(const std::string& text) {
        u32(static_cast<std::uint32_t>(text.size()));
        bytes_.insert(bytes_.end(), text.begin(), text.end());
    }

    std::size_t size() const { return bytes_.size(); }
    std::vector<std::uint8_t>& bytes() { return bytes_; }

private:
    void append_little_endian(std::uint64_t value, int width) {
        for (int i = 0; i < width; ++i) bytes_.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
    }

    std::vector<std::uint8_t> bytes_;
};

// Reads little-endian fields from a fixed buffer. Reading past the end throws fcnet::Error
// "<source>: <region> is shorter than its fields: <field> at offset N needs K bytes, M remain".
class ByteReader {
public:
    // `source` names the bytes for messages (a path), `region` the part being read ("payload").
    ByteReader(const std::uint8_t* data, std::size_t size, std::string source, std::string region)
        : data_(data), size_(size), source_(std::move(source)), region_(std::move(region)) {}

    std::uint8_t u8(const std::string& field) { return static_cast<std::uint8_t>(little_endian(field, 1)); }
    std::uint16_t u16(const std::string& field) { return static_cast<std::uint16_t>(little_endian(field, 2)); }
    std::uint32_t u32(const std::string& field) { return static_cast<std::uint32_t>(little_endian(field, 4)); }
    std::uint64_t u64(const std::string& field) { return little_endian(field, 8); }
    float f32(const std::string& field) {
        const std::uint32_t bits = u32(field);
        float value;
        std::memcpy(&value, &bits, sizeof value);
        return value;
    }
    void f32_array(float* values, std::size_t count, const std::string& field) {
        require(field, count, 4);
        for (std::size_t i = 0; i < count; ++i) {
            const std::uint8_t* p = data_ + offset_ + 4 * i;
            const std::uint32_t bits = std::uint32_t(p[0]) | std::uint32_t(p[1]) << 8 |
                                       std::uint32_t(p[2]) << 16 | std::uint32_t(p[3]) << 24;
            std::memcpy(&values[i], &bits, sizeof bits);
        }
        offset_ += 4 * count;
    }
    // `count` bytes as they are (one bounds check for a whole array).
    const std::uint8_t* bytes(std::size_t count, const std::string& field) {
        require(field, count, 1);
        const std::uint8_t* start = data_ + offset_;
        offset_ += count;
        return start;
    }
    // A u32 byte length, then that many bytes.
    std::string string(const std::string& field) {
        const std::uint32_t length = u32(field + " length");
        require(field, length, 1);
        std::string text(reinterpret_cast<const char*>(data_ + offset_), length);
        offset_ += length;
        return text;
    }

    std::size_t offset() const { return offset_; }
    std::size_t remaining() const { return size_ - offset_; }

    // Throws fcnet::Error("<source>: <problem>").
    [[noreturn]] void fail(const std::string& problem) const { throw Error(source_ + ": " + problem); }

private:
    // Throws unless `count` items of `item_size` bytes remain (without overflowing).
    void require(const std::string& field, std::uint64_t count, std::size_t item_size) const {
        if (count > remaining() / item_size) {
            fail(region_ + " is shorter than its fields: " + field + " at offset " + std::to_string(offset_) +
                 " needs " + std::to_string(count) + (item_size == 1 ? "" : " x " + std::to_string(item_size)) +
                 " bytes, " + std::to_string(remaining()) + " remain");
        }
    }
    std::uint64_t little_endian(const std::string& field, int width) {
        require(field, static_cast<std::uint64_t>(width), 1);
        std::uint64_t value = 0;
        for (int i = 0; i < width; ++i) value |= std::uint64_t(data_[offset_ + std::size_t(i)]) << (8 * i);
        offset_ += static_cast<std::size_t>(width);
        return value;
    }

    const std::uint8_t* data_;
    std::size_t size_;
    std::size_t offset_ = 0;
    std::string source_;
    std::string region_;
};

}  // namespace fcnet
