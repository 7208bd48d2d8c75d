// Reader for labelled CSV datasets: one sample per line, a label column and feature columns.
#pragma once

#include <string>

#include "data/dataset.h"

namespace fcnet {

// Whether the first line of a CSV file names the columns.
enum class CsvHeader {
    detect,   // a header if any field of the first line is not a number
    present,  // the first line is a header: skipped whatever it holds
    absent,   // the first line is data
};

struct CsvOptions {
    // Which field holds the label, counted from 0; a negative value counts from the end
    // (-1 is the last field). Every other field is a feature, in file order.
    int label_column = 0;
    CsvHeader header = CsvHeader::detect;
    // Every feature is multiplied by `scale`. 0 chooses automatically from the values: if
    // all lie in [0, 1] they are kept; else if all lie in [0, 255] they are taken as pixels
    // and divided by 255; otherwise they are kept as they are.
    float scale = 0.0f;
};

// Reads a comma-separated file: fields may have surrounding spaces, lines may end in
// "\r\n", blank lines are skipped. Labels must be non-negative integers (below 100000);
// classes = largest label + 1; the dataset's name is the path.
// Throws fcnet::Error naming the file (and the line, where there is one) for: an empty
// file, a header but no data rows, a ragged row (expected N fields, found M), a field that
// is not a number, NaN or infinite values, a label that is not an integer or is negative,
// a label column outside the row, or rows with no feature.
Dataset read_csv(const std::string& path, const CsvOptions& options = {});

}  // namespace fcnet
