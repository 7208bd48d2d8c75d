// Reader for labelled CSV datasets: the whole file is read at once, fields parsed with from_chars.
#include "data/csv.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cfloat>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string_view>

#include "core/error.h"

namespace fcnet {
namespace {

constexpr int max_label = 99'999;  // keeps one-hot matrices and class tables small

std::string read_whole_file(const std::string& path) {
    std::error_code ignored;
    const auto status = std::filesystem::status(path, ignored);
    if (!std::filesystem::exists(status)) throw Error("CSV file " + path + ": file not found");
    if (std::filesystem::is_directory(status)) {
        throw Error("CSV file " + path + ": is a directory, not a CSV file");
    }
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in) throw Error("CSV file " + path + ": cannot open");
    std::string text(static_cast<std::size_t>(in.tellg()), '\0');
    in.seekg(0);
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    if (!in) throw Error("CSV file " + path + ": cannot read");
    return text;
}

std::string_view trim(std::string_view text) {
    const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
    while (!text.empty() && blank(text.front())) text.remove_prefix(1);
    while (!text.empty() && blank(text.back())) text.remove_suffix(1);
    return text;
}

// Parses the whole of `field` as a number; std::errc::invalid_argument if it is not one.
// strtod rather than from_chars: emscripten's libc++ has no floating-point from_chars.
// Programs never call setlocale, so '.' is the decimal point.
std::errc parse_number(std::string_view field, double& value) {
    char buffer[128];
    if (field.empty() || field.size() >= sizeof buffer || std::isspace(static_cast<unsigned char>(field[0]))) {
        return std::errc::invalid_argument;
    }
    std::memcpy(buffer, field.data(), field.size());
    buffer[field.size()] = '\0';
    char* end = nullptr;
    errno = 0;
    value = std::strtod(buffer, &end);
    if (end != buffer + field.size()) return std::errc::invalid_argument;
    if (errno == ERANGE && std::isinf(value)) return std::errc::result_out_of_range;
    return std::errc();
}

int count_fields(std::string_view line) {
    return 1 + static_cast<int>(std::count(line.begin(), line.end(), ','));
}

// Walks the non-blank lines of a file's text, keeping the 1-based line number for messages.
class CsvReader {
public:
    CsvReader(const std::string& path, std::string_view text) : path_(path), rest_(text) {
        if (rest_.substr(0, 3) == "\xEF\xBB\xBF") rest_.remove_prefix(3);  // UTF-8 byte order mark
    }

    // The next line that is not blank, trimmed; false at the end of the text.
    bool next_line(std::string_view& line) {
        while (!rest_.empty()) {
            const std::size_t end = rest_.find('\n');
            line = trim(rest_.substr(0, end));
            rest_.remove_prefix(end == std::string_view::npos ? rest_.size() : end + 1);
            ++line_number_;
            if (!line.empty()) return true;
        }
        return false;
    }

    [[noreturn]] void fail(const std::string& problem) const {
        throw Error("CSV file " + path_ + ", line " + std::to_string(line_number_) + ": " +
                    problem);
    }

private:
    std::string path_;
    std::string_view rest_;
    int line_number_ = 0;
};

bool looks_like_header(std::string_view line) {
    std::size_t start = 0;
    while (true) {
        const std::size_t comma = line.find(',', start);
        double value = 0;
        if (parse_number(trim(line.substr(start, comma - start)), value) ==
            std::errc::invalid_argument) {
            return true;
        }
        if (comma == std::string_view::npos) return false;
        start = comma + 1;
    }
}

// "field 3 ("abc")": a field as error messages show it, counted from 1.
std::string describe_field(std::string_view field, int column) {
    return "field " + std::to_string(column + 1) + " (\"" + std::string(field) + "\")";
}

int parse_label(const CsvReader& reader, std::string_view field, int column) {
    double label = 0;
    const std::errc error = parse_number(field, label);
    if (error == std::errc::invalid_argument) {
        reader.fail("label " + describe_field(field, column) + " is not a number");
    }
    if (error != std::errc() || !std::isfinite(label) || label != std::floor(label)) {
        reader.fail("label " + describe_field(field, column) + " is not an integer");
    }
    if (label < 0) reader.fail("label " + describe_field(field, column) + " is negative");
    if (label > max_label) {
        reader.fail("label " + describe_field(field, column) + " is too large (at most " +
                    std::to_string(max_label) + ")");
    }
    return static_cast<int>(label);
}

float parse_feature(const CsvReader& reader, std::string_view field, int column) {
    double value = 0;
    std::errc error = parse_number(field, value);
    if (error == std::errc() && std::isfinite(value) && std::abs(value) > FLT_MAX) {
        error = std::errc::result_out_of_range;
    }
    if (error == std::errc::invalid_argument) {
        reader.fail(describe_field(field, column) + " is non-numeric");
    }
    if (error != std::errc()) {
        reader.fail(describe_field(field, column) + " is out of the float range");
    }
    if (!std::isfinite(value)) {
        reader.fail(describe_field(field, column) + " is not finite (NaN or inf)");
    }
    return static_cast<float>(value);
}

// True if the features look like pixels: all in [0, 255], some above 1 (see CsvOptions::scale).
bool holds_pixels(const Matrix& features) {
    const float highest = features.maxCoeff();
    return features.minCoeff() >= 0.0f && highest > 1.0f && highest <= 255.0f;
}

}  // namespace

Dataset read_csv(const std::string& path, const CsvOptions& options) {
    const std::string text = read_whole_file(path);
    CsvReader reader(path, text);

    std::string_view line;
    if (!reader.next_line(line)) throw Error("CSV file " + path + ": the file is empty");
    const bool has_header = options.header == CsvHeader::present ||
                            (options.header == CsvHeader::detect && looks_like_header(line));
    const int fields = count_fields(line);
    if (fields < 2) reader.fail("found 1 field: need a label and at least one feature");
    const int label_column =
        options.label_column >= 0 ? options.label_column : fields + options.label_column;
    if (label_column < 0 || label_column >= fields) {
        reader.fail("label column " + std::to_string(options.label_column) + " is outside the " +
                    std::to_string(fields) + " fields of the row");
    }
    if (has_header && !reader.next_line(line)) reader.fail("no data rows after the header");

    // A row takes a line and at least `fields` bytes (its commas and line end), so this bounds
    // the matrix by the file's size whatever the content.
    const Eigen::Index max_rows =
        1 + std::min<Eigen::Index>(std::count(text.begin(), text.end(), '\n'),
                                   static_cast<Eigen::Index>(text.size()) / fields);
    Dataset dataset;
    dataset.features.resize(max_rows, fields - 1);
    dataset.labels.reserve(static_cast<std::size_t>(max_rows));
    Eigen::Index row = 0;
    do {
        const int found = count_fields(line);
        if (found != fields) {
            reader.fail("ragged row: expected " + std::to_string(fields) + " fields, found " +
                        std::to_string(found));
        }
        std::size_t start = 0;
        Eigen::Index feature = 0;
        for (int column = 0; column < fields; ++column) {
            const std::size_t comma = line.find(',', start);
            const std::string_view field = trim(line.substr(start, comma - start));
            start = comma + 1;
            if (column == label_column) {
                dataset.labels.push_back(parse_label(reader, field, column));
            } else {
                dataset.features(row, feature++) = parse_feature(reader, field, column);
            }
        }
        ++row;
    } while (reader.next_line(line));

    dataset.features.conservativeResize(row, fields - 1);
    if (options.scale != 0.0f) {
        dataset.features *= options.scale;
    } else if (holds_pixels(dataset.features)) {
        dataset.features /= 255.0f;  // as the IDX reader does, so both give the same floats
    }
    dataset.classes = *std::max_element(dataset.labels.begin(), dataset.labels.end()) + 1;
    dataset.name = path;
    return dataset;
}

}  // namespace fcnet
