// Reading and writing rehearsal samples: the few original training digits (and pen paths) fine-tuning keeps practising on.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/finetune.h"
#include "data/dataset.h"

namespace fcnet {

// A rehearsal file (docs/finetune.md): a header, then, zlib-compressed, every sample's label (a
// byte), then every sample's 28x28 pixels (a byte each: value = byte / 255); from version 2, then
// every pen path's label, then every path's features (a byte each: value = byte / 127 - 1, in
// [-1, 1]). Version 1 files (no paths) still read.
constexpr std::uint32_t kRehearsalFormatVersion = 2;
constexpr std::size_t kRehearsalHeaderSize = 40;  // version 1: 32 (no path counts)
constexpr std::uint32_t kMaxRehearsalSamples = 100'000;
constexpr std::uint32_t kMaxRehearsalPathFeatures = 1024;

// Pixels are stored rounded to 1/255 (MNIST's own precision), path features to 1/127. Throws
// fcnet::Error if the images are empty, not 784 wide, more than kMaxRehearsalSamples or have
// labels outside [0, 255], or the paths are more than that, wider than kMaxRehearsalPathFeatures,
// do not have one label a row, or have labels outside [0, 255].
std::vector<std::uint8_t> serialize_rehearsal(const Dataset& images, const PathRehearsal& paths = {});
// `source` names the bytes in messages. Throws fcnet::Error naming it and the problem for any
// bytes that are not a whole, uncorrupted rehearsal file of version 1 or 2.
RehearsalSample deserialize_rehearsal(const std::uint8_t* bytes, std::size_t size, const std::string& source);

void save_rehearsal(const std::string& path, const Dataset& images, const PathRehearsal& paths = {});
RehearsalSample load_rehearsal(const std::string& path);

}  // namespace fcnet
