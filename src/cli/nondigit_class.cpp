// The "not a digit" class: generated non-digits, and images from another dataset, added to a
// digit dataset's train and validation parts.
#include "cli/nondigit_class.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/large_matrix.h"
#include "data/load.h"
#include "data/nondigits.h"
#include "data/split.h"
#include "preprocess/digit_image.h"
#include "preprocess/digit_prediction.h"

namespace fcnet::cli {

namespace {

std::vector<int> range(int begin, int end) {
    std::vector<int> rows(std::max(0, end - begin));
    std::iota(rows.begin(), rows.end(), begin);
    return rows;
}

// `count` training images of `images.path`, drawn with `seed`, preprocessed like drawings,
// all labelled `label`; images that preprocess to "empty" are left out.
Dataset nondigit_images(const NondigitImages& images, std::uint64_t seed, int label) {
    if (images.count < 0) {
        throw Error("--nondigit-image-count must not be negative (got " + std::to_string(images.count) + ")");
    }
    Dataset source = load_data(images.path).train;
    if (source.feature_count() != kDigitPixels) {
        throw Error("--nondigit-images " + images.path + ": " + std::to_string(source.feature_count()) +
                    " pixels per image, expected 28x28 = 784");
    }
    if (source.size() < images.count) {
        throw Error("--nondigit-images " + images.path + ": holds " + std::to_string(source.size()) +
                    " training images, fewer than the " + std::to_string(images.count) + " asked for");
    }
    const std::vector<int> order = nondigit_image_order(source.size(), seed);
    Dataset picked;
    picked.features = large_matrix(images.count, kDigitPixels);  // count x 784, the non-empty ones first
    int kept = 0;
    for (int i = 0; i < images.count; ++i) {
        const DigitImage image = preprocess_drawing(source.features.row(order[i]).data(), kDigitSide, kDigitSide);
        if (image.empty) continue;
        std::copy(image.pixels.begin(), image.pixels.end(), picked.features.row(kept++).data());
    }
    picked.features.conservativeResize(kept, kDigitPixels);
    picked.labels.assign(kept, label);
    return picked;
}

// Appends `extra` to train and validation: its last `to_validation` rows go to validation.
void share_out(DataParts& parts, const Dataset& extra, int to_validation) {
    if (extra.size() == 0) return;
    append_samples(parts.train, take_rows(extra, range(0, extra.size() - to_validation)));
    append_samples(parts.validation, take_rows(extra, range(extra.size() - to_validation, extra.size())));
}

}  // namespace

std::vector<int> nondigit_image_order(int images, std::uint64_t seed) {
    std::vector<int> order = range(0, images);
    std::shuffle(order.begin(), order.end(), std::mt19937_64(seed));
    return order;
}

void add_nondigit_class(DataParts& parts, int count, std::uint64_t seed, const NondigitImages& images) {
    if (count < 0) throw Error("--nondigits must not be negative (got " + std::to_string(count) + ")");
    if (parts.train.feature_count() != kDigitPixels) {
        throw Error("--nondigits adds 28x28 images, but the data has " + std::to_string(parts.train.feature_count()) +
                    " features per sample");
    }
    const int label = parts.train.classes;
    std::vector<std::string> names = parts.train.class_names;
    if (names.empty()) {
        for (int c = 0; c < label; ++c) names.push_back(std::to_string(c));
    }
    names.push_back(kNotADigitClass);

    // Each source goes to validation in the proportion of the digits there.
    const int digits = parts.train.size() + parts.validation.size();
    const double validation_share = digits > 0 ? double(parts.validation.size()) / digits : 0.0;
    const auto to_validation = [&](const Dataset& extra) {
        return static_cast<int>(std::lround(extra.size() * validation_share));
    };
    const Dataset generated = make_nondigit_set(count, seed, label);
    const Dataset pictures = images.count > 0 ? nondigit_images(images, seed, label) : Dataset{};
    share_out(parts, generated, to_validation(generated));
    share_out(parts, pictures, to_validation(pictures));
    for (Dataset* part : {&parts.train, &parts.validation, &parts.test}) {
        part->classes = label + 1;
        part->class_names = names;
    }
}

}  // namespace fcnet::cli
