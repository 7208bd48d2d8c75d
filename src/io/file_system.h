// Whole-file reads and crash-safe whole-file writes (POSIX; the browser's in-memory file system under Emscripten).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace fcnet {

// Reads all of `path`. Throws fcnet::Error naming the path and the OS reason when it cannot
// be opened or read, or when it is larger than `max_size` bytes (checked before reading).
std::vector<std::uint8_t> read_binary_file(const std::string& path, std::uint64_t max_size);

// Writes `size` bytes to a new temporary file next to `path` (path + ".tmp-<pid>-<random>"),
// flushes it to disk, then renames it over `path`: a crash leaves the old file or the new
// one, never a mix. On failure the temporary is removed, `path` is untouched, and
// fcnet::Error names the path and the OS reason. Each save first removes the temporaries of
// earlier saves to `path` whose process has ended (killed before its rename).
void write_file_atomically(const std::string& path, const std::uint8_t* data, std::size_t size);

}  // namespace fcnet
