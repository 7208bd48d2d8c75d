// Specification of dataset splits (sizes, determinism, stratification), take_rows and one_hot.
#include <catch2/catch.hpp>
#include <algorithm>
#include <numeric>
#include <set>
#include <vector>

#include "data/split.h"
#include "support/test_support.h"

using Catch::Matchers::Contains;
using fcnet::SplitSizes;

namespace {

// `count` samples with labels from `labels_by_row` (cycled); feature 0 of row i is i, so
// every sample can be traced back to its row.
fcnet::Dataset numbered_dataset(int count, const std::vector<int>& labels_by_row) {
    fcnet::Dataset data;
    data.features.resize(count, 2);
    for (int row = 0; row < count; ++row) {
        data.features(row, 0) = static_cast<float>(row);
        data.features(row, 1) = 0.5f;
        data.labels.push_back(labels_by_row[static_cast<std::size_t>(row) % labels_by_row.size()]);
    }
    data.classes = *std::max_element(data.labels.begin(), data.labels.end()) + 1;
    data.class_names = std::vector<std::string>(static_cast<std::size_t>(data.classes), "name");
    data.name = "numbers";
    return data;
}

std::vector<int> original_rows(const fcnet::Dataset& part) {
    std::vector<int> rows;
    for (int i = 0; i < part.size(); ++i) rows.push_back(static_cast<int>(part.features(i, 0)));
    return rows;
}

int count_label(const fcnet::Dataset& part, int label) {
    return static_cast<int>(std::count(part.labels.begin(), part.labels.end(), label));
}

}  // namespace

TEST_CASE("whole numbers are sample counts and unused samples are left out") {
    const fcnet::Dataset data = numbered_dataset(100, {0, 1});

    const fcnet::Split split = fcnet::split_dataset(data, SplitSizes{30, 20, 10}, 1, false);

    CHECK(split.train.size() == 30);
    CHECK(split.validation.size() == 20);
    CHECK(split.test.size() == 10);
}

TEST_CASE("values in (0, 1) are fractions of the whole dataset") {
    const fcnet::Dataset data = numbered_dataset(1000, {0, 1, 2});

    const fcnet::Split split = fcnet::split_dataset(data, SplitSizes{0.7, 0.2, 0.1}, 1, false);

    CHECK(split.train.size() == 700);
    CHECK(split.validation.size() == 200);
    CHECK(split.test.size() == 100);
}

TEST_CASE("fractions that add up to 1 always fit, however they round") {
    const fcnet::Dataset data = numbered_dataset(15, {0, 1});

    const fcnet::Split split = fcnet::split_dataset(data, SplitSizes{0.5, 0.25, 0.25}, 1, false);

    CHECK(split.train.size() + split.validation.size() + split.test.size() == 15);
}

TEST_CASE("the part sized `rest` gets what the others leave, and 0 means none") {
    const fcnet::Dataset data = numbered_dataset(100, {0, 1});

    const fcnet::Split default_sizes = fcnet::split_dataset(data, SplitSizes{}, 1, false);
    CHECK(default_sizes.train.size() == 100);
    CHECK(default_sizes.validation.size() == 0);
    CHECK(default_sizes.test.size() == 0);

    const fcnet::Split rest_in_test =
        fcnet::split_dataset(data, SplitSizes{50, 0.1, SplitSizes::rest}, 1, false);
    CHECK(rest_in_test.train.size() == 50);
    CHECK(rest_in_test.validation.size() == 10);
    CHECK(rest_in_test.test.size() == 40);
}

TEST_CASE("the parts are disjoint, keep classes and class names, and name their part") {
    const fcnet::Dataset data = numbered_dataset(60, {0, 1, 2});

    const fcnet::Split split =
        fcnet::split_dataset(data, SplitSizes{SplitSizes::rest, 10, 10}, 3, false);

    std::vector<int> rows;
    for (const fcnet::Dataset* part : {&split.train, &split.validation, &split.test}) {
        const std::vector<int> part_rows = original_rows(*part);
        rows.insert(rows.end(), part_rows.begin(), part_rows.end());
        for (int i = 0; i < part->size(); ++i) {
            CHECK(part->labels[i] == data.labels[part_rows[i]]);  // labels travel with features
        }
        CHECK(part->classes == 3);
        CHECK(part->class_names == data.class_names);
    }
    std::sort(rows.begin(), rows.end());
    std::vector<int> every_row(60);
    std::iota(every_row.begin(), every_row.end(), 0);
    CHECK(rows == every_row);
    CHECK(split.train.name == "numbers (train)");
    CHECK(split.validation.name == "numbers (validation)");
    CHECK(split.test.name == "numbers (test)");
}

TEST_CASE("the same seed gives the same split; another seed gives another") {
    const fcnet::Dataset data = numbered_dataset(200, {0, 1, 2, 3});
    const SplitSizes sizes{SplitSizes::rest, 0.2, 0.2};

    for (const bool stratified : {false, true}) {
        const fcnet::Split first = fcnet::split_dataset(data, sizes, 42, stratified);
        const fcnet::Split again = fcnet::split_dataset(data, sizes, 42, stratified);
        const fcnet::Split other = fcnet::split_dataset(data, sizes, 43, stratified);
        CHECK(original_rows(first.train) == original_rows(again.train));
        CHECK(original_rows(first.validation) == original_rows(again.validation));
        CHECK(original_rows(first.test) == original_rows(again.test));
        CHECK(original_rows(first.validation) != original_rows(other.validation));
    }
}

TEST_CASE("every part's samples keep their own labels and features, whether the train part is all rows or some") {
    const std::vector<int> labels_by_row{3, 1, 4, 1, 5, 9, 2, 6};
    const fcnet::Dataset data = numbered_dataset(250, labels_by_row);
    for (const SplitSizes& sizes : {SplitSizes{SplitSizes::rest, 0, 0}, SplitSizes{0.6, 0.2, 0.1},
                                    SplitSizes{SplitSizes::rest, 30, 20}}) {
        for (const bool stratified : {false, true}) {
            fcnet::Dataset moved = data;  // split from a temporary: the train part reuses its memory
            const fcnet::Split split = fcnet::split_dataset(std::move(moved), sizes, 5, stratified);
            std::set<int> seen;
            for (const fcnet::Dataset* part : {&split.train, &split.validation, &split.test}) {
                REQUIRE(part->features.rows() == part->size());
                for (int i = 0; i < part->size(); ++i) {
                    const int row = static_cast<int>(part->features(i, 0));
                    CHECK(part->labels[static_cast<std::size_t>(i)] ==
                          labels_by_row[static_cast<std::size_t>(row) % labels_by_row.size()]);
                    CHECK(part->features(i, 1) == 0.5f);
                    CHECK(seen.insert(row).second);  // no sample twice
                }
            }
            CHECK(original_rows(split.train) == original_rows(fcnet::split_dataset(data, sizes, 5, stratified).train));
        }
    }
}

TEST_CASE("the split shuffles: a part is not simply the first rows") {
    const fcnet::Dataset data = numbered_dataset(100, {0});
    const fcnet::Split split = fcnet::split_dataset(data, SplitSizes{10, 0, 0}, 7, false);
    std::vector<int> first_rows(10);
    std::iota(first_rows.begin(), first_rows.end(), 0);
    CHECK(original_rows(split.train) != first_rows);
}

TEST_CASE("a stratified split keeps the class proportions in every part exactly") {
    // 60 of class 0, 40 of class 1.
    const fcnet::Dataset data = numbered_dataset(100, {0, 0, 0, 1, 1});

    const fcnet::Split split =
        fcnet::split_dataset(data, SplitSizes{0.5, 0.3, SplitSizes::rest}, 9, true);

    CHECK(count_label(split.train, 0) == 30);
    CHECK(count_label(split.train, 1) == 20);
    CHECK(count_label(split.validation, 0) == 18);
    CHECK(count_label(split.validation, 1) == 12);
    CHECK(count_label(split.test, 0) == 12);
    CHECK(count_label(split.test, 1) == 8);
}

TEST_CASE("a stratified split rounds by largest remainder, so part sizes stay exact") {
    // 7 of class 0, 5 of class 1, 3 of class 2 (15 samples); a part of 4 ideally takes
    // 1.87, 1.33 and 0.8: floors 1, 1, 0 and the two largest remainders (0.87, 0.8) get one more.
    fcnet::Dataset data = numbered_dataset(15, {0});
    data.labels = {0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2, 2};
    data.classes = 3;

    const fcnet::Split split = fcnet::split_dataset(data, SplitSizes{4, 0, 0}, 5, true);

    CHECK(split.train.size() == 4);
    CHECK(count_label(split.train, 0) == 2);
    CHECK(count_label(split.train, 1) == 1);
    CHECK(count_label(split.train, 2) == 1);
}

TEST_CASE("sizes that ask for more than the dataset holds raise an fcnet::Error") {
    const fcnet::Dataset data = numbered_dataset(100, {0, 1});
    const auto split_error = [&](const SplitSizes& sizes) {
        return error_message([&] { fcnet::split_dataset(data, sizes, 1, false); });
    };

    CHECK_THAT(split_error({80, 30, 0}), Contains("numbers") && Contains("110") && Contains("100"));
    CHECK_THAT(split_error({0.9, 20, 0}), Contains("110"));
    CHECK_THAT(split_error({101, 0, 0}), Contains("101") && Contains("100"));
    CHECK_THAT(split_error({SplitSizes::rest, 0.8, 0.3}), Contains("more than"));
}

TEST_CASE("invalid sizes raise an fcnet::Error") {
    const fcnet::Dataset data = numbered_dataset(10, {0});
    const auto split_error = [&](const SplitSizes& sizes) {
        return error_message([&] { fcnet::split_dataset(data, sizes, 1, false); });
    };

    CHECK_THAT(split_error({SplitSizes::rest, SplitSizes::rest, 0}), Contains("rest"));
    CHECK_THAT(split_error({-2, 0, 0}), Contains("train") && Contains("invalid"));
    CHECK_THAT(split_error({2.5, 0, 0}), Contains("whole"));
}

TEST_CASE("take_rows picks rows in the given order, repeats allowed, and checks the range") {
    const fcnet::Dataset data = numbered_dataset(5, {0, 1, 2, 3, 4});

    const fcnet::Dataset picked = fcnet::take_rows(data, {4, 0, 4});

    CHECK(original_rows(picked) == std::vector<int>{4, 0, 4});
    CHECK(picked.labels == std::vector<int>{4, 0, 4});
    CHECK(picked.classes == 5);
    CHECK(picked.name == "numbers");
    CHECK_THAT(error_message([&] { fcnet::take_rows(data, {1, 5}); }),
               Contains("numbers") && Contains("row 5") && Contains("out of range"));
}

TEST_CASE("one_hot puts a single 1 in each label's column") {
    const fcnet::Matrix encoded = fcnet::one_hot({2, 0, 1}, 3);

    fcnet::Matrix expected(3, 3);
    expected << 0, 0, 1,
                1, 0, 0,
                0, 1, 0;
    CHECK(encoded == expected);
    CHECK_THAT(error_message([] { fcnet::one_hot({0, 3}, 3); }),
               Contains("label 3") && Contains("[0, 3)"));
}
