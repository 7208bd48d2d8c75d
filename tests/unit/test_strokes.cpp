// Specification of the stroke readers (pendigits, UJI, UNIPEN 1a): points, orientation, labels, writers, errors by line.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "data/strokes.h"
#include "support/test_support.h"

using Catch::Matchers::Contains;
using fcnet::HandwrittenCharacter;
using fcnet::Polyline;

namespace {

// The points of a stroke as {x, y, x, y, ...}, easy to compare with a list.
std::vector<float> flat(const Polyline& stroke) {
    std::vector<float> values;
    for (const fcnet::CanvasPoint& point : stroke) {
        values.push_back(point.x);
        values.push_back(point.y);
    }
    return values;
}

const std::string pendigits_text =
    ".INCLUDE dene.doc\n"
    ".HIERARCHY DIGIT\n"
    "\n"
    ".SEGMENT DIGIT 0-1 ? \"4\"\n"
    ".COMMENT 4 12 7\n"
    ".PEN_DOWN\n"
    " 10 100\n"
    " 10 50\n"
    ".PEN_UP\n"
    ".PEN_DOWN\n"
    "\t20  80\r\n"
    ".PEN_UP\n"
    ".DT 100\n"
    "\n"
    ".SEGMENT DIGIT 2 ? \"1\"\n"
    ".COMMENT 1 3 8\n"
    ".PEN_DOWN\n"
    " 5 -5\n"
    ".PEN_UP\n";

std::string pendigits_error(const std::string& text) {
    return error_message([&] { fcnet::parse_pendigits(text, "digits.tra", false); });
}

std::string uji_error(const std::string& text) {
    return error_message([&] { fcnet::parse_uji(text, "UJIpenchars-w07", "uji/w07"); });
}

// A pendigits file of one digit whose strokes are `strokes` (text after the .COMMENT).
std::string one_digit(const std::string& segment_strokes, const std::string& strokes) {
    return ".SEGMENT DIGIT " + segment_strokes + " ? \"7\"\n.COMMENT 7 1 0\n" + strokes;
}

std::string points(int count, const std::string& point = " 1 2\n") {
    std::string text;
    for (int i = 0; i < count; ++i) text += point;
    return text;
}

// UNIPEN: four components numbered 0..3: .PEN_DOWN, recorded pen-up movement, .PEN_DOWN, an
// empty .PEN_DOWN; and .PEN_UP markers without points, which are not numbered.
const std::string unipen_pen_text =
    ".VERSION 1.0\n"
    ".WRITER_ID amy\n"
    ".X_POINTS_PER_INCH 100\n"
    ".PEN_DOWN\n"
    "  1  10\n"
    "  2  20\n"
    ".PEN_UP\n"
    "  3  30\n"
    ".PEN_DOWN\n"
    "  4  40\n"
    ".PEN_UP\n"
    ".DT 20\n"
    ".PEN_DOWN\n"
    ".PEN_UP\n";

const std::string unipen_segment_text =
    ".VERSION 1.0\n"
    ".INCLUDE abc/abc.doc\n"
    ".INCLUDE abc/data/amy.dat\n"
    ".SEGMENT CHARACTER 0-2 ? \"5\"\n"  // strokes 0 and 2; the pen-up movement 1 is not ink
    ".SEGMENT CHARACTER 2 OK \"1\" \n"
    ".SEGMENT CHARACTER 3 ? \"0\"\n"     // only an empty stroke: unresolved
    ".SEGMENT CHARACTER 2-4 ? \"8\"\n"   // past the last component: unresolved
    ".SEGMENT CHARACTER 0:1-2:0 ? \"9\"\n"  // part of a stroke: unresolved
    ".SEGMENT CHARACTER 1 ? \"3\"\n";    // pen-up movement only: unresolved

// A .doc that the segment file includes before the pen file: y has twice x's resolution.
const std::vector<fcnet::IncludedFile> unipen_headers = {{"abc.doc", ".COORD X Y\n.Y_POINTS_PER_INCH 200\n"}};

std::string unipen_error(const std::string& segment_text, const std::string& pen_text) {
    return error_message([&] {
        int unresolved = 0, at_origin = 0;
        fcnet::parse_unipen(segment_text, "seg.dat", pen_text, "pen.dat", "unipen/abc/amy", &unresolved, &at_origin);
    });
}

}  // namespace

// ---- pendigits -----------------------------------------------------------------------------

TEST_CASE("pendigits: each .SEGMENT's own strokes, y flipped to point down, writer from the .COMMENT") {
    const std::vector<HandwrittenCharacter> digits = fcnet::parse_pendigits(pendigits_text, "digits.tra", false);

    REQUIRE(digits.size() == 2);
    const HandwrittenCharacter& four = digits[0];
    CHECK(four.label == "4");
    CHECK(four.is_digit());
    CHECK(four.set == fcnet::StrokeSet::pendigits);
    CHECK(four.writer == "pendigits/tra-12");
    CHECK_FALSE(four.official_test);
    CHECK(four.where == "digits.tra:4");
    REQUIRE(four.strokes.size() == 2);
    CHECK(flat(four.strokes[0]) == std::vector<float>{10, -100, 10, -50});
    CHECK(flat(four.strokes[1]) == std::vector<float>{20, -80});
    CHECK(digits[1].label == "1");
    CHECK(digits[1].writer == "pendigits/tra-3");
    CHECK(flat(digits[1].strokes[0]) == std::vector<float>{5, 5});
}

TEST_CASE("pendigits: the .tes file's writers are other people than the .tra file's with the same number") {
    const std::vector<HandwrittenCharacter> test = fcnet::parse_pendigits(pendigits_text, "digits.tes", true);

    REQUIRE(test.size() == 2);
    CHECK(test[0].writer == "pendigits/tes-12");
    CHECK(test[0].official_test);
    CHECK(test[1].writer == "pendigits/tes-3");
}

TEST_CASE("an empty .PEN_DOWN block is numbered but dropped") {
    const auto digits = fcnet::parse_pendigits(one_digit("0-2", ".PEN_DOWN\n 1 2\n.PEN_DOWN\n.PEN_UP\n.PEN_DOWN\n 3 4\n"),
                                               "digits.tra", false);

    REQUIRE(digits.size() == 1);
    REQUIRE(digits[0].strokes.size() == 2);
    CHECK(flat(digits[0].strokes[1]) == std::vector<float>{3, -4});
}

TEST_CASE("pendigits errors name the file and line") {
    CHECK_THAT(pendigits_error(one_digit("0", ".PEN_DOWN\n 1 x\n")),
               Contains("digits.tra:4: expected a point (two numbers x y), found \"1 x\""));
    CHECK_THAT(pendigits_error(one_digit("0", ".PEN_DOWN\n 1 2 3\n")), Contains("digits.tra:4: expected a point"));
    CHECK_THAT(pendigits_error(one_digit("0", ".PEN_DOWN\n 1\n")), Contains("digits.tra:4: expected a point"));
    CHECK_THAT(pendigits_error(one_digit("0", "")), Contains("digits.tra:1: .SEGMENT names 1 strokes") &&
                                                        Contains("the .PEN_DOWN blocks after it are 0 strokes starting at 0"));
    CHECK_THAT(pendigits_error(one_digit("1", ".PEN_DOWN\n 1 2\n")), Contains("digits.tra:1: .SEGMENT names 1 strokes starting at 1"));
    CHECK_THAT(pendigits_error(one_digit("0", ".PEN_DOWN\n.PEN_UP\n")), Contains("digits.tra:1: .SEGMENT without points"));
    CHECK_THAT(pendigits_error(".SEGMENT DIGIT\n"), Contains("digits.tra:1: .SEGMENT without strokes"));
    CHECK_THAT(pendigits_error(".SEGMENT DIGIT 0 ? \"7\"\n.PEN_DOWN\n 1 2\n"),
               Contains("digits.tra:1: .SEGMENT without a .COMMENT naming its label and writer"));
    CHECK_THAT(pendigits_error(".SEGMENT DIGIT 0 ? \"7\"\n.COMMENT 1 4 0\n"), Contains("digits.tra:2: the .COMMENT's label \"1\""));
    CHECK_THAT(pendigits_error(".SEGMENT DIGIT 0 ? \"7\"\n.COMMENT 7 x 0\n"), Contains("digits.tra:2: expected a writer number"));
    CHECK_THAT(pendigits_error(".PEN_DOWN\n 1 2\n"), Contains("digits.tra:1: .PEN_DOWN before any .SEGMENT"));
    CHECK_THAT(pendigits_error(".SEGMENT DIGIT 0 ? \"7\n"), Contains("digits.tra:1: expected the label as one quoted character"));
    CHECK_THAT(pendigits_error(".SEGMENT DIGIT 0 ? \"77\"\n"), Contains("digits.tra:1: expected the label as one quoted character"));
    CHECK_THAT(pendigits_error(".SEGMENT DIGIT 0 ? 7\n"), Contains("digits.tra:1: expected the label as one quoted character"));
    CHECK_THAT(pendigits_error(".SEGMENT DIGIT 0 ?\n"), Contains("digits.tra:1: expected the label as one quoted character"));
    CHECK_THAT(pendigits_error(".SEGMENT DIGIT 2-1 ? \"7\"\n"), Contains("digits.tra:1: stroke range \"2-1\" runs backwards"));
    CHECK_THAT(pendigits_error(".SEGMENT DIGIT 0-a ? \"7\"\n"), Contains("digits.tra:1: expected a stroke number"));
    CHECK_THAT(pendigits_error(".SEGMENT DIGIT 0:3 ? \"7\"\n"), Contains("digits.tra:1: part-stroke numbers"));
    CHECK_THAT(pendigits_error(".SEGMENT DIGIT 0:3:4 ? \"7\"\n"), Contains("digits.tra:1: expected a stroke number"));
    CHECK_THAT(pendigits_error(".SEGMENT DIGIT 0-1- ? \"7\"\n"), Contains("digits.tra:1: expected a stroke number"));
    CHECK_THAT(pendigits_error(".SEGMENT DIGIT 0,,1 ? \"7\"\n"), Contains("digits.tra:1: expected a stroke number"));
}

TEST_CASE("every limit is an error naming the file and line") {
    CHECK_THAT(pendigits_error(std::string(fcnet::kMaxStrokeFileBytes + 1, ' ')),
               Contains("digits.tra: 67108865 bytes, more than the limit of 67108864"));
    CHECK_THAT(pendigits_error(".SEGMENT DIGIT 0-100 ? \"7\"\n"),
               Contains("digits.tra:1: .SEGMENT names more than the limit of 100 strokes"));
    CHECK_THAT(pendigits_error(".SEGMENT DIGIT 0-4000000000 ? \"7\"\n"), Contains("digits.tra:1: expected a stroke number"));
    std::string many_strokes;
    for (int i = 0; i < 101; ++i) many_strokes += ".PEN_DOWN\n 1 2\n";
    CHECK_THAT(pendigits_error(one_digit("0", many_strokes)),
               Contains("digits.tra:1: character of more than the limit of 100 strokes"));
    CHECK_THAT(pendigits_error(one_digit("0", ".PEN_DOWN\n" + points(50'001))),
               Contains("digits.tra:1: character of 50001 points, more than the limit of 50000"));
    CHECK(fcnet::parse_pendigits(one_digit("0", ".PEN_DOWN\n" + points(50'000)), "digits.tra", false).size() == 1);
    CHECK_THAT(pendigits_error(one_digit("0", ".PEN_DOWN\n 10000001 0\n")),
               Contains("digits.tra:4: coordinate 10000001 is beyond the limit of +-1e7"));
    CHECK_THAT(pendigits_error(one_digit("0", ".PEN_DOWN\n 0 -1.5e9\n")), Contains("digits.tra:4: coordinate -1.5e9"));
    CHECK_THAT(pendigits_error(one_digit("0", ".PEN_DOWN\n nan 0\n")), Contains("digits.tra:4: expected a point"));
    CHECK_THAT(pendigits_error(one_digit("0", ".PEN_DOWN\n 1 inf\n")), Contains("digits.tra:4: expected a point"));
    CHECK_THAT(pendigits_error(one_digit("0", ".PEN_DOWN\n 1 1e999\n")), Contains("digits.tra:4: expected a point"));
    const auto decimal = fcnet::parse_pendigits(one_digit("0", ".PEN_DOWN\n 1.5 -2.25\n"), "digits.tra", false);
    CHECK(flat(decimal.at(0).strokes[0]) == std::vector<float>{1.5f, 2.25f});
}

// ---- UJI -----------------------------------------------------------------------------------

TEST_CASE("UJI: letters and digits with y kept pointing down, the writer given by the caller") {
    const std::string text =
        ".LEXICON \"a\" \"0\"\n"
        ".COMMENT Class #01: [A] = { \"a\" , \"A\" }\n"
        ".SEGMENT CHARACTER 0 ? \"a\"\n"
        ".COMMENT Class [A]\n"
        "\n"
        ".PEN_DOWN\n"
        " 557  844\n"
        " 550  803\n"
        ".PEN_UP\n"
        ".DT 100\n"
        ".SEGMENT CHARACTER 1-2 ? \"0\"\n"
        ".PEN_DOWN\n"
        " 1 2\n"
        ".PEN_UP\n"
        ".PEN_DOWN\n"
        " 3 4\n"
        ".PEN_UP\n";

    const std::vector<HandwrittenCharacter> characters = fcnet::parse_uji(text, "UJIpenchars-w07", "uji/w07");

    REQUIRE(characters.size() == 2);
    CHECK(characters[0].label == "a");
    CHECK_FALSE(characters[0].is_digit());
    CHECK(characters[0].set == fcnet::StrokeSet::uji);
    CHECK(characters[0].writer == "uji/w07");
    CHECK(characters[0].where == "UJIpenchars-w07:3");
    CHECK(flat(characters[0].strokes.at(0)) == std::vector<float>{557, 844, 550, 803});
    CHECK(characters[1].is_digit());
    REQUIRE(characters[1].strokes.size() == 2);
    CHECK(flat(characters[1].strokes[1]) == std::vector<float>{3, 4});
}

TEST_CASE("UJI errors name the file and line") {
    CHECK_THAT(uji_error(".SEGMENT CHARACTER 0 ? \"a\"\n.PEN_DOWN\n 1 2,5\n"), Contains("UJIpenchars-w07:3: expected a point"));
    CHECK_THAT(uji_error(".SEGMENT CHARACTER 0 ? \"ab\"\n"), Contains("UJIpenchars-w07:1: expected the label"));
    CHECK_THAT(uji_error(".SEGMENT CHARACTER 0 ? \"a\"\n.SEGMENT CHARACTER 1 ? \"b\"\n.PEN_DOWN\n 1 2\n"),
               Contains("UJIpenchars-w07:1: .SEGMENT names 1 strokes"));
}

// ---- UNIPEN --------------------------------------------------------------------------------

TEST_CASE("UNIPEN: segments resolve into the pen file's numbered components; what does not is counted") {
    int unresolved = 0, at_origin = 0;
    const std::vector<HandwrittenCharacter> digits = fcnet::parse_unipen(
        unipen_segment_text, "seg.dat", unipen_pen_text, "pen.dat", "unipen/abc/amy", &unresolved, &at_origin,
        unipen_headers);

    CHECK(unresolved == 4);
    CHECK(at_origin == 0);
    REQUIRE(digits.size() == 2);
    const HandwrittenCharacter& five = digits[0];
    CHECK(five.label == "5");
    CHECK(five.set == fcnet::StrokeSet::unipen);
    CHECK(five.writer == "unipen/abc/amy");
    CHECK(five.where == "seg.dat:4");
    REQUIRE(five.strokes.size() == 2);
    // x at 100 points per inch is scaled to y's 200; y is flipped to point down.
    CHECK(flat(five.strokes[0]) == std::vector<float>{2, -10, 4, -20});
    CHECK(flat(five.strokes[1]) == std::vector<float>{8, -40});
    CHECK(digits[1].label == "1");
    CHECK(digits[1].where == "seg.dat:5");
    CHECK(flat(digits[1].strokes.at(0)) == std::vector<float>{8, -40});
}

TEST_CASE("UNIPEN: the pen file's resolution wins over an included .doc's; none given means equal units") {
    int unresolved = 0;
    const std::vector<fcnet::IncludedFile> millimetres = {{"abc.doc", ".X_POINTS_PER_MM 4\n.Y_POINTS_PER_MM 2\n"}};
    const std::string pen = ".PEN_DOWN\n 10 10\n.Y_POINTS_PER_MM 8\n";  // later: replaces the .doc's 2
    const auto scaled = fcnet::parse_unipen(".SEGMENT CHARACTER 0 ? \"1\"\n", "seg.dat", pen, "pen.dat",
                                            "unipen/abc/amy", &unresolved, nullptr, millimetres);
    CHECK(flat(scaled.at(0).strokes.at(0)) == std::vector<float>{20, -10});

    const auto plain = fcnet::parse_unipen(".SEGMENT CHARACTER 0 ? \"1\"\n", "seg.dat", ".PEN_DOWN\n 10 10\n", "pen.dat",
                                           "unipen/abc/amy", &unresolved, nullptr);
    CHECK(flat(plain.at(0).strokes.at(0)) == std::vector<float>{10, -10});
    CHECK(unresolved == 0);
}

TEST_CASE("UNIPEN: a segment with a stroke stored from its own corner is skipped and counted (IBM's broken stretches)") {
    // A "4" stored stroke by stroke from each stroke's own corner ("/", "|", "-": three
    // segments), a loop of an "8" stored the same way (its box starts at (0, 0), no point is
    // there), then a "7" and a "1" stored as drawn: the 7 comes near the corner, the 1 touches x = 0.
    const std::string pen = ".PEN_DOWN\n 30 30\n 15 15\n 0 0\n.PEN_UP\n"
                            ".PEN_DOWN\n 0 40\n 0 0\n.PEN_UP\n"
                            ".PEN_DOWN\n 0 0\n 40 0\n.PEN_UP\n"
                            ".PEN_DOWN\n 10 0\n 20 10\n 10 20\n 0 10\n 10 0\n.PEN_UP\n"
                            ".PEN_DOWN\n 1 40\n 40 40\n 20 0\n.PEN_UP\n"
                            ".PEN_DOWN\n 0 10\n 0 50\n.PEN_UP\n";
    const std::string segments = ".SEGMENT CHARACTER 0 ? \"4\"\n.SEGMENT CHARACTER 1 ? \"4\"\n"
                                 ".SEGMENT CHARACTER 2 ? \"4\"\n.SEGMENT CHARACTER 3 ? \"8\"\n"
                                 ".SEGMENT CHARACTER 4 ? \"7\"\n.SEGMENT CHARACTER 5 ? \"1\"\n"
                                 ".SEGMENT CHARACTER 0-2 ? \"4\"\n";
    int unresolved = 0, at_origin = 0;
    const auto digits =
        fcnet::parse_unipen(segments, "seg.dat", pen, "pen.dat", "unipen/ibm/r00-00", &unresolved, &at_origin);
    REQUIRE(digits.size() == 2);
    CHECK(digits[0].label == "7");
    CHECK(digits[0].where == "seg.dat:5");
    CHECK(digits[1].label == "1");
    CHECK(at_origin == 5);
    CHECK(unresolved == 0);
}

TEST_CASE("UNIPEN errors name the segment file or the pen file and the line") {
    CHECK_THAT(unipen_error(".SEGMENT CHARACTER 0 ? \"1\"\n", ".PEN_DOWN\n 1 2\n 1 -\n"), Contains("pen.dat:3: expected a point"));
    CHECK_THAT(unipen_error(".SEGMENT CHARACTER 0 ? \"1\"\n", ".PEN_UP\n 1 2 3\n"), Contains("pen.dat:2: expected a point"));
    CHECK_THAT(unipen_error(".VERSION 1.0\n.SEGMENT CHARACTER\n", ".PEN_DOWN\n 1 2\n"),
               Contains("seg.dat:2: .SEGMENT without strokes"));
    CHECK_THAT(unipen_error(".SEGMENT CHARACTER 0 ? \"\"\n", ".PEN_DOWN\n 1 2\n"), Contains("seg.dat:1: expected the label"));
    CHECK_THAT(unipen_error("", ".X_POINTS_PER_INCH 0\n"), Contains("pen.dat:1: expected a positive resolution"));
    CHECK_THAT(unipen_error("", ".Y_POINTS_PER_MM many\n"), Contains("pen.dat:1: expected a positive resolution"));
    CHECK_THAT(unipen_error(".SEGMENT CHARACTER 0 ? \"1\"\n", ".PEN_DOWN\n" + points(50'001)),
               Contains("seg.dat:1: character of 50001 points"));
    CHECK_THAT(unipen_error(".SEGMENT CHARACTER 0,1-100 ? \"1\"\n", ""), Contains("seg.dat:1: .SEGMENT names more than the limit"));
    CHECK_THAT(unipen_error("", ".PEN_DOWN\n 1 -1e8\n"), Contains("pen.dat:2: coordinate -1e8 is beyond the limit"));
}

// ---- the folder ----------------------------------------------------------------------------

namespace {

// A stroke folder laid out like ../shared/data/strokes, one small file of each kind.
std::string make_stroke_folder() {
    namespace fs = std::filesystem;
    const std::string root = make_temp_dir();
    for (const char* folder : {"/pendigits", "/uji-v1", "/unipen-1a/data/1a/abc/abc0", "/unipen-1a/include/abc/data"}) {
        fs::create_directories(root + folder);
    }
    write_file(root + "/pendigits/pendigits-orig.tra", pendigits_text);
    write_file(root + "/pendigits/pendigits-orig.tes", one_digit("0", ".PEN_DOWN\n 1 2\n"));
    write_file(root + "/uji-v1/UJIpenchars-w02", ".SEGMENT CHARACTER 0 ? \"b\"\n.PEN_DOWN\n 1 2\n");
    write_file(root + "/uji-v1/UJIpenchars-w01", ".SEGMENT CHARACTER 0 ? \"3\"\n.PEN_DOWN\n 1 2\n");
    write_file(root + "/uji-v1/notes.txt", "not a stroke file");
    write_file(root + "/unipen-1a/data/1a/abc/abc0/amy.dat", unipen_segment_text);
    write_file(root + "/unipen-1a/include/abc/abc.doc", ".Y_POINTS_PER_INCH 200\n");
    write_file(root + "/unipen-1a/include/abc/data/amy.dat", unipen_pen_text);
    return root;
}

}  // namespace

TEST_CASE("a stroke folder is read set by set, file by file, with unique writers") {
    const std::string root = make_stroke_folder();

    const fcnet::StrokeCollection collection = fcnet::read_stroke_folder(root);

    std::vector<std::string> writers, labels;
    for (const HandwrittenCharacter& character : collection.characters) {
        writers.push_back(character.writer);
        labels.push_back(character.label);
    }
    CHECK(writers == std::vector<std::string>{"pendigits/tra-12", "pendigits/tra-3", "pendigits/tes-1", "uji/w01",
                                              "uji/w02", "unipen/abc/amy", "unipen/abc/amy"});
    CHECK(labels == std::vector<std::string>{"4", "1", "7", "3", "b", "5", "1"});
    CHECK(collection.unresolved_segments == 4);
    CHECK(collection.characters[2].official_test);
    CHECK(collection.characters[5].where == root + "/unipen-1a/data/1a/abc/abc0/amy.dat:4");
    CHECK(flat(collection.characters[5].strokes.at(0)) == std::vector<float>{2, -10, 4, -20});  // the .doc's resolution
}

TEST_CASE("a missing folder or file is an error naming it") {
    CHECK_THAT(error_message([] { fcnet::read_stroke_folder("/no/such/strokes"); }), Contains("/no/such/strokes"));

    const std::string root = make_stroke_folder();
    std::filesystem::remove(root + "/pendigits/pendigits-orig.tes");
    CHECK_THAT(error_message([&] { fcnet::read_stroke_folder(root); }), Contains(root + "/pendigits/pendigits-orig.tes"));

    const std::string no_uji = make_stroke_folder();
    std::filesystem::remove_all(no_uji + "/uji-v1");
    CHECK_THAT(error_message([&] { fcnet::read_stroke_folder(no_uji); }), Contains(no_uji + "/uji-v1"));

    const std::string no_include = make_stroke_folder();
    std::filesystem::remove(no_include + "/unipen-1a/include/abc/abc.doc");
    CHECK_THAT(error_message([&] { fcnet::read_stroke_folder(no_include); }),
               Contains(no_include + "/unipen-1a/include/abc/abc.doc"));

    const std::string no_pen = make_stroke_folder();
    write_file(no_pen + "/unipen-1a/include/abc/data/amy.dat", ".WRITER_ID amy\n");
    CHECK_THAT(error_message([&] { fcnet::read_stroke_folder(no_pen); }),
               Contains(no_pen + "/unipen-1a/data/1a/abc/abc0/amy.dat: no .INCLUDE brings in pen data"));

    const std::string no_writer = make_stroke_folder();
    write_file(no_writer + "/unipen-1a/include/abc/data/amy.dat", ".PEN_DOWN\n 1 2\n");
    CHECK_THAT(error_message([&] { fcnet::read_stroke_folder(no_writer); }),
               Contains(no_writer + "/unipen-1a/include/abc/data/amy.dat: no .WRITER_ID"));

    const std::string outside = make_stroke_folder();
    write_file(outside + "/unipen-1a/data/1a/abc/abc0/amy.dat", ".INCLUDE ../../secret\n");
    CHECK_THAT(error_message([&] { fcnet::read_stroke_folder(outside); }),
               Contains("amy.dat:1: expected a path inside include/ after .INCLUDE"));
}

TEST_CASE("the default stroke folder is $FCNET_STROKES_DIR, else ../shared/data/strokes") {
    const char* saved = std::getenv("FCNET_STROKES_DIR");
    const std::string kept = saved ? saved : "";
    setenv("FCNET_STROKES_DIR", "/data/pen", 1);
    CHECK(fcnet::default_stroke_folder() == "/data/pen");
    unsetenv("FCNET_STROKES_DIR");
    CHECK(fcnet::default_stroke_folder() == "../shared/data/strokes");
    if (saved) setenv("FCNET_STROKES_DIR", kept.c_str(), 1);
    CHECK(std::string(fcnet::stroke_set_name(fcnet::StrokeSet::uji)) == "uji");
}

TEST_CASE("the real stroke folder: 10,992 pendigits with writer-disjoint parts, UJI, UNIPEN 1a") {
    const std::string root = strokes_dir();
    if (!std::filesystem::is_directory(root + "/pendigits")) {
        WARN("stroke sets not found in " << root << " (set FCNET_STROKES_DIR): skipped");
        return;
    }
    const auto start = std::chrono::steady_clock::now();
    const fcnet::StrokeCollection collection = fcnet::read_stroke_folder(root);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    std::map<std::string, int> digits, others;
    std::map<std::string, std::set<std::string>> writers;
    for (const HandwrittenCharacter& character : collection.characters) {
        std::string part = fcnet::stroke_set_name(character.set);
        if (character.set == fcnet::StrokeSet::pendigits) part += character.official_test ? ".tes" : ".tra";
        ++(character.is_digit() ? digits : others)[part];
        writers[part].insert(character.writer);
        CHECK_FALSE(character.strokes.empty());
    }
    WARN("read " << collection.characters.size() << " characters in " << seconds << " s; "
                 << collection.unresolved_segments << " UNIPEN segments unresolved, " << collection.origin_segments
                 << " stored from a stroke's own corner");
    CHECK(digits["pendigits.tra"] == 7494);
    CHECK(digits["pendigits.tes"] == 3498);
    CHECK(others["pendigits.tra"] + others["pendigits.tes"] == 0);
    CHECK(writers["pendigits.tra"].size() == 30);
    CHECK(writers["pendigits.tes"].size() == 14);
    for (const std::string& writer : writers["pendigits.tes"]) CHECK(writers["pendigits.tra"].count(writer) == 0);
    CHECK(digits["uji"] == 220);
    CHECK(others["uji"] == 1144);
    CHECK(writers["uji"].size() == 11);
    CHECK(digits["unipen"] + collection.unresolved_segments + collection.origin_segments == 15953);
    CHECK(collection.unresolved_segments <= 22);  // the part-stroke (n:p) segments of CEDAR's ced
    CHECK(collection.origin_segments == 378);     // IBM's stretches stored stroke by stroke
    CHECK(others["unipen"] == 0);
    CHECK(writers["unipen"].size() == 268);
}
