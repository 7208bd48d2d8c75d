// The "Not a digit" section of `fcnet evaluate`: how well a digit model tells digits from non-digits.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/model.h"
#include "data/dataset.h"

namespace fcnet::cli {

// The generated non-digits `fcnet evaluate --nondigits N` scores: seed 7160000001, used by no
// training command (training seeds are small numbers; keep it that way). With `--part
// validation` it scores others, so that a choice made on them is not made on the test figures.
constexpr std::uint64_t kRejectionNondigitSeed = 7'160'000'001;
constexpr std::uint64_t kValidationNondigitSeed = 7'160'000'011;
constexpr double kDigitAcceptance = 0.99;  // the threshold keeps this share of the digits
constexpr int kValidationFashionImages = 10'000;

// Which held-out samples the section scores: the test ones (the model card's figures), or
// validation ones to choose a rule or a threshold on (generated non-digits of another seed,
// Fashion-MNIST training images the model's training did not pick, and, in the stroke section,
// validation writers and doodles of other seeds).
enum class HeldOutPart { validation, test };

// How much one sample looks like a digit, from its logits at the model's temperature
// (z = logits / T, p = softmax(z); d ranges over the ten digits, n is "not a digit"):
//   probability   max_d p_d, digit_score: the rule the app, the module and `predict` apply
//                 (the model's reject_confidence is such a probability);
//   logit_margin  max_d z_d - z_n (needs a "not a digit" class);
//   energy        log sum_d exp(z_d) - z_n = log(P(some digit) / P(not a digit)) (needs the class);
//   margin        (p_1 - p_2) p_1, p_1 and p_2 the two largest digit probabilities.
// `fcnet evaluate --score` compares them (models/README.md: none rejects more on validation data).
enum class ScoreRule { probability, logit_margin, energy, margin };
const char* score_rule_name(ScoreRule rule);  // "probability", "logit-margin", "energy", "margin"
// One sample's score under `model`: `scaled_logits` (z) and `probabilities` (p) hold `classes` entries.
float rule_score(const Model& model, ScoreRule rule, const float* scaled_logits, const float* probabilities,
                 int classes);

// One group of a set's samples (one letter, say) that the threshold keeping 99% of the digits lets through.
struct AcceptedGroup {
    std::string group;
    int samples = 0;
    double accepted = 0;  // the share scoring at or above the threshold
    int as_digit = 0;     // the digit its accepted samples are read as most often
};
constexpr int kListedGroups = 10;

// How one set of non-digits fares against the digits' score (by the report's ScoreRule).
struct RejectionSet {
    std::string name;
    int samples = 0;
    int empty = 0;                          // preprocessed to "empty": counted as rejected (the lowest score)
    double rejected_at_acceptance = 0;      // below the threshold that keeps 99% of the digits
    double auroc = 0;                       // digits (positive) against this set (negative)
    double rejected_at_reject_confidence = -1;  // by the model's own rule (probability); -1 without reject_confidence
    std::vector<AcceptedGroup> most_accepted;  // with groups: those the threshold accepts most often, at most kListedGroups
};

struct RejectionReport {
    int digits = 0;                         // the digit samples scored (the evaluated part, as stored)
    ScoreRule rule = ScoreRule::probability;
    HeldOutPart part = HeldOutPart::test;
    float temperature = 1;
    float threshold = 0;                    // acceptance_threshold(digit scores, kDigitAcceptance)
    float pen_path_threshold = -1;          // sets' rows drawn as strokes, with a pen-path network: held to this (stroke_threshold)
    double digits_accepted_at_threshold = 0;
    // The digit `fcnet predict`, the app and the module report (the argmax of the ten digit
    // probabilities, whatever the "not a digit" class says) is the label: over all the digits,
    // and over those the threshold accepts.
    double digit_accuracy = 0;
    double accepted_digit_accuracy = 0;
    bool has_reject_confidence = false;
    std::string reject_confidence;          // the metadata value, when present
    double digits_accepted_at_reject_confidence = 1;
    int nondigits = 0;
    std::string fashion_note;               // where Fashion-MNIST was read, or why it was not
    std::vector<RejectionSet> sets;         // each generated kind, all generated, Fashion-MNIST
};

// More non-digits to score, already preprocessed: n x 784 features; rows flagged empty score lowest.
struct NondigitSet {
    std::string name;
    Matrix features;
    std::vector<bool> empty;          // one flag a row
    std::vector<std::string> groups;  // none, or one a row (its letter, say): the report names the groups most accepted
    std::vector<std::string> parts;   // none, or one a row ("writer uji/w09", say): with two or more, a row for each part too
    // None, or one row of path features a row (trajectory.h) and whether the row was drawn as
    // strokes: with a model that has a pen-path network, those rows are read as the app reads
    // strokes (stroke_reading.h) and compared with its threshold, not the digits' one; the report
    // then also scores the rows drawn as strokes and those drawn as images apart.
    Matrix paths;
    std::vector<bool> as_strokes;
};

// Scores `digits` (784 features in [0, 1], as stored), `more` and `nondigit_count` generated non-digits
// (make_nondigit_set, kRejectionNondigitSeed), and the Fashion-MNIST test images from
// $FCNET_FASHION_MNIST_DIR (default /usr/share/datasets/fashion-mnist) run through preprocess_drawing
// like any drawing (skipped, with a note, if that folder has no IDX files), each by `rule`. For
// HeldOutPart::validation the generated non-digits have kValidationNondigitSeed and the Fashion-MNIST
// images are kValidationFashionImages training images the model's training did not draw (its
// metadata "nondigit_images" and "nondigit_seed", as add_nondigit_class draws them). Throws
// fcnet::Error if the model is not a digit model (check_digit_model), `digits` is empty, or
// `rule` needs a "not a digit" class the model lacks.
RejectionReport rejection_report(const Model& model, const Dataset& digits, int nondigit_count,
                                 const std::vector<NondigitSet>& more = {}, ScoreRule rule = ScoreRule::probability,
                                 HeldOutPart part = HeldOutPart::test);

// Each row's score by `rule` (n x 784 features), the most probable of its ten digits, and
// whether the model's own rule (accepts_as_digit) accepts it.
struct RuleScores {
    std::vector<float> scores;
    std::vector<int> digits;
    std::vector<bool> accepted;
};
// With `paths` (one row of path features a row of `features`) and a model that has a pen-path
// network, the rows are read as drawings given as strokes (stroke_logits) and accepted from
// stroke_threshold.
RuleScores rule_scores(const Model& model, const Matrix& features, ScoreRule rule, const Matrix* paths = nullptr);

std::string rejection_table(const RejectionReport& report);
nlohmann::json rejection_json(const RejectionReport& report);

}  // namespace fcnet::cli
