// Rendering held-out writers' pen strokes, doodles and letters, and scoring them, for `fcnet evaluate --strokes`.
#include "cli/stroke_report.h"

#include <algorithm>
#include <cstdio>
#include <random>

#include "core/error.h"
#include "data/doodles.h"
#include "data/stroke_render.h"
#include "data/stroke_split.h"
#include "data/strokes.h"
#include "preprocess/stroke_reading.h"
#include "preprocess/digit_prediction.h"

namespace fcnet::cli {

namespace {

constexpr int kDoodlesPerKind = 200;
constexpr int kLetterRenders = 4;            // of each test writer's letter
constexpr int kValidationLetterRenders = 12;  // of the one validation writer's (82 letters)
constexpr float kAppBrush = 20;  // the app's default brush, pixels across on its 280 x 280 canvas

// A way of drawing every held-out digit.
struct Drawing {
    const char* name;
    int canvas_width, canvas_height;
    float pen_fraction;               // of the digit's height; 0: the app's brush (kAppBrush pixels)
    StrokeInput input;
    float height_low, height_high;    // of the canvas, drawn uniformly
};

const Drawing kDrawings[] = {
    {"280x280 stylus 4% image", 280, 280, 0.04f, StrokeInput::image, 0.15f, 0.90f},
    {"280x280 finger 15% image", 280, 280, 0.15f, StrokeInput::image, 0.15f, 0.90f},
    {"1000x600 stylus 4% image", 1000, 600, 0.04f, StrokeInput::image, 0.15f, 0.90f},
    {"1000x600 finger 15% image", 1000, 600, 0.15f, StrokeInput::image, 0.15f, 0.90f},
    // As strokes, the canvas, size, place and pen drop out: one drawing stands for all of them.
    {"strokes (app), any canvas and pen", 280, 280, 0.15f, StrokeInput::strokes, 0.15f, 0.90f},
};
constexpr int kImageDrawings = 4;  // the first four: the targets' stylus and finger renderings

const Drawing kSizeDrawings[] = {
    {"app brush, 10% of 280, image", 280, 280, 0, StrokeInput::image, 0.10f, 0.10f},
    {"app brush, 60% of 280, image", 280, 280, 0, StrokeInput::image, 0.60f, 0.60f},
    {"app brush, 10% of 280, strokes (app)", 280, 280, 0, StrokeInput::strokes, 0.10f, 0.10f},
    {"app brush, 60% of 280, strokes (app)", 280, 280, 0, StrokeInput::strokes, 0.60f, 0.60f},
};

struct HeldOut {
    std::string name;
    std::vector<const HandwrittenCharacter*> digits;
};

// The jobs that draw each of `digits` as `drawing` says, at a random height and place.
std::vector<RenderJob> drawing_jobs(const std::vector<const HandwrittenCharacter*>& digits, const Drawing& drawing,
                                    std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<float> unit(0.0f, 1.0f);
    std::vector<RenderJob> jobs;
    for (const HandwrittenCharacter* c : digits) {
        RenderJob job;
        job.strokes = &c->strokes;
        job.label = c->label[0] - '0';
        StrokeRendering& r = job.rendering;
        r.canvas_width = drawing.canvas_width, r.canvas_height = drawing.canvas_height;
        r.height_fraction = drawing.height_low + (drawing.height_high - drawing.height_low) * unit(rng);
        r.pen_fraction = drawing.pen_fraction > 0 ? drawing.pen_fraction
                                                  : kAppBrush / (r.height_fraction * drawing.canvas_height);
        r.place_x = unit(rng), r.place_y = unit(rng);
        job.input = drawing.input;
        job.seed = rng();
        jobs.push_back(job);
    }
    return jobs;
}

// How many of the rendered jobs the model reads right, and right and accepted; the scores by
// `rule` of those read right.
StrokeScore score_jobs(const Model& model, const std::vector<RenderJob>& jobs, const std::string& set,
                       const std::string& drawing, ScoreRule rule) {
    std::vector<bool> empty;
    Matrix paths;  // jobs x 246, for a pen-path network: the drawings given as strokes
    const bool pen = model.pen_path && !jobs.empty() && jobs.front().input == StrokeInput::strokes;
    const Dataset data = render_jobs(jobs, kDigitClasses, set, &empty, pen ? &paths : nullptr);
    const RuleScores scored = rule_scores(model, data.features, rule, pen ? &paths : nullptr);
    StrokeScore score;
    score.pen_path = pen;
    int correct = 0, accepted = 0;
    for (int i = 0; i < data.size(); ++i) {
        if (empty[i]) continue;
        const bool right = scored.digits[i] == data.labels[i];
        correct += right;
        accepted += right && scored.accepted[i];
        if (right) score.right_scores.push_back(scored.scores[i]);
    }
    score.set = set, score.drawing = drawing, score.samples = data.size();
    score.correct = data.size() > 0 ? static_cast<double>(correct) / data.size() : 0;
    score.correct_and_accepted = data.size() > 0 ? static_cast<double>(accepted) / data.size() : 0;
    return score;
}

// The mean of `rows`, weighted by their samples, as one row.
StrokeScore pooled(const std::vector<StrokeScore>& rows, const std::string& set, const std::string& drawing) {
    StrokeScore total;
    total.set = set, total.drawing = drawing;
    for (const StrokeScore& row : rows) {
        total.samples += row.samples;
        total.correct += row.correct * row.samples;
        total.correct_and_accepted += row.correct_and_accepted * row.samples;
        total.right_scores.insert(total.right_scores.end(), row.right_scores.begin(), row.right_scores.end());
    }
    if (total.samples > 0) total.correct /= total.samples, total.correct_and_accepted /= total.samples;
    return total;
}

// Random renderings of `strokes` (one job each), preprocessed: a rejection set. Half are drawn as
// strokes; with `pen_path`, their path features come too.
NondigitSet rejection_set(const std::string& name, const std::vector<const std::vector<Polyline>*>& strokes,
                          std::uint64_t seed, bool pen_path, std::vector<std::string> groups = {}) {
    std::mt19937_64 rng(seed);
    std::vector<RenderJob> jobs;
    for (const std::vector<Polyline>* s : strokes) {
        RenderJob job;
        job.strokes = s;
        job.label = kDigitClasses;
        job.rendering = random_rendering(rng);
        job.input = jobs.size() % 2 == 0 ? StrokeInput::image : StrokeInput::strokes;
        job.seed = rng();
        jobs.push_back(job);
    }
    NondigitSet set;
    set.name = name;
    set.features = render_jobs(jobs, kDigitClasses + 1, name, &set.empty, pen_path ? &set.paths : nullptr).features;
    if (pen_path) {
        for (const RenderJob& job : jobs) set.as_strokes.push_back(job.input == StrokeInput::strokes);
    }
    set.groups = std::move(groups);
    return set;
}

}  // namespace

StrokeReport stroke_report(const Model& model, const std::string& folder, HeldOutPart part, ScoreRule rule) {
    check_digit_model(model);
    const StrokeCollection collection = read_stroke_folder(folder);
    StrokeReport report;
    report.folder = folder;
    report.unresolved_segments = collection.unresolved_segments;
    report.origin_segments = collection.origin_segments;
    const bool pen_path = model.pen_path.has_value();
    if (pen_path) report.pen_path_threshold = stroke_threshold(model);

    const bool test = part == HeldOutPart::test;
    const StrokePart writers = test ? StrokePart::test : StrokePart::validation;
    const std::string writers_name = std::string(" ") + stroke_part_name(writers) + " writers";
    const std::uint64_t seed = test ? kStrokeReportSeed : kStrokeValidationSeed;
    const int letter_renders = test ? kLetterRenders : kValidationLetterRenders;
    std::vector<HeldOut> sets = {{"pendigits" + writers_name, {}}, {"UJI" + writers_name, {}}, {"UNIPEN" + writers_name, {}}};
    std::vector<const std::vector<Polyline>*> letters;
    std::vector<std::string> letter_names, letter_writers;  // one a rendering
    for (const HandwrittenCharacter& c : collection.characters) {
        if (stroke_part_of(c) != writers) continue;
        if (c.is_digit()) sets[static_cast<int>(c.set)].digits.push_back(&c);
        if (is_nondigit_letter(c)) {
            for (int copy = 0; copy < letter_renders; ++copy) {
                letters.push_back(&c.strokes), letter_names.push_back(c.label), letter_writers.push_back("writer " + c.writer);
            }
        }
    }

    std::vector<const HandwrittenCharacter*> all_digits;
    for (const HeldOut& set : sets) {
        if (set.digits.empty()) continue;
        all_digits.insert(all_digits.end(), set.digits.begin(), set.digits.end());
        std::vector<StrokeScore> image_rows;
        for (int d = 0; d < static_cast<int>(std::size(kDrawings)); ++d) {
            const StrokeScore row =
                score_jobs(model, drawing_jobs(set.digits, kDrawings[d], seed + d), set.name, kDrawings[d].name, rule);
            report.scores.push_back(row);
            if (d < kImageDrawings) image_rows.push_back(row);
        }
        report.scores.push_back(pooled(image_rows, set.name, "the four image drawings"));
    }
    for (int d = 0; d < static_cast<int>(std::size(kSizeDrawings)) && !all_digits.empty(); ++d) {
        report.size_rows.push_back(score_jobs(model, drawing_jobs(all_digits, kSizeDrawings[d], seed + 100 + d),
                                              "all" + writers_name, kSizeDrawings[d].name, rule));
    }

    // Doodles of each kind, then the letters.
    std::vector<std::vector<Polyline>> doodles(kDoodleKinds * kDoodlesPerKind);
    for (int kind = 0; kind < kDoodleKinds; ++kind) {
        std::vector<const std::vector<Polyline>*> of_kind;
        for (int i = 0; i < kDoodlesPerKind; ++i) {
            std::mt19937_64 rng(seed + 1000 * kind + i);
            std::vector<Polyline>& doodle = doodles[kind * kDoodlesPerKind + i];
            doodle = draw_doodle(rng, static_cast<DoodleKind>(kind));
            of_kind.push_back(&doodle);
        }
        report.nondigits.push_back(rejection_set(std::string("doodle: ") + doodle_kind_name(static_cast<DoodleKind>(kind)),
                                                 of_kind, seed + 200 + kind, pen_path));
    }
    if (!letters.empty()) {
        report.nondigits.push_back(rejection_set("UJI" + writers_name + "' letters", letters, seed + 300, pen_path,
                                                 std::move(letter_names)));
        report.nondigits.back().parts = std::move(letter_writers);
    }
    return report;
}

void keep_at(StrokeReport& report, float threshold) {
    for (auto* rows : {&report.scores, &report.size_rows}) {
        for (StrokeScore& s : *rows) {
            const float held_to = s.pen_path ? report.pen_path_threshold : threshold;
            const auto kept = std::count_if(s.right_scores.begin(), s.right_scores.end(),
                                            [held_to](float score) { return score >= held_to; });
            s.correct_and_kept = s.samples > 0 ? static_cast<double>(kept) / s.samples : 0;
        }
    }
}

std::string stroke_table(const StrokeReport& report) {
    char line[256];
    std::string text = "\nReal pen strokes (" + report.folder + "), writers no training part holds\n";
    std::snprintf(line, sizeof line, "  %-28s %-38s %8s %9s %20s %19s\n", "set", "drawn as", "samples", "correct",
                  "correct & accepted", "correct & kept@99%");
    text += line;
    for (const auto* rows : {&report.scores, &report.size_rows}) {
        for (const StrokeScore& s : *rows) {
            char kept[32] = "-";
            if (s.correct_and_kept >= 0) std::snprintf(kept, sizeof kept, "%.2f%%", 100 * s.correct_and_kept);
            std::snprintf(line, sizeof line, "  %-28s %-38s %8d %8.2f%% %19.2f%% %19s\n", s.set.c_str(),
                          s.drawing.c_str(), s.samples, 100 * s.correct, 100 * s.correct_and_accepted, kept);
            text += line;
        }
    }
    if (report.pen_path_threshold >= 0) {
        std::snprintf(line, sizeof line,
                      "  (drawn as strokes, with the pen-path network too: accepted and kept from its threshold %.4f)\n",
                      report.pen_path_threshold);
        text += line;
    }
    if (report.unresolved_segments > 0) {
        text += "  (" + std::to_string(report.unresolved_segments) + " UNIPEN segments whose strokes do not resolve were skipped)\n";
    }
    if (report.origin_segments > 0) {
        text += "  (" + std::to_string(report.origin_segments) +
                " UNIPEN segments with a stroke stored from its own corner were skipped: IBM's broken stretches)\n";
    }
    return text;
}

nlohmann::json stroke_json(const StrokeReport& report) {
    nlohmann::json rows = nlohmann::json::array();
    for (const auto* part : {&report.scores, &report.size_rows}) {
        for (const StrokeScore& s : *part) {
            rows.push_back({{"set", s.set},
                            {"drawn_as", s.drawing},
                            {"samples", s.samples},
                            {"correct", s.correct},
                            {"correct_and_accepted", s.correct_and_accepted},
                            {"correct_and_kept_at_acceptance",
                             s.correct_and_kept >= 0 ? nlohmann::json(s.correct_and_kept) : nlohmann::json(nullptr)},
                            {"pen_path", s.pen_path}});
        }
    }
    return {{"folder", report.folder},
            {"unresolved_segments", report.unresolved_segments},
            {"origin_segments", report.origin_segments},
            {"pen_path_threshold",
             report.pen_path_threshold >= 0 ? nlohmann::json(report.pen_path_threshold) : nlohmann::json(nullptr)},
            {"rows", rows}};
}

}  // namespace fcnet::cli
