// The stroke readers declared in strokes.h. Sections:
//   1. Lines, numbers and points (shared by the three formats)
//   2. .SEGMENT lines: stroke lists and labels
//   3. pendigits and UJI: each .SEGMENT followed by its own strokes
//   4. UNIPEN 1a: segments pointing into an included pen file
//   5. The folder: which files, in which order, with which writers
#include "data/strokes.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <string_view>

#include "core/error.h"
#include "io/file_system.h"

namespace fcnet {
namespace {

// ---- 1. Lines, numbers and points ---------------------------------------------------------

[[noreturn]] void fail(const std::string& file, int line, const std::string& problem) {
    throw Error(file + ":" + std::to_string(line) + ": " + problem);
}

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view trim(std::string_view text) {
    while (!text.empty() && is_blank(text.front())) text.remove_prefix(1);
    while (!text.empty() && is_blank(text.back())) text.remove_suffix(1);
    return text;
}

// Splits off the first blank-separated word of `text` (which is then the rest, trimmed).
std::string_view take_word(std::string_view& text) {
    text = trim(text);
    std::size_t end = 0;
    while (end < text.size() && !is_blank(text[end])) ++end;
    const std::string_view word = text.substr(0, end);
    text = trim(text.substr(end));
    return word;
}

// Shown in messages: at most 40 characters of what was found.
std::string quoted(std::string_view text) {
    return "\"" + std::string(text.substr(0, 40)) + (text.size() > 40 ? "...\"" : "\"");
}

// The trimmed lines of a text with their 1-based numbers. Refuses texts above the size limit.
class Lines {
public:
    Lines(std::string_view text, const std::string& file) : rest_(text) {
        if (static_cast<std::int64_t>(text.size()) > kMaxStrokeFileBytes) {
            throw Error(file + ": " + std::to_string(text.size()) + " bytes, more than the limit of " +
                        std::to_string(kMaxStrokeFileBytes));
        }
    }
    bool next(std::string_view& line) {
        if (rest_.empty()) return false;
        const std::size_t end = rest_.find('\n');
        line = trim(rest_.substr(0, end));
        rest_.remove_prefix(end == std::string_view::npos ? rest_.size() : end + 1);
        ++number_;
        return true;
    }
    int number() const { return number_; }

private:
    std::string_view rest_;
    int number_ = 0;
};

// A UNIPEN keyword line: a dot, then a capital letter (".5 .5" is a point, not a keyword).
bool is_keyword(std::string_view line) { return line.size() >= 2 && line[0] == '.' && line[1] >= 'A' && line[1] <= 'Z'; }

// Parses the whole token as a finite number; false if it is not one. Integers (all the real
// files hold) take a fast path; anything else goes through strtod ('.' is the decimal point:
// programs never call setlocale).
bool parse_number(std::string_view token, double& value) {
    std::size_t i = token[0] == '-' || token[0] == '+' ? 1 : 0;
    if (i < token.size() && token.size() - i <= 15) {
        std::int64_t whole = 0;
        std::size_t j = i;
        while (j < token.size() && token[j] >= '0' && token[j] <= '9') whole = whole * 10 + (token[j++] - '0');
        if (j == token.size()) {
            value = static_cast<double>(token[0] == '-' ? -whole : whole);
            return true;
        }
    }
    char buffer[64];
    if (token.empty() || token.size() >= sizeof buffer) return false;
    std::memcpy(buffer, token.data(), token.size());
    buffer[token.size()] = '\0';
    char* end = nullptr;
    value = std::strtod(buffer, &end);
    return end == buffer + token.size() && std::isfinite(value);
}

// A point line: exactly two numbers within the coordinate limit.
CanvasPoint parse_point(std::string_view line, const std::string& file, int line_number) {
    std::string_view rest = line;
    double xy[2];
    for (double& value : xy) {
        const std::string_view token = take_word(rest);
        if (token.empty() || !parse_number(token, value)) {
            fail(file, line_number, "expected a point (two numbers x y), found " + quoted(line));
        }
        if (std::fabs(value) > kMaxPenCoordinate) {
            fail(file, line_number, "coordinate " + std::string(token) + " is beyond the limit of +-1e7");
        }
    }
    if (!rest.empty()) fail(file, line_number, "expected a point (two numbers x y), found " + quoted(line));
    return {static_cast<float>(xy[0]), static_cast<float>(xy[1])};
}

// ---- 2. .SEGMENT lines ------------------------------------------------------------------------

// `.SEGMENT <level> <strokes> <quality> "<label>"`. Strokes are a comma list of `n` and `a-b`;
// an end may name a point within a stroke (`n:p`), which only UNIPEN uses (`partial`).
struct SegmentLine {
    std::vector<int> strokes;  // in the order written, ranges expanded
    bool partial = false;      // some end is `n:p` (part of a stroke)
    std::string label;
};

// A stroke number, or `n:p` (stroke n from its point p, which sets `partial`).
int parse_stroke_number(std::string_view text, bool& partial, const std::string& file, int line_number) {
    const auto number = [&](std::string_view digits) {
        if (digits.empty() || digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string_view::npos) {
            fail(file, line_number, "expected a stroke number in the .SEGMENT's stroke list, found " + quoted(text));
        }
        return std::stoi(std::string(digits));
    };
    const std::size_t colon = text.find(':');
    if (colon != std::string_view::npos) {
        partial = true;
        number(text.substr(colon + 1));
    }
    return number(text.substr(0, colon));
}

SegmentLine parse_segment_line(std::string_view line, const std::string& file, int line_number) {
    std::string_view rest = line;
    take_word(rest);  // .SEGMENT
    take_word(rest);  // the level: DIGIT, CHARACTER
    const std::string_view strokes = take_word(rest);
    take_word(rest);  // the quality: ?, OK, ...
    const std::string_view label = rest;
    if (strokes.empty()) fail(file, line_number, ".SEGMENT without strokes: " + quoted(line));
    if (label.size() != 3 || label.front() != '"' || label.back() != '"' || label[1] == '"') {
        fail(file, line_number, "expected the label as one quoted character after the .SEGMENT's strokes, found " +
                                    quoted(label.empty() ? line : label));
    }
    SegmentLine segment;
    segment.label = std::string(1, label[1]);
    std::string_view list = strokes;
    std::int64_t count = 0;
    while (true) {
        const std::size_t comma = list.find(',');
        const std::string_view item = list.substr(0, comma);
        const std::size_t dash = item.find('-');
        const int first = parse_stroke_number(item.substr(0, dash), segment.partial, file, line_number);
        const int last = dash == std::string_view::npos
                             ? first
                             : parse_stroke_number(item.substr(dash + 1), segment.partial, file, line_number);
        if (last < first) fail(file, line_number, "stroke range " + quoted(item) + " runs backwards");
        count += std::int64_t{last} - first + 1;
        if (count > kMaxStrokesPerCharacter) {
            fail(file, line_number, ".SEGMENT names more than the limit of " + std::to_string(kMaxStrokesPerCharacter) +
                                        " strokes: " + quoted(strokes));
        }
        for (int stroke = first; stroke <= last; ++stroke) segment.strokes.push_back(stroke);
        if (comma == std::string_view::npos) break;
        list.remove_prefix(comma + 1);
    }
    return segment;
}

// True if the stroke's lowest x and lowest y in the file are both exactly 0 (y is negated on
// reading, so its highest y here): stored from its own corner, as in IBM's broken stretches.
bool starts_at_origin(const Polyline& stroke) {
    float lowest_x = stroke.front().x, highest_y = stroke.front().y;
    for (const CanvasPoint& point : stroke) {
        lowest_x = std::min(lowest_x, point.x);
        highest_y = std::max(highest_y, point.y);
    }
    return lowest_x == 0 && highest_y == 0;
}

// Drops the empty strokes and checks what is left against the points limit. False if no point is left.
bool tidy_strokes(std::vector<Polyline>& strokes, const std::string& file, int line_number) {
    strokes.erase(std::remove_if(strokes.begin(), strokes.end(), [](const Polyline& s) { return s.empty(); }),
                  strokes.end());
    std::size_t points = 0;
    for (const Polyline& stroke : strokes) points += stroke.size();
    if (points > static_cast<std::size_t>(kMaxPointsPerCharacter)) {
        fail(file, line_number, "character of " + std::to_string(points) + " points, more than the limit of " +
                                    std::to_string(kMaxPointsPerCharacter));
    }
    return points > 0;
}

// ---- 3. pendigits and UJI ---------------------------------------------------------------------

// Both files are a list of `.SEGMENT` lines, each followed by that character's `.PEN_DOWN`
// blocks. The .SEGMENT's stroke list must name exactly those blocks, numbered from 0 across the
// file (both real sets do), so a lost or extra block is an error, not a shifted character.
// pendigits adds `.COMMENT <label> <writer> <index>` before the strokes.
std::vector<HandwrittenCharacter> parse_sequential(const std::string& text, const std::string& file, StrokeSet set,
                                                   const std::string& writer, bool official_test) {
    std::vector<HandwrittenCharacter> characters;
    Lines lines(text, file);
    std::string_view line;
    int strokes_in_file = 0;
    int segment_line = 0;        // of the character being read, 0 before the first .SEGMENT
    std::vector<int> named;      // the strokes its .SEGMENT names
    int first_stroke = 0;        // the file's stroke number of its first block
    bool pen_down = false;
    HandwrittenCharacter character;

    const auto finish = [&] {
        if (segment_line == 0) return;
        const int blocks = strokes_in_file - first_stroke;
        bool named_right = static_cast<int>(named.size()) == blocks;
        for (int i = 0; named_right && i < blocks; ++i) named_right = named[i] == first_stroke + i;
        if (!named_right) {
            fail(file, segment_line,
                 ".SEGMENT names " + std::to_string(named.size()) + " strokes starting at " +
                     std::to_string(named[0]) + ", but the .PEN_DOWN blocks after it are " + std::to_string(blocks) +
                     " strokes starting at " + std::to_string(first_stroke));
        }
        if (set == StrokeSet::pendigits && character.writer.empty()) {
            fail(file, segment_line, ".SEGMENT without a .COMMENT naming its label and writer");
        }
        if (!tidy_strokes(character.strokes, file, segment_line)) fail(file, segment_line, ".SEGMENT without points");
        if (set == StrokeSet::pendigits) {
            for (Polyline& stroke : character.strokes)
                for (CanvasPoint& point : stroke) point.y = -point.y;  // y pointed up
        }
        characters.push_back(std::move(character));
        character = HandwrittenCharacter();
    };

    while (lines.next(line)) {
        if (!is_keyword(line)) {
            if (pen_down && !line.empty()) character.strokes.back().push_back(parse_point(line, file, lines.number()));
            continue;  // outside .PEN_DOWN: the text of the keyword above
        }
        pen_down = false;
        std::string_view rest = line;
        const std::string_view keyword = take_word(rest);
        if (keyword == ".SEGMENT") {
            finish();
            segment_line = lines.number();
            SegmentLine segment = parse_segment_line(line, file, segment_line);
            if (segment.partial) fail(file, segment_line, "part-stroke numbers (n:p) are not used in this set");
            named = std::move(segment.strokes);
            first_stroke = strokes_in_file;
            character.label = segment.label;
            character.set = set;
            character.official_test = official_test;
            character.where = file + ":" + std::to_string(segment_line);
            if (set == StrokeSet::uji) character.writer = writer;
        } else if (keyword == ".PEN_DOWN") {
            if (segment_line == 0) fail(file, lines.number(), ".PEN_DOWN before any .SEGMENT");
            if (++strokes_in_file - first_stroke > kMaxStrokesPerCharacter) {
                fail(file, segment_line, "character of more than the limit of " +
                                             std::to_string(kMaxStrokesPerCharacter) + " strokes");
            }
            character.strokes.emplace_back();
            pen_down = true;
        } else if (keyword == ".COMMENT" && set == StrokeSet::pendigits && segment_line != 0 &&
                   character.writer.empty()) {
            const std::string_view label = take_word(rest);
            const std::string_view person = take_word(rest);
            if (label != character.label) {
                fail(file, lines.number(), "the .COMMENT's label " + quoted(label) + " is not the .SEGMENT's \"" +
                                               character.label + "\"");
            }
            if (person.empty() || person.size() > 9 || person.find_first_not_of("0123456789") != std::string_view::npos) {
                fail(file, lines.number(), "expected a writer number after the label in the .COMMENT, found " +
                                               quoted(person));
            }
            character.writer = std::string("pendigits/") + (official_test ? "tes-" : "tra-") + std::string(person);
        }
    }
    finish();
    return characters;
}

// ---- 4. UNIPEN 1a -----------------------------------------------------------------------------

// The x and y resolutions from `.X_POINTS_PER_INCH` / `.X_POINTS_PER_MM` (and Y) headers; the
// last one read wins, as in UNIPEN where an included file's headers hold until replaced.
struct Resolution {
    double x = 0, y = 0;  // points per mm; 0 = not given
    void read(std::string_view text, const std::string& file) {
        Lines lines(text, file);
        std::string_view line;
        while (lines.next(line)) {
            if (line.size() < 13 || line.compare(2, 11, "_POINTS_PER") != 0 || !is_keyword(line)) continue;
            std::string_view rest = line;
            const std::string_view keyword = take_word(rest);
            const bool x_axis = keyword.substr(0, 2) == ".X", y_axis = keyword.substr(0, 2) == ".Y";
            const std::string_view unit = keyword.substr(13);
            if ((!x_axis && !y_axis) || (unit != "_INCH" && unit != "_MM")) continue;
            double value = 0;
            if (rest.empty() || !parse_number(rest, value) || !(value > 0) || value > 1e6) {
                fail(file, lines.number(), "expected a positive resolution after " + std::string(keyword) +
                                               ", found " + quoted(rest));
            }
            (x_axis ? x : y) = unit == "_MM" ? value : value / 25.4;
        }
    }
    // What x is multiplied by to be in y's units (1 when either is not given).
    double x_scale() const { return x > 0 && y > 0 ? y / x : 1.0; }
};

}  // namespace

const char* stroke_set_name(StrokeSet set) {
    switch (set) {
        case StrokeSet::pendigits: return "pendigits";
        case StrokeSet::uji: return "uji";
        case StrokeSet::unipen: return "unipen";
    }
    return "unknown";
}

std::vector<HandwrittenCharacter> parse_pendigits(const std::string& text, const std::string& file_name,
                                                  bool official_test) {
    return parse_sequential(text, file_name, StrokeSet::pendigits, "", official_test);
}

std::vector<HandwrittenCharacter> parse_uji(const std::string& text, const std::string& file_name,
                                            const std::string& writer) {
    return parse_sequential(text, file_name, StrokeSet::uji, writer, false);
}

std::vector<HandwrittenCharacter> parse_unipen(const std::string& segment_text, const std::string& segment_file,
                                               const std::string& pen_text, const std::string& pen_file,
                                               const std::string& writer, int* unresolved, int* at_origin,
                                               const std::vector<IncludedFile>& headers) {
    Resolution resolution;
    for (const IncludedFile& header : headers) resolution.read(header.text, header.name);
    resolution.read(pen_text, pen_file);
    const float x_scale = static_cast<float>(resolution.x_scale());

    // The pen file's components, numbered from 0 in file order: every .PEN_DOWN block (empty ones
    // too), and every .PEN_UP block that holds points (pen movement in the air, which some
    // contributors record: it is numbered, but it is not ink).
    std::vector<Polyline> components;
    std::vector<bool> ink;  // per component: a .PEN_DOWN block
    {
        Lines lines(pen_text, pen_file);
        std::string_view line;
        enum { other, down, up, up_counted } block = other;
        while (lines.next(line)) {
            if (is_keyword(line)) {
                std::string_view rest = line;
                const std::string_view keyword = take_word(rest);
                block = keyword == ".PEN_DOWN" ? down : keyword == ".PEN_UP" ? up : other;
                if (block == down) {
                    components.emplace_back();
                    ink.push_back(true);
                }
            } else if (block != other && !line.empty()) {
                CanvasPoint point = parse_point(line, pen_file, lines.number());
                point.x *= x_scale;
                point.y = -point.y;  // y points up in every contributor's files
                if (block == up) {
                    components.emplace_back();
                    ink.push_back(false);
                    block = up_counted;
                }
                components.back().push_back(point);
            }
        }
    }

    std::vector<HandwrittenCharacter> characters;
    Lines lines(segment_text, segment_file);
    std::string_view line;
    while (lines.next(line)) {
        if (line.compare(0, 8, ".SEGMENT") != 0 || (line.size() > 8 && !is_blank(line[8]))) continue;
        const SegmentLine segment = parse_segment_line(line, segment_file, lines.number());
        HandwrittenCharacter character;
        bool resolved = !segment.partial;
        for (const int component : segment.strokes) {
            if (!resolved || component >= static_cast<int>(components.size())) {
                resolved = false;
                break;
            }
            if (ink[component]) character.strokes.push_back(components[component]);
        }
        if (resolved) resolved = tidy_strokes(character.strokes, segment_file, lines.number());
        if (!resolved) {
            if (unresolved) ++*unresolved;
            continue;
        }
        if (std::any_of(character.strokes.begin(), character.strokes.end(), starts_at_origin)) {
            if (at_origin) ++*at_origin;
            continue;
        }
        character.label = segment.label;
        character.set = StrokeSet::unipen;
        character.writer = writer;
        character.where = segment_file + ":" + std::to_string(lines.number());
        characters.push_back(std::move(character));
    }
    return characters;
}

// ---- 5. The folder ----------------------------------------------------------------------------

namespace {

namespace fs = std::filesystem;

std::string read_text(const fs::path& path) {
    const std::vector<std::uint8_t> bytes = read_binary_file(path.string(), kMaxStrokeFileBytes);
    return std::string(bytes.begin(), bytes.end());
}

void require_folder(const fs::path& folder) {
    std::error_code error;
    if (!fs::is_directory(folder, error)) throw Error(folder.string() + ": stroke folder not found");
}

// The regular files under `folder` (recursively if asked) whose names start with `prefix`, sorted.
std::vector<fs::path> files_in(const fs::path& folder, const std::string& prefix, bool recursive) {
    require_folder(folder);
    std::vector<fs::path> files;
    const auto take = [&](const fs::directory_entry& entry) {
        if (entry.is_regular_file() && entry.path().filename().string().rfind(prefix, 0) == 0) {
            files.push_back(entry.path());
        }
    };
    try {
        if (recursive) {
            for (const auto& entry : fs::recursive_directory_iterator(folder)) take(entry);
        } else {
            for (const auto& entry : fs::directory_iterator(folder)) take(entry);
        }
    } catch (const fs::filesystem_error& error) {
        throw Error(folder.string() + ": cannot list the stroke files: " + error.code().message());
    }
    std::sort(files.begin(), files.end());
    if (files.empty()) throw Error(folder.string() + ": no stroke files (" + prefix + "*) in it");
    return files;
}

// The word after the first `.WRITER_ID` of a pen file.
std::string unipen_writer_id(const std::string& pen_text, const std::string& pen_file) {
    Lines lines(pen_text, pen_file);
    std::string_view line;
    while (lines.next(line)) {
        std::string_view rest = line;
        if (take_word(rest) != ".WRITER_ID") continue;
        const std::string_view id = take_word(rest);
        if (id.empty() || id.find('/') != std::string_view::npos) {
            fail(pen_file, lines.number(), "expected a writer id after .WRITER_ID, found " + quoted(line));
        }
        return std::string(id);
    }
    throw Error(pen_file + ": no .WRITER_ID line naming the writer");
}

// The files a UNIPEN file brings in with .INCLUDE, depth first in order, from `include_root`.
// The one with .PEN_DOWN blocks is the pen file; the others (.doc, .lex) only give headers.
struct UnipenIncludes {
    std::vector<IncludedFile> headers;
    IncludedFile pen;
};

void gather_includes(const std::string& text, const std::string& file, const fs::path& include_root, int depth,
                     std::map<std::string, std::string>& header_cache, UnipenIncludes& out) {
    Lines lines(text, file);
    std::string_view line;
    while (lines.next(line)) {
        std::string_view rest = line;
        if (take_word(rest) != ".INCLUDE") continue;
        const fs::path relative(std::string(take_word(rest)));
        const bool inside = !relative.empty() && relative.is_relative() &&
                            std::none_of(relative.begin(), relative.end(), [](const fs::path& p) { return p == ".."; });
        if (!inside) fail(file, lines.number(), "expected a path inside include/ after .INCLUDE, found " + quoted(line));
        if (depth >= 4) fail(file, lines.number(), ".INCLUDE nested more than 4 deep");
        const std::string path = (include_root / relative).string();
        const auto cached = header_cache.find(path);
        std::string included = cached != header_cache.end() ? cached->second : read_text(path);
        const bool has_pen_data = included.rfind(".PEN_DOWN", 0) == 0 || included.find("\n.PEN_DOWN") != std::string::npos;
        if (has_pen_data) {
            if (!out.pen.name.empty()) {
                fail(file, lines.number(), "a second file with pen data (" + path + " after " + out.pen.name + ")");
            }
            out.pen = {path, std::move(included)};
            gather_includes(out.pen.text, path, include_root, depth + 1, header_cache, out);
        } else {
            header_cache.emplace(path, included);
            out.headers.push_back({path, included});
            gather_includes(included, path, include_root, depth + 1, header_cache, out);
        }
    }
}

void read_unipen(const fs::path& folder, StrokeCollection& collection) {
    const fs::path data = folder / "data" / "1a", include_root = folder / "include";
    require_folder(include_root);
    std::map<std::string, std::string> headers_cache;  // the .doc files many segment files include
    for (const fs::path& segment_path : files_in(data, "", true)) {
        const std::string segment_file = segment_path.string();
        const std::string segment_text = read_text(segment_path);
        UnipenIncludes includes;
        gather_includes(segment_text, segment_file, include_root, 0, headers_cache, includes);
        if (includes.pen.name.empty()) throw Error(segment_file + ": no .INCLUDE brings in pen data (.PEN_DOWN)");
        const std::string contributor = fs::relative(segment_path, data).begin()->string();
        const std::string writer = "unipen/" + contributor + "/" + unipen_writer_id(includes.pen.text, includes.pen.name);
        std::vector<HandwrittenCharacter> characters =
            parse_unipen(segment_text, segment_file, includes.pen.text, includes.pen.name, writer,
                         &collection.unresolved_segments, &collection.origin_segments, includes.headers);
        std::move(characters.begin(), characters.end(), std::back_inserter(collection.characters));
    }
}

}  // namespace

StrokeCollection read_stroke_folder(const std::string& folder) {
    const fs::path root(folder);
    require_folder(root);
    StrokeCollection collection;
    const auto add = [&](std::vector<HandwrittenCharacter> characters) {
        std::move(characters.begin(), characters.end(), std::back_inserter(collection.characters));
    };
    for (const char* part : {"pendigits-orig.tra", "pendigits-orig.tes"}) {
        const fs::path path = root / "pendigits" / part;
        add(parse_pendigits(read_text(path), path.string(), path.extension() == ".tes"));
    }
    for (const fs::path& path : files_in(root / "uji-v1", "UJIpenchars-w", false)) {
        add(parse_uji(read_text(path), path.string(), "uji/" + path.filename().string().substr(12)));
    }
    read_unipen(root / "unipen-1a", collection);
    return collection;
}

std::string default_stroke_folder() {
    const char* folder = std::getenv("FCNET_STROKES_DIR");
    return folder && *folder ? folder : "../shared/data/strokes";
}

}  // namespace fcnet
