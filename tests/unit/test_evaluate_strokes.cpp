// `fcnet evaluate --strokes`: a tiny stroke folder of held-out digits and letters, scored by the shipped model.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "io/model_file.h"
#include "support/test_support.h"

namespace {

const std::string kFcnet = FCNET_CLI_PATH;
const std::string kModel = FCNET_SOURCE_DIR "/models/mnist.fcnet";

// The three sets' layout with one pendigits test digit (a 1), one UNIPEN 7, and UJI writer 9 (a
// held-out writer): an "L" written as a bare vertical bar, which any digit model reads as a 1, and
// a "W" as a zigzag; UJI writer 10 (held out too): an "X"; and UJI writer 8 (the validation
// writer): a "1" and a "V".
std::string make_tiny_stroke_folder() {
    const std::string root = make_temp_dir();
    for (const char* folder : {"/pendigits", "/uji-v1", "/unipen-1a/data/1a/abc", "/unipen-1a/include/abc/data"}) {
        std::filesystem::create_directories(root + folder);
    }
    write_file(root + "/pendigits/pendigits-orig.tra", "");
    write_file(root + "/pendigits/pendigits-orig.tes",
               ".SEGMENT DIGIT 0 ? \"1\"\n.COMMENT 1 1 0\n.PEN_DOWN\n 50 300\n 50 0\n.PEN_UP\n");
    write_file(root + "/uji-v1/UJIpenchars-w09",
               ".SEGMENT CHARACTER 0 ? \"L\"\n.PEN_DOWN\n 50 0\n 50 300\n.PEN_UP\n"
               ".SEGMENT CHARACTER 1 ? \"W\"\n.PEN_DOWN\n 0 0\n 60 300\n 120 100\n 180 300\n 240 0\n.PEN_UP\n");
    write_file(root + "/uji-v1/UJIpenchars-w10",
               ".SEGMENT CHARACTER 0-1 ? \"X\"\n.PEN_DOWN\n 0 0\n 200 300\n.PEN_UP\n.PEN_DOWN\n 200 0\n 0 300\n.PEN_UP\n");
    write_file(root + "/uji-v1/UJIpenchars-w08",
               ".SEGMENT CHARACTER 0 ? \"1\"\n.PEN_DOWN\n 50 0\n 50 300\n.PEN_UP\n"
               ".SEGMENT CHARACTER 1 ? \"V\"\n.PEN_DOWN\n 0 0\n 60 300\n 120 0\n.PEN_UP\n");
    write_file(root + "/unipen-1a/data/1a/abc/amy.dat",
               ".VERSION 1.0\n.INCLUDE abc/data/amy.dat\n.SEGMENT CHARACTER 0 ? \"7\"\n");
    write_file(root + "/unipen-1a/include/abc/data/amy.dat",
               ".VERSION 1.0\n.WRITER_ID amy\n.PEN_DOWN\n 0 0\n 100 0\n 40 -200\n.PEN_UP\n");
    return root;
}

}  // namespace

TEST_CASE("evaluate --strokes names the held-out letters most often taken for digits", "[cli][strokes][nondigits]") {
    INFO("MNIST folder: " << mnist_dir() << " (set FCNET_MNIST_DIR to change it)");
    REQUIRE(has_idx_dataset(mnist_dir()));
    const std::string folder = make_tiny_stroke_folder();
    const std::string options = " --model " + kModel + " --data " + mnist_dir() + " --strokes " + folder;

    const CommandResult evaluated = run_command(kFcnet + " evaluate --json" + options);
    INFO(evaluated.output);
    REQUIRE(evaluated.exit_code == 0);
    const nlohmann::json sets = nlohmann::json::parse(evaluated.output)["not_a_digit"]["sets"];
    const auto letters = std::find_if(sets.begin(), sets.end(), [](const nlohmann::json& set) {
        return set["name"] == "UJI test writers' letters";
    });
    REQUIRE(letters != sets.end());
    CHECK((*letters)["samples"] == 12);  // three letters, four renderings each

    // Then a row for each held-out writer's letters, which together make the pooled row.
    const auto by_writer = [&](const std::string& writer) {
        const auto row = std::find_if(sets.begin(), sets.end(),
                                      [&](const nlohmann::json& set) { return set["name"] == "  writer " + writer; });
        REQUIRE(row != sets.end());
        return *row;
    };
    const nlohmann::json w09 = by_writer("uji/w09"), w10 = by_writer("uji/w10");
    CHECK(w09["samples"] == 8);
    CHECK(w10["samples"] == 4);
    CHECK(8 * w09["rejected_at_acceptance"].get<double>() + 4 * w10["rejected_at_acceptance"].get<double>() ==
          Approx(12 * (*letters)["rejected_at_acceptance"].get<double>()));

    // The bar-shaped "L" comes first, read as a 1; the listed groups account for every accepted letter.
    const nlohmann::json& listed = (*letters)["most_accepted"];
    REQUIRE(listed.size() >= 1);
    CHECK(listed[0]["group"] == "L");
    CHECK(listed[0]["samples"] == 4);
    CHECK(listed[0]["accepted"].get<double>() >= 0.75);
    CHECK(listed[0]["as_digit"] == 1);
    double accepted = 0;
    for (std::size_t i = 0; i < listed.size(); ++i) {
        INFO(listed[i].dump());
        CHECK(listed[i]["accepted"].get<double>() > 0);
        if (i > 0) CHECK(listed[i]["accepted"].get<double>() <= listed[i - 1]["accepted"].get<double>());
        accepted += listed[i]["accepted"].get<double>() * listed[i]["samples"].get<int>();
    }
    CHECK(accepted == Approx(12 * (1 - (*letters)["rejected_at_acceptance"].get<double>())));

    const CommandResult table = run_command(kFcnet + " evaluate" + options);
    REQUIRE(table.exit_code == 0);
    CHECK_THAT(table.output, Catch::Contains("accepted most often: L "));
    CHECK_THAT(table.output, Catch::Contains("  writer uji/w10 "));
}

TEST_CASE("evaluate --strokes reads the drawings made as strokes with the model's pen-path network", "[cli][strokes]") {
    REQUIRE(has_idx_dataset(mnist_dir()));
    const fcnet::Model model = fcnet::load_model(kModel);
    REQUIRE(model.pen_path.has_value());  // the shipped model has one (fcnet pen-path)
    const std::string folder = make_tiny_stroke_folder();
    const std::string options = " --model " + kModel + " --data " + mnist_dir() + " --strokes " + folder;
    const CommandResult evaluated = run_command(kFcnet + " evaluate --json" + options);
    INFO(evaluated.output);
    REQUIRE(evaluated.exit_code == 0);
    const nlohmann::json strokes = nlohmann::json::parse(evaluated.output)["strokes"];
    CHECK(strokes["pen_path_threshold"].get<double>() == Approx(model.pen_path->reject_confidence));
    int with_pen_path = 0;
    for (const nlohmann::json& row : strokes["rows"]) {
        const std::string drawn = row["drawn_as"];
        INFO(drawn);
        CHECK(row["pen_path"].get<bool>() == (drawn.find("strokes (app)") != std::string::npos));
        with_pen_path += row["pen_path"].get<bool>();
    }
    CHECK(with_pen_path == 3);  // the app's row of pendigits' test digit (the only set with one), and the two brush sizes

    // The letters drawn as strokes (read with the pen path) and those drawn as images (by the
    // image alone) also have a row each, below the letters' own, and make it together.
    const nlohmann::json sets = nlohmann::json::parse(evaluated.output)["not_a_digit"]["sets"];
    auto row = std::find_if(sets.begin(), sets.end(),
                            [](const nlohmann::json& set) { return set["name"] == "UJI test writers' letters"; });
    REQUIRE(row != sets.end());
    const nlohmann::json letters = *row;
    std::map<std::string, nlohmann::json> below;  // the rows indented under the letters' row
    for (++row; row != sets.end() && (*row)["name"].get<std::string>().rfind("  ", 0) == 0; ++row) {
        below[(*row)["name"]] = *row;
    }
    REQUIRE(below.count("  as strokes (the app)") == 1);
    REQUIRE(below.count("  as images (the module)") == 1);
    const nlohmann::json& as_strokes = below["  as strokes (the app)"];
    const nlohmann::json& as_images = below["  as images (the module)"];
    CHECK(as_strokes["samples"] == 6);  // every other rendering of the 12
    CHECK(as_images["samples"] == 6);
    CHECK(6 * as_strokes["rejected_at_acceptance"].get<double>() + 6 * as_images["rejected_at_acceptance"].get<double>() ==
          Approx(12 * letters["rejected_at_acceptance"].get<double>()));

    const CommandResult table = run_command(kFcnet + " evaluate" + options);
    REQUIRE(table.exit_code == 0);
    char threshold[32];  // the model's own pen-path threshold, as the table prints it
    std::snprintf(threshold, sizeof threshold, "%.4f", model.pen_path->reject_confidence);
    CHECK_THAT(table.output, Catch::Contains(std::string("with the pen-path network too: accepted and kept from its "
                                                         "threshold ") + threshold));
    CHECK_THAT(table.output, Catch::Contains("rows drawn as strokes are read with the pen-path network too"));
}

TEST_CASE("evaluate --part validation --strokes scores the validation writers, not the test ones", "[cli][strokes][nondigits]") {
    REQUIRE(has_idx_dataset(mnist_dir()));
    const std::string folder = make_tiny_stroke_folder();
    const CommandResult evaluated = run_command(kFcnet + " evaluate --json --part validation --model " + kModel +
                                                " --data " + mnist_dir() + " --strokes " + folder);
    INFO(evaluated.output);
    REQUIRE(evaluated.exit_code == 0);
    const nlohmann::json report = nlohmann::json::parse(evaluated.output);
    const nlohmann::json& section = report["not_a_digit"];
    CHECK(section["digits"] == 6000);  // MNIST's validation part
    CHECK(section["held_out"] == "validation");
    CHECK(section["nondigit_seed"] == 7160000011ull);
    const nlohmann::json& sets = section["sets"];
    const auto letters = std::find_if(sets.begin(), sets.end(), [](const nlohmann::json& set) {
        return set["name"] == "UJI validation writers' letters";
    });
    REQUIRE(letters != sets.end());
    CHECK((*letters)["samples"] == 12);  // the "V", twelve renderings
    CHECK(std::none_of(sets.begin(), sets.end(), [](const nlohmann::json& set) {  // one writer: no row by writer
        return set["name"].get<std::string>().rfind("  writer ", 0) == 0;
    }));
    CHECK(std::none_of(sets.begin(), sets.end(), [](const nlohmann::json& set) {
        return set["name"].get<std::string>().find("test") != std::string::npos;
    }));

    // Only the validation writer's "1" is drawn: five drawings of it, the four image drawings pooled, the size rows.
    int rows = 0;
    for (const nlohmann::json& row : report["strokes"]["rows"]) {
        INFO(row.dump());
        CHECK(row["set"].get<std::string>().find("validation writers") != std::string::npos);
        if (row["set"] == "UJI validation writers") {
            CHECK(row["samples"] == (row["drawn_as"] == "the four image drawings" ? 4 : 1));
            ++rows;
        }
        CHECK(row["correct_and_kept_at_acceptance"].get<double>() <= row["correct"].get<double>());
    }
    CHECK(rows == 6);  // five drawings and the four image drawings pooled
}

TEST_CASE("pen-path trains a pen-path network on the training writers and adds it to a digit model", "[cli][strokes]") {
    // The tiny folder (its validation writer w08: a "1" and a "V"), and a training writer, w01.
    const std::string dir = make_tiny_stroke_folder();
    write_file(dir + "/uji-v1/UJIpenchars-w01",
               ".SEGMENT CHARACTER 0 ? \"1\"\n.PEN_DOWN\n 50 0\n 50 300\n.PEN_UP\n"
               ".SEGMENT CHARACTER 1 ? \"W\"\n.PEN_DOWN\n 0 0\n 60 300\n 120 100\n 180 300\n 240 0\n.PEN_UP\n");
    const std::string out = dir + "/pen.fcnet";
    const std::string command = kFcnet + " pen-path --model " + kModel + " --strokes " + dir + " --out " + out +
                                " --epochs 2 --renders 2 --letter-renders 2 --generated 5 --hidden 8 4";
    const CommandResult trained = run_command(command);
    INFO(trained.output);
    REQUIRE(trained.exit_code == 0);
    CHECK_THAT(trained.output, Catch::Contains("pen-path network 246-8-4-11"));
    CHECK_THAT(trained.output, Catch::Contains("saved " + out));
    const CommandResult info = run_command(kFcnet + " info --model " + out);
    CHECK_THAT(info.output, Catch::Contains("pen path       246-8-4-11 network"));

    // A model without a "not a digit" class cannot take one.
    const std::string csv = dir + "/digits.csv";
    std::string rows = "label";
    for (int j = 0; j < 784; ++j) rows += ",p" + std::to_string(j);
    rows += "\n";
    for (int i = 0; i < 40; ++i) {
        rows += std::to_string(i % 10);
        for (int j = 0; j < 784; ++j) rows += j == i ? ",1" : ",0";
        rows += "\n";
    }
    write_file(csv, rows);
    REQUIRE(run_command(kFcnet + " train --data " + csv + " --layers 784 4 10 --epochs 1 --no-calibrate --out " + dir +
                        "/ten.fcnet").exit_code == 0);
    const CommandResult refused =
        run_command(kFcnet + " pen-path --model " + dir + "/ten.fcnet --strokes " + dir + " --out " + dir + "/x.fcnet");
    CHECK(refused.exit_code != 0);
    CHECK_THAT(refused.output, Catch::Contains("needs a model with the class \"not a digit\""));
}
