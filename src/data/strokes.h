// Handwritten characters as pen strokes, and the readers of the UNIPEN-style files of pendigits, UJI Pen Characters and UNIPEN 1a.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "preprocess/brush.h"

namespace fcnet {

// The three public sets of ../shared/data/strokes (all CC BY 4.0).
enum class StrokeSet {
    pendigits,  // UCI pendigits, original trajectories: 30 writers in .tra, 14 others in .tes
    uji,        // UJI Pen Characters v1: 11 writers, digits and letters
    unipen,     // UNIPEN train_r01_v07, category 1a (isolated digits)
};
constexpr int kStrokeSets = 3;
const char* stroke_set_name(StrokeSet set);  // "pendigits", "uji", "unipen"

// One handwritten character: its strokes in the file's tablet units, converted so that y points
// down (negated where the file's y points up) and one unit is the same length along x and y.
struct HandwrittenCharacter {
    std::vector<Polyline> strokes;  // pen down to pen up, in writing order; none is empty
    std::string label;              // the character as written in the file: "0"-"9", "a", "B", ...
    StrokeSet set = StrokeSet::pendigits;
    std::string writer;             // unique across all three sets: "pendigits/tra-12" and "pendigits/tes-3" (the
                                    // .tra and .tes files number their different writers each from 0),
                                    // "uji/w03", "unipen/aga/crlmtchl" (contributor, then .WRITER_ID)
    bool official_test = false;     // pendigits: read from pendigits-orig.tes (its writer-disjoint test part)
    std::string where;              // "file:line" of its .SEGMENT, for messages

    bool is_digit() const { return label.size() == 1 && label[0] >= '0' && label[0] <= '9'; }
};

// Limits that bound memory and time on any input; larger inputs are refused with an Error.
constexpr std::int64_t kMaxStrokeFileBytes = 64ll << 20;  // one file (the largest real one is under 8 MB)
constexpr int kMaxStrokesPerCharacter = 100;
constexpr int kMaxPointsPerCharacter = 50'000;
constexpr double kMaxPenCoordinate = 1e7;                 // |x|, |y| in file units

// Parsers of one file's text; `file_name` only names it in errors ("file:line: problem").
// Each throws fcnet::Error naming the file and line for malformed input (a point that is not two
// finite numbers, a .SEGMENT without strokes, a label that is not one quoted character, a limit above).
// pendigits and UJI: a character's strokes are the `.PEN_DOWN` blocks after its .SEGMENT, and the
// .SEGMENT's stroke list must name exactly those (numbered from 0 across the file); empty blocks
// are dropped, a character left without points is an error. pendigits' y points up and is negated
// (so its coordinates are negative: place characters by their bounding box); its writer comes from
// `.COMMENT <label> <writer> <index>` as "pendigits/tra-<writer>" or, if official_test, "tes-".
std::vector<HandwrittenCharacter> parse_pendigits(const std::string& text, const std::string& file_name, bool official_test);
std::vector<HandwrittenCharacter> parse_uji(const std::string& text, const std::string& file_name, const std::string& writer);
// UNIPEN 1a: a segment file's `.SEGMENT CHARACTER <strokes> ? "<label>"` lines point into the pen
// data of the file named by its `.INCLUDE` (`pen_text`, read by the caller). The numbers count the
// pen file's components from 0: every `.PEN_DOWN` block (empty ones too), and every `.PEN_UP`
// block that holds points (pen movement in the air, which Toshiba, CEDAR cea/ceb and pri record);
// only the `.PEN_DOWN` ones become strokes. Segments that do not resolve are skipped and counted
// in *unresolved (never guessed): a number past the last component, a part-stroke number (`n:p`),
// or no points. Segments with a stroke stored from its own corner (its lowest x and lowest y in
// the file both exactly 0) are skipped and counted in *at_origin: in stretches of IBM's files
// every stroke is stored so and named by a segment of its own, so a digit's strokes cannot be put
// together (a "4" written as "/", "|" and "-" is three segments, each labelled 4). Other
// contributors write an empty box as strokes at (0, 0), which no digit's segment names. The resolution comes from `.X_POINTS_PER_INCH` / `_MM` (and Y) in `headers` (the
// other files the segment file includes: .doc, .lex), then in the pen file; the last one read
// wins, x is scaled to y's units, none given means equal units. The files do not say which way y
// points; rendering digits of each of the 17 contributors showed y up in all: y is negated.
struct IncludedFile {
    std::string name;  // for messages
    std::string text;
};
std::vector<HandwrittenCharacter> parse_unipen(const std::string& segment_text, const std::string& segment_file,
                                               const std::string& pen_text, const std::string& pen_file,
                                               const std::string& writer, int* unresolved, int* at_origin,
                                               const std::vector<IncludedFile>& headers = {});

// Everything in a stroke folder laid out like ../shared/data/strokes (pendigits/, uji-v1/,
// unipen-1a/), in a fixed order (set, then file name, then position in the file).
struct StrokeCollection {
    std::vector<HandwrittenCharacter> characters;
    int unresolved_segments = 0;  // UNIPEN segments skipped because they do not resolve (see parse_unipen)
    int origin_segments = 0;      // UNIPEN segments skipped for a stroke stored from its own corner (see parse_unipen)
};
// Throws fcnet::Error naming the file if a set's folder or file is missing, unreadable or malformed.
StrokeCollection read_stroke_folder(const std::string& folder);

// $FCNET_STROKES_DIR if set, else "../shared/data/strokes".
std::string default_stroke_folder();

}  // namespace fcnet
