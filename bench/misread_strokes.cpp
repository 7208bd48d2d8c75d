// Lists the digits of held-out writers that a model misreads or rejects, drawn as the app reads strokes, each with its writer, place in the files and a picture.
//
// Usage: fcnet_misread_strokes <strokes-folder> <model.fcnet> [pendigits|uji|unipen] [--part validation|test]
//
// Each digit of the set's writers in the part (stroke_split.h; test unless --part) is read from
// its strokes exactly as written, as the app reads them (preprocess_strokes, and the pen's path
// when the model has a pen-path network; one drawing each: the canvas, size and pen drop out). Every one not read as its label and accepted by the model's
// reject_confidence is printed: writer, file:line of its .SEGMENT, label, reading, confidence,
// stroke count, then the 28x28 image the network saw (ascii_art). The last line counts them.
// For looking at what a model gets wrong, and whether the ink shows the label at all.
#include <cstdio>
#include <stdexcept>
#include <string>

#include "data/stroke_split.h"
#include "data/strokes.h"
#include "io/model_file.h"
#include "preprocess/ascii_art.h"
#include "preprocess/digit_prediction.h"
#include "preprocess/stroke_drawing.h"
#include "preprocess/trajectory.h"

using namespace fcnet;

int main(int argc, char** argv) try {
    std::string folder, model_path, set = "unipen", part = "test";
    int positional = 0;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--part" && i + 1 < argc) part = argv[++i];
        else if (positional == 0) folder = arg, ++positional;
        else if (positional == 1) model_path = arg, ++positional;
        else if (positional == 2) set = arg, ++positional;
        else throw std::invalid_argument("unexpected argument '" + arg + "'");
    }
    if (positional < 2 || (part != "test" && part != "validation") ||
        (set != "pendigits" && set != "uji" && set != "unipen")) {
        throw std::invalid_argument("usage: fcnet_misread_strokes <strokes-folder> <model.fcnet> [pendigits|uji|unipen] "
                                    "[--part validation|test]");
    }
    const StrokePart wanted = part == "test" ? StrokePart::test : StrokePart::validation;
    DigitClassifier classifier(load_model(model_path));
    const StrokeCollection collection = read_stroke_folder(folder);
    int digits = 0, misread = 0, rejected = 0;
    for (const HandwrittenCharacter& c : collection.characters) {
        if (!c.is_digit() || stroke_set_name(c.set) != set || stroke_part_of(c) != wanted) continue;
        ++digits;
        const DigitImage image = preprocess_strokes(c.strokes, 1.0f);  // the pen's width drops out: redrawn at MNIST's
        const DigitPrediction reading = classifier.classify(image, trajectory_features(c.strokes));
        const int label = c.label[0] - '0';
        if (reading.digit == label && reading.is_digit) continue;
        ++(reading.digit == label ? rejected : misread);
        std::printf("%s %s: label %d, read %d (%.3f, %s), %zu strokes\n%s\n", c.writer.c_str(), c.where.c_str(), label,
                    reading.digit, reading.confidence, reading.is_digit ? "accepted" : "rejected", c.strokes.size(),
                    ascii_art(image).c_str());
    }
    std::printf("%s %s writers: %d digits, %d read as another digit, %d read right but rejected\n", set.c_str(),
                part.c_str(), digits, misread, rejected);
    return 0;
} catch (const std::exception& e) {
    std::fprintf(stderr, "fcnet_misread_strokes: %s\n", e.what());
    return 1;
}
