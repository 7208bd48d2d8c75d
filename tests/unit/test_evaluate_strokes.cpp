// `fcnet evaluate --strokes`: a tiny stroke folder of one held-out digit and two held-out letters, scored by the shipped model.
#include <algorithm>
#include <filesystem>

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "support/test_support.h"

namespace {

const std::string kFcnet = FCNET_CLI_PATH;
const std::string kModel = FCNET_SOURCE_DIR "/models/mnist.fcnet";

// The three sets' layout with one pendigits test digit (a 1), one UNIPEN 7, and UJI writer 9 (a
// held-out writer): an "L" written as a bare vertical bar, which any digit model reads as a 1, and
// a "W" as a zigzag.
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
    CHECK((*letters)["samples"] == 8);  // two letters, four renderings each

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
    CHECK(accepted == Approx(8 * (1 - (*letters)["rejected_at_acceptance"].get<double>())));

    const CommandResult table = run_command(kFcnet + " evaluate" + options);
    REQUIRE(table.exit_code == 0);
    CHECK_THAT(table.output, Catch::Contains("accepted most often: L "));
}
