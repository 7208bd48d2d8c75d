// The "not a digit" class: generated non-digits added to a digit dataset's train and validation parts.
#include "cli/nondigit_class.h"

#include <cmath>
#include <string>
#include <vector>

#include "core/error.h"
#include "data/nondigits.h"
#include "data/split.h"
#include "preprocess/digit_image.h"
#include "preprocess/digit_prediction.h"

namespace fcnet::cli {

namespace {

// Appends the rows of `extra` to `data` (same feature count).
void append(Dataset& data, const Dataset& extra) {
    Matrix features(data.size() + extra.size(), data.feature_count());  // (n + m) x features
    features << data.features, extra.features;
    data.features = std::move(features);
    data.labels.insert(data.labels.end(), extra.labels.begin(), extra.labels.end());
}

std::vector<int> range(int begin, int end) {
    std::vector<int> rows;
    for (int i = begin; i < end; ++i) rows.push_back(i);
    return rows;
}

}  // namespace

void add_nondigit_class(DataParts& parts, int count, std::uint64_t seed) {
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

    const Dataset generated = make_nondigit_set(count, seed, label);
    const int digits = parts.train.size() + parts.validation.size();
    const int to_validation =
        digits > 0 ? static_cast<int>(std::lround(double(count) * parts.validation.size() / digits)) : 0;
    append(parts.train, take_rows(generated, range(0, count - to_validation)));
    append(parts.validation, take_rows(generated, range(count - to_validation, count)));
    for (Dataset* part : {&parts.train, &parts.validation, &parts.test}) {
        part->classes = label + 1;
        part->class_names = names;
    }
}

}  // namespace fcnet::cli
