// Helpers shared by the libFuzzer targets: an in-memory file for readers that take a path,
// and a cursor that takes parameters from the front of the fuzzer's input.
#pragma once

#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

namespace fcnet_fuzz {

// One anonymous in-memory file (memfd) per process, rewritten for every input; path() names it
// as /proc/self/fd/N, which every reader opens like a regular file. No disk traffic, no cleanup.
class MemoryFile {
public:
    MemoryFile() : fd_(memfd_create("fcnet-fuzz", 0)) {
        if (fd_ < 0) std::abort();
        path_ = "/proc/self/fd/" + std::to_string(fd_);
    }
    const std::string& write(const std::uint8_t* data, std::size_t size) {
        if (ftruncate(fd_, 0) != 0) std::abort();
        std::size_t done = 0;
        while (done < size) {
            const ssize_t wrote = pwrite(fd_, data + done, size - done, static_cast<off_t>(done));
            if (wrote <= 0) std::abort();
            done += static_cast<std::size_t>(wrote);
        }
        return path_;
    }

private:
    int fd_;
    std::string path_;
};

// Takes bytes off the front of the input; past the end it yields zeros.
class Cursor {
public:
    Cursor(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
    std::uint8_t byte() { return size_ > 0 ? (--size_, *data_++) : 0; }
    std::uint16_t u16() { return static_cast<std::uint16_t>(byte() | byte() << 8); }
    float f32() {
        std::uint32_t bits = 0;
        for (int i = 0; i < 4; ++i) bits |= std::uint32_t{byte()} << (8 * i);
        float value;
        std::memcpy(&value, &bits, sizeof value);
        return value;
    }
    const std::uint8_t* rest() const { return data_; }
    std::size_t rest_size() const { return size_; }

private:
    const std::uint8_t* data_;
    std::size_t size_;
};

}  // namespace fcnet_fuzz
