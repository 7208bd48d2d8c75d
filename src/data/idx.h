// Readers for MNIST-style IDX files (uint8 images and labels, raw or gzip-compressed).
#pragma once

#include <string>
#include <vector>

#include "core/tensor.h"
#include "data/dataset.h"

namespace fcnet {

// Reads an IDX3 file of uint8 images (magic 0x00000803: count, rows, cols, then pixels).
// Returns count x (rows * cols), one image per row in row-major pixel order, scaled to
// [0, 1] as value / 255. The file may be raw or gzip-compressed.
// Throws fcnet::Error naming the file if it is missing, empty, has another magic number,
// is shorter or longer than its header says, holds no images, or declares absurd sizes
// (more than 1M pixels per image or 100M pixels in all). Memory grows with the bytes
// actually read, never with what a header claims.
Matrix read_idx_images(const std::string& path);

// Reads an IDX1 file of uint8 labels (magic 0x00000801: count, then one byte per label).
// Same errors as read_idx_images (at most 100M labels).
std::vector<int> read_idx_labels(const std::string& path);

// Reads an image file and its label file into one dataset called `name`, with
// classes = largest label + 1 and no class names. Throws fcnet::Error naming both files
// if their counts differ.
Dataset load_idx_pair(const std::string& images_path, const std::string& labels_path,
                      const std::string& name);

}  // namespace fcnet
