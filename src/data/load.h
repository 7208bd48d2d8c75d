// One entry point that finds and reads a dataset: an MNIST-style IDX folder or CSV files.
#pragma once

#include <string>

#include "data/dataset.h"

namespace fcnet {

struct LoadedData {
    Dataset train;
    Dataset test;  // empty unless has_test
    bool has_test = false;
};

// Reads the dataset at `path`, which is one of:
//   - a folder with MNIST-style IDX files, each raw or with ".gz":
//       train-images-idx3-ubyte, train-labels-idx1-ubyte   (required)
//       t10k-images-idx3-ubyte,  t10k-labels-idx1-ubyte    (optional: the test part)
//     named "mnist-like IDX in <folder> (train)" and "... (test)";
//   - a folder with train.csv and optionally test.csv (see read_csv);
//   - a single .csv file, returned as `train`.
// When there is a test part, both parts get the larger of their class counts, and their
// feature counts must match. Class names are left empty: the files do not hold them.
// Throws fcnet::Error naming the path and listing what was looked for if nothing fits,
// or if a test part has only one of its two IDX files.
LoadedData load_data(const std::string& path);

}  // namespace fcnet
