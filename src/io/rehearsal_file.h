// Reading and writing rehearsal samples: the few original training digits fine-tuning keeps practising on.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "data/dataset.h"

namespace fcnet {

// A rehearsal file (docs/finetune.md): a header, then zlib-compressed labels (one byte each)
// and 28x28 pixels (one byte each, value / 255), sample after sample.
constexpr std::uint32_t kRehearsalFormatVersion = 1;
constexpr std::size_t kRehearsalHeaderSize = 32;
constexpr std::uint32_t kMaxRehearsalSamples = 100'000;

// Pixels are stored rounded to 1/255 (MNIST's own precision). Throws fcnet::Error if the data
// is empty, not 784 wide, larger than kMaxRehearsalSamples or has labels outside [0, 255].
std::vector<std::uint8_t> serialize_rehearsal(const Dataset& sample);
// `source` names the bytes in messages. Throws fcnet::Error naming it and the problem for any
// bytes that are not a whole, uncorrupted rehearsal file of this version.
Dataset deserialize_rehearsal(const std::uint8_t* bytes, std::size_t size, const std::string& source);

void save_rehearsal(const std::string& path, const Dataset& sample);
Dataset load_rehearsal(const std::string& path);

}  // namespace fcnet
