// The "Real pen strokes" section of `fcnet evaluate`: held-out writers' digits drawn like people draw them, and doodles and letters to reject.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/rejection_report.h"
#include "core/model.h"

namespace fcnet::cli {

// Seeds used by no training command (those use small numbers): the test figures', and the
// validation figures' (`--part validation`).
constexpr std::uint64_t kStrokeReportSeed = 7'160'000'002;
constexpr std::uint64_t kStrokeValidationSeed = 7'160'000'012;

// One way of drawing the held-out digits, and how the model fared.
struct StrokeScore {
    std::string set;        // "pendigits test writers", ...
    std::string drawing;    // e.g. "280x280 stylus 4% image"
    int samples = 0;
    double correct = 0;              // the reported digit (argmax of the ten) is the label
    double correct_and_accepted = 0; // ... and the model's reject_confidence accepts it
    std::vector<float> right_scores; // the score (the report's ScoreRule) of each sample read right
    double correct_and_kept = -1;    // read right and scoring at least the "Not a digit" section's threshold (keep_at)
    bool pen_path = false;           // drawn as strokes and read with the model's pen-path network too (stroke_reading.h)
};

struct StrokeReport {
    std::string folder;
    int unresolved_segments = 0;  // UNIPEN segments skipped, every part: their strokes do not resolve
    int origin_segments = 0;      // ... or a stroke is stored from its own corner (data/strokes.h)
    std::vector<StrokeScore> scores;      // each set x each drawing, then each set over all of them
    std::vector<StrokeScore> size_rows;   // all sets: the app's brush at 10% and at 60% of a 280 canvas
    std::vector<NondigitSet> nondigits;   // held-out doodles (each kind) and test writers' letters, preprocessed
    float pen_path_threshold = -1;        // the model's stroke_threshold when it has a pen-path network, else -1
};

// Reads `folder` (read_stroke_folder) and renders each `part` character (stroke_part_of) of
// every set: on a 280x280 and a 1000x600 canvas, as a stylus line (4% of its height) and a
// finger (15%), at heights from 15% to 90% of the canvas and random places, reaching the model
// as an image (what `fcnet predict` sees); once as strokes (what the app sees, the same image
// whatever the canvas, size, place and pen);
// then at 10% and 60% of a 280x280 canvas with the app's default brush (20 pixels). Also
// renders 200 doodles of each kind (seed kStrokeReportSeed, or kStrokeValidationSeed for the
// validation part) and the part's writers' letters that do not pass for digits (4 renderings
// each, 12 for the validation writer's few), for the rejection section. Each digit read right
// keeps its score by `rule`. Throws fcnet::Error if the folder cannot be read, the model is not
// a digit model, or `rule` needs a class the model lacks.
StrokeReport stroke_report(const Model& model, const std::string& folder, HeldOutPart part = HeldOutPart::test,
                           ScoreRule rule = ScoreRule::probability);

// Fills every row's correct_and_kept: the share read right and scoring at least `threshold`
// (the "Not a digit" section's, which keeps 99% of the --data digits); rows read with a pen-path
// network are held to its own threshold instead (stroke_threshold), as the app holds them.
void keep_at(StrokeReport& report, float threshold);

std::string stroke_table(const StrokeReport& report);
nlohmann::json stroke_json(const StrokeReport& report);

}  // namespace fcnet::cli
