// Specification of the CSV reader: header detection, label column, scaling, errors by line.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "data/csv.h"
#include "data/load.h"
#include "support/test_support.h"

using Catch::Matchers::Contains;

namespace {

std::string write_csv(const std::string& text) {
    const std::string path = make_temp_dir() + "/data.csv";
    write_file(path, text);
    return path;
}

std::string csv_error(const std::string& text, const fcnet::CsvOptions& options = {}) {
    const std::string path = write_csv(text);
    const std::string message = error_message([&] { fcnet::read_csv(path, options); });
    CHECK_THAT(message, Contains(path));
    return message;
}

}  // namespace

TEST_CASE("a CSV file is read as label, then features, one sample per line") {
    const std::string path = write_csv("1,0.5,0.25\n0,1,0\n2,0,0.75\n");

    const fcnet::Dataset data = fcnet::read_csv(path);

    CHECK(data.labels == std::vector<int>{1, 0, 2});
    CHECK(data.classes == 3);
    REQUIRE(data.features.rows() == 3);
    REQUIRE(data.features.cols() == 2);
    CHECK(data.features(0, 0) == 0.5f);
    CHECK(data.features(0, 1) == 0.25f);
    CHECK(data.features(2, 1) == 0.75f);
    CHECK(data.name == path);
    CHECK(data.class_names.empty());
}

TEST_CASE("a first line with a non-numeric field is detected as a header and skipped") {
    const fcnet::Dataset with_header = fcnet::read_csv(write_csv("label,pixel0,pixel1\n1,0,1\n"));
    CHECK(with_header.size() == 1);
    CHECK(with_header.labels == std::vector<int>{1});

    const fcnet::Dataset without_header = fcnet::read_csv(write_csv("3,0,1\n1,1,0\n"));
    CHECK(without_header.size() == 2);
    CHECK(without_header.labels == std::vector<int>{3, 1});
}

TEST_CASE("the header can be forced present or absent") {
    fcnet::CsvOptions present;
    present.header = fcnet::CsvHeader::present;
    CHECK(fcnet::read_csv(write_csv("7,7,7\n1,0,1\n"), present).labels == std::vector<int>{1});

    fcnet::CsvOptions absent;
    absent.header = fcnet::CsvHeader::absent;
    CHECK_THAT(csv_error("label,x,y\n1,0,1\n", absent), Contains("line 1") && Contains("label"));
}

TEST_CASE("the label column can be in the middle or counted from the end") {
    const std::string path = write_csv("0.1,4,0.2\n0.3,2,0.4\n");
    fcnet::CsvOptions middle;
    middle.label_column = 1;

    const fcnet::Dataset data = fcnet::read_csv(path, middle);

    CHECK(data.labels == std::vector<int>{4, 2});
    CHECK(data.classes == 5);
    CHECK(data.features(0, 0) == 0.1f);
    CHECK(data.features(0, 1) == 0.2f);
    CHECK(data.features(1, 1) == 0.4f);

    fcnet::CsvOptions last;
    last.label_column = -1;
    const fcnet::Dataset from_end = fcnet::read_csv(write_csv("0.5,0.5,1\n0.5,0.5,0\n"), last);
    CHECK(from_end.labels == std::vector<int>{1, 0});
    CHECK(from_end.feature_count() == 2);
}

TEST_CASE("features are scaled automatically: [0, 1] kept, [0, 255] divided by 255, else kept") {
    const fcnet::Dataset unit = fcnet::read_csv(write_csv("0,0,0.5\n1,1,0.25\n"));
    CHECK(unit.features(0, 1) == 0.5f);
    CHECK(unit.features(1, 0) == 1.0f);

    const fcnet::Dataset pixels = fcnet::read_csv(write_csv("0,0,51\n1,255,102\n"));
    CHECK(pixels.features(0, 0) == 0.0f);
    CHECK(pixels.features(0, 1) == Approx(0.2f));
    CHECK(pixels.features(1, 0) == 1.0f);

    const fcnet::Dataset wide = fcnet::read_csv(write_csv("0,-3.5,300\n1,2,1000\n"));
    CHECK(wide.features(0, 0) == -3.5f);
    CHECK(wide.features(1, 1) == 1000.0f);

    fcnet::CsvOptions tenth;
    tenth.scale = 0.1f;
    const fcnet::Dataset scaled = fcnet::read_csv(write_csv("0,10,20\n"), tenth);
    CHECK(scaled.features(0, 0) == Approx(1.0f));
    CHECK(scaled.features(0, 1) == Approx(2.0f));
}

TEST_CASE("spaces around fields, CRLF line ends, blank lines and a '+' sign are accepted") {
    const fcnet::Dataset data =
        fcnet::read_csv(write_csv("a, b ,c\r\n 1 , 0.5,+0.25\r\n\r\n\n2,1,0\r\n"));
    CHECK(data.labels == std::vector<int>{1, 2});
    CHECK(data.features(0, 0) == 0.5f);
    CHECK(data.features(0, 1) == 0.25f);
}

TEST_CASE("malformed CSV files raise an fcnet::Error naming the file and the line") {
    SECTION("a ragged row") {
        CHECK_THAT(csv_error("1,0,1\n0,1,0\n2,1\n"), Contains("line 3") && Contains("ragged") &&
                                                         Contains("expected 3 fields, found 2"));
    }
    SECTION("a ragged row counts blank lines and the header in its line number") {
        CHECK_THAT(csv_error("label,x\n\n1,0\n1,0,0\n"),
                   Contains("line 4") && Contains("expected 2 fields, found 3"));
    }
    SECTION("a non-numeric feature") {
        CHECK_THAT(csv_error("1,0,1\n0,zero,0\n"),
                   Contains("line 2") && Contains("field 2") && Contains("non-numeric"));
    }
    SECTION("an empty feature") {
        CHECK_THAT(csv_error("1,0,1\n0,,0\n"), Contains("line 2") && Contains("non-numeric"));
    }
    SECTION("a negative label") {
        CHECK_THAT(csv_error("1,0,1\n-1,1,0\n"), Contains("line 2") && Contains("negative"));
    }
    SECTION("a label that is not an integer") {
        CHECK_THAT(csv_error("1,0,1\n2.5,1,0\n"), Contains("line 2") && Contains("not an integer"));
        CHECK_THAT(csv_error("cat,0,1\n", {0, fcnet::CsvHeader::absent}),
                   Contains("line 1") && Contains("not a number"));
    }
    SECTION("NaN or infinite values") {
        CHECK_THAT(csv_error("1,0,1\n0,nan,0\n"), Contains("line 2") && Contains("NaN"));
        CHECK_THAT(csv_error("1,0,1\n0,1,-inf\n"), Contains("line 2") && Contains("inf"));
        CHECK_THAT(csv_error("1,0,1\n0,1,1e60\n"), Contains("line 2") && Contains("range"));
    }
    SECTION("an empty file, or one with only blank lines") {
        CHECK_THAT(csv_error(""), Contains("empty"));
        CHECK_THAT(csv_error("\n \r\n"), Contains("empty"));
    }
    SECTION("a header and no data rows") {
        CHECK_THAT(csv_error("label,x,y\n"), Contains("line 1") && Contains("no data rows"));
    }
    SECTION("a label column outside the row") {
        CHECK_THAT(csv_error("1,0,1\n", {3, fcnet::CsvHeader::detect}),
                   Contains("label column 3") && Contains("3 fields"));
    }
    SECTION("rows with a label and no feature") {
        CHECK_THAT(csv_error("1\n2\n"), Contains("line 1") && Contains("at least one feature"));
    }
    SECTION("a missing file") {
        const std::string path = make_temp_dir() + "/absent.csv";
        CHECK_THAT(error_message([&] { fcnet::read_csv(path); }),
                   Contains(path) && Contains("not found"));
    }
}

TEST_CASE("load_data reads a single .csv file as the train part") {
    const std::string path = write_csv("label,x\n1,0\n0,1\n");
    const fcnet::LoadedData data = fcnet::load_data(path);
    CHECK(data.train.size() == 2);
    CHECK_FALSE(data.has_test);
}

TEST_CASE("load_data reads a folder with train.csv and, if present, test.csv") {
    const std::string dir = make_temp_dir();
    write_file(dir + "/train.csv", "0,0,1\n1,1,0\n");
    CHECK_FALSE(fcnet::load_data(dir).has_test);

    write_file(dir + "/test.csv", "3,1,1\n");
    const fcnet::LoadedData data = fcnet::load_data(dir);
    REQUIRE(data.has_test);
    CHECK(data.test.labels == std::vector<int>{3});
    CHECK(data.train.classes == 4);
    CHECK(data.test.classes == 4);
}
