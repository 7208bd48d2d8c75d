// The "not a digit" class: generated non-digits, and images from another dataset, added to a
// digit dataset's train and validation parts.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cli/data_parts.h"

namespace fcnet::cli {

// Pictures of things that are not digits taken from another dataset's training images, such
// as Fashion-MNIST's (outlier exposure, Hendrycks et al. 2019). Its test images stay unseen.
struct NondigitImages {
    std::string path;  // anything load_data reads; only its train part is used
    int count = 0;     // how many, drawn at random without repeats; 0: none
};

// The order in which add_nondigit_class draws from `images` training images with `seed`: it
// takes the first images.count, so the rest are pictures the model never trained on.
std::vector<int> nondigit_image_order(int images, std::uint64_t seed);

// Adds `count` generated non-digits (make_nondigit_set with `seed`) and `images.count` images of
// `images.path` (drawn with `seed`, each through preprocess_drawing as a drawing would be; empty
// ones are dropped) as a new last class named kNotADigitClass ("not a digit",
// preprocess/digit_prediction.h): the digits keep their labels and get the names "0", "1", ...
// when they had none. Each source is shared between train and validation in the proportion of
// those parts' sizes; the test part keeps only digits (it measures digit accuracy) but counts
// the new class too. Throws fcnet::Error if the data or the images are not 28x28, a count is
// negative, or the image dataset has fewer than images.count images.
void add_nondigit_class(DataParts& parts, int count, std::uint64_t seed, const NondigitImages& images = {});

}  // namespace fcnet::cli
