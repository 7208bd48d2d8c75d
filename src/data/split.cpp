// Train/validation/test splits (plain or stratified), row selection and one-hot labels.
#include "data/split.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>
#include <random>
#include <sstream>
#include <string>

#include "core/error.h"
#include "core/large_matrix.h"

namespace fcnet {
namespace {

constexpr std::array<const char*, 3> part_names = {"train", "validation", "test"};
using PartCounts = std::array<int, 3>;  // train, validation, test

// A uniform integer in [0, bound), by rejection from 64 random bits. std::uniform_int_distribution
// differs between standard libraries; this does not.
std::uint64_t uniform_below(std::mt19937_64& random, std::uint64_t bound) {
    // 2^64 mod bound: accepting only draws at or above it leaves a multiple of bound values.
    const std::uint64_t threshold = (0 - bound) % bound;
    while (true) {
        const std::uint64_t draw = random();
        if (draw >= threshold) return draw % bound;
    }
}

// Fisher-Yates shuffle, the same on every platform for the same random state.
void shuffle(std::vector<int>& items, std::mt19937_64& random) {
    for (std::size_t i = items.size(); i > 1; --i) {
        std::swap(items[i - 1], items[uniform_below(random, i)]);
    }
}

std::string describe(const Dataset& data) {
    return data.name.empty() ? std::string("dataset") : "dataset \"" + data.name + "\"";
}

[[noreturn]] void fail_split(const Dataset& data, const std::string& problem) {
    throw Error("split of " + describe(data) + ": " + problem);
}

std::string number_text(double value) {
    std::ostringstream text;
    text << value;
    return text.str();
}

// Turns SplitSizes into sample counts for a dataset of `total` samples (see SplitSizes).
PartCounts part_counts(const SplitSizes& sizes, int total, const Dataset& data) {
    const std::array<double, 3> requested = {sizes.train, sizes.validation, sizes.test};
    PartCounts counts{};
    int rest_part = -1;
    double fractions_so_far = 0.0;
    long long fraction_samples_so_far = 0;
    long long used = 0;
    for (std::size_t part = 0; part < requested.size(); ++part) {
        const double size = requested[part];
        const std::string what =
            std::string("the ") + part_names[part] + " size " + number_text(size);
        if (size == SplitSizes::rest) {
            if (rest_part >= 0) {
                fail_split(data, std::string("both ") + part_names[rest_part] + " and " +
                                     part_names[part] + " ask for the rest; at most one part may");
            }
            rest_part = static_cast<int>(part);
            continue;
        }
        if (!(size >= 0.0)) {
            fail_split(data, what + " is invalid: use 0, a fraction in (0, 1), a count or rest");
        }
        if (size > 0.0 && size < 1.0) {
            // Rounding the running total keeps fractions that add up to <= 1 within the data.
            fractions_so_far += size;
            const long long fraction_samples = std::llround(fractions_so_far * total);
            counts[part] = static_cast<int>(fraction_samples - fraction_samples_so_far);
            fraction_samples_so_far = fraction_samples;
        } else {
            if (size != std::floor(size)) {
                fail_split(data, what + " is neither a fraction below 1 nor a whole count");
            }
            if (size > total) {
                fail_split(data, what + " asks for more samples than the " + std::to_string(total) +
                                     " it has");
            }
            counts[part] = static_cast<int>(size);
        }
        used += counts[part];
    }
    if (used > total) {
        fail_split(data, "the sizes ask for " + std::to_string(used) + " samples (train " +
                             std::to_string(counts[0]) + ", validation " +
                             std::to_string(counts[1]) + ", test " + std::to_string(counts[2]) +
                             "), more than the " + std::to_string(total) + " it has");
    }
    if (rest_part >= 0) counts[rest_part] = static_cast<int>(total - used);
    return counts;
}

// Shuffles everything once and cuts the parts from the permutation in order.
std::array<std::vector<int>, 3> plain_parts(int total, const PartCounts& counts,
                                            std::mt19937_64& random) {
    std::vector<int> order(static_cast<std::size_t>(total));
    std::iota(order.begin(), order.end(), 0);
    shuffle(order, random);
    std::array<std::vector<int>, 3> parts;
    auto next = order.begin();
    for (std::size_t part = 0; part < parts.size(); ++part) {
        parts[part].assign(next, next + counts[part]);
        next += counts[part];
    }
    return parts;
}

// Shuffles each class, then gives each part, in order, a share of every class proportional to
// what that class has left: class c gets floor(count * left[c] / left_total), and the samples
// still missing go one each to the classes with the largest remainders (ties: lower class).
// Every share fits, since a class only gains a sample when its exact share is not whole.
std::array<std::vector<int>, 3> stratified_parts(const Dataset& data, const PartCounts& counts,
                                                 std::mt19937_64& random) {
    const int classes = *std::max_element(data.labels.begin(), data.labels.end()) + 1;
    std::vector<std::vector<int>> by_class(static_cast<std::size_t>(classes));
    for (int row = 0; row < data.size(); ++row) by_class[data.labels[row]].push_back(row);
    for (std::vector<int>& rows : by_class) shuffle(rows, random);

    std::vector<long long> left(by_class.size()), remainder(by_class.size());
    std::vector<std::size_t> taken(by_class.size(), 0);
    for (std::size_t c = 0; c < by_class.size(); ++c) {
        left[c] = static_cast<long long>(by_class[c].size());
    }
    long long left_total = data.size();

    std::array<std::vector<int>, 3> parts;
    for (std::size_t part = 0; part < parts.size(); ++part) {
        const long long count = counts[part];
        if (count == 0) continue;
        std::vector<long long> share(by_class.size());
        long long missing = count;
        for (std::size_t c = 0; c < by_class.size(); ++c) {
            share[c] = count * left[c] / left_total;
            remainder[c] = count * left[c] % left_total;
            missing -= share[c];
        }
        std::vector<std::size_t> by_remainder(by_class.size());
        std::iota(by_remainder.begin(), by_remainder.end(), 0);
        std::stable_sort(by_remainder.begin(), by_remainder.end(),
                         [&](std::size_t a, std::size_t b) { return remainder[a] > remainder[b]; });
        for (long long i = 0; i < missing; ++i) ++share[by_remainder[static_cast<std::size_t>(i)]];

        for (std::size_t c = 0; c < by_class.size(); ++c) {
            const auto first = by_class[c].begin() + static_cast<std::ptrdiff_t>(taken[c]);
            parts[part].insert(parts[part].end(), first, first + share[c]);
            taken[c] += static_cast<std::size_t>(share[c]);
            left[c] -= share[c];
        }
        left_total -= count;
        shuffle(parts[part], random);  // interleave the classes
    }
    return parts;
}

// Makes `data` the given distinct rows of itself, in that order, moving each row once within
// its own memory (the rows in the order wanted, then the rest, form a permutation; each of its
// cycles is followed with one spare row), then drops the rest.
void keep_rows(Dataset& data, const std::vector<int>& rows) {
    const int total = data.size();
    std::vector<int> order(rows);  // order[i]: the row that ends up at i
    std::vector<bool> used(static_cast<std::size_t>(total), false);
    for (const int row : rows) used[static_cast<std::size_t>(row)] = true;
    for (int row = 0; row < total; ++row) {
        if (!used[static_cast<std::size_t>(row)]) order.push_back(row);
    }
    RowVector spare;  // 1 x features
    std::vector<int> labels(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) labels[i] = data.labels[static_cast<std::size_t>(rows[i])];
    std::vector<bool> placed(static_cast<std::size_t>(total), false);
    for (int start = 0; start < total; ++start) {
        if (placed[static_cast<std::size_t>(start)]) continue;
        spare = data.features.row(start);
        int at = start;
        while (true) {
            placed[static_cast<std::size_t>(at)] = true;
            const int from = order[static_cast<std::size_t>(at)];
            if (from == start) {
                data.features.row(at) = spare;
                break;
            }
            data.features.row(at) = data.features.row(from);
            at = from;
        }
    }
    data.features.conservativeResize(static_cast<Eigen::Index>(rows.size()), data.features.cols());
    data.labels = std::move(labels);
}

}  // namespace

Split split_dataset(Dataset data, const SplitSizes& sizes, std::uint64_t seed, bool stratified) {
    if (static_cast<std::size_t>(data.features.rows()) != data.labels.size()) {
        fail_split(data, std::to_string(data.features.rows()) + " feature rows but " +
                             std::to_string(data.labels.size()) + " labels");
    }
    if (std::any_of(data.labels.begin(), data.labels.end(), [](int label) { return label < 0; })) {
        fail_split(data, "holds a negative label");
    }
    const PartCounts counts = part_counts(sizes, data.size(), data);
    std::mt19937_64 random(seed);
    const std::array<std::vector<int>, 3> rows = stratified && data.size() > 0
                                                     ? stratified_parts(data, counts, random)
                                                     : plain_parts(data.size(), counts, random);
    const auto part_name = [name = data.name](const std::string& part) {
        return name.empty() ? part : name + " (" + part + ")";
    };
    Split split;
    split.validation = take_rows(data, rows[1]);
    split.test = take_rows(data, rows[2]);
    keep_rows(data, rows[0]);  // in place: the largest part is not copied
    split.train = std::move(data);
    split.train.name = part_name("train");
    split.validation.name = part_name("validation");
    split.test.name = part_name("test");
    return split;
}

Dataset take_rows(const Dataset& data, const std::vector<int>& rows) {
    Dataset result;
    result.features = large_matrix(static_cast<Eigen::Index>(rows.size()), data.features.cols());
    result.labels.reserve(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const int row = rows[i];
        if (row < 0 || row >= data.size() || row >= data.features.rows()) {
            throw Error("take_rows from " + describe(data) + ": row " + std::to_string(row) +
                        " is out of range (it has " + std::to_string(data.size()) + " samples)");
        }
        result.features.row(static_cast<Eigen::Index>(i)) = data.features.row(row);
        result.labels.push_back(data.labels[static_cast<std::size_t>(row)]);
    }
    result.classes = data.classes;
    result.class_names = data.class_names;
    result.name = data.name;
    return result;
}

void append_samples(Dataset& data, const Dataset& extra) {
    if (extra.size() == 0) return;
    if (data.size() > 0 && data.feature_count() != extra.feature_count()) {
        throw Error("append_samples: " + describe(extra) + " has " + std::to_string(extra.feature_count()) +
                    " features, " + describe(data) + " has " + std::to_string(data.feature_count()));
    }
    Matrix features = large_matrix(data.size() + extra.size(), extra.feature_count());  // (n + m) x features
    if (data.size() > 0) features.topRows(data.size()) = data.features.topRows(data.size());
    features.bottomRows(extra.size()) = extra.features.topRows(extra.size());
    data.features = std::move(features);
    data.labels.insert(data.labels.end(), extra.labels.begin(), extra.labels.end());
}

Matrix one_hot(const std::vector<int>& labels, int classes) {
    if (classes < 0) throw Error("one_hot: negative class count " + std::to_string(classes));
    Matrix encoded = Matrix::Zero(static_cast<Eigen::Index>(labels.size()), classes);
    for (std::size_t i = 0; i < labels.size(); ++i) {
        const int label = labels[i];
        if (label < 0 || label >= classes) {
            throw Error("one_hot: label " + std::to_string(label) + " at index " +
                        std::to_string(i) + " is outside [0, " + std::to_string(classes) + ")");
        }
        encoded(static_cast<Eigen::Index>(i), label) = 1.0f;
    }
    return encoded;
}

}  // namespace fcnet
