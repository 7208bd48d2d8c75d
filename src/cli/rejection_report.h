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
// training command (training seeds are small numbers; keep it that way).
constexpr std::uint64_t kRejectionNondigitSeed = 7'160'000'001;
constexpr double kDigitAcceptance = 0.99;  // the threshold keeps this share of the digits

// One group of a set's samples (one letter, say) that the threshold keeping 99% of the digits lets through.
struct AcceptedGroup {
    std::string group;
    int samples = 0;
    double accepted = 0;  // the share scoring at or above the threshold
    int as_digit = 0;     // the digit its accepted samples are read as most often
};
constexpr int kListedGroups = 10;

// How one set of non-digits fares against the digits' score (digit_score: the largest digit
// probability with the model's temperature).
struct RejectionSet {
    std::string name;
    int samples = 0;
    int empty = 0;                          // preprocessed to "empty": counted as rejected (score 0)
    double rejected_at_acceptance = 0;      // below the threshold that keeps 99% of the digits
    double auroc = 0;                       // digits (positive) against this set (negative)
    double rejected_at_reject_confidence = -1;  // by the model's own rule; -1 without reject_confidence
    std::vector<AcceptedGroup> most_accepted;  // with groups: those the threshold accepts most often, at most kListedGroups
};

struct RejectionReport {
    int digits = 0;                         // the digit samples scored (the evaluated part, as stored)
    float temperature = 1;
    float threshold = 0;                    // acceptance_threshold(digit scores, kDigitAcceptance)
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
    std::vector<RejectionSet> sets;         // each generated kind, all generated, Fashion-MNIST test
};

// More non-digits to score, already preprocessed: n x 784 features; rows flagged empty score 0.
struct NondigitSet {
    std::string name;
    Matrix features;
    std::vector<bool> empty;          // one flag a row
    std::vector<std::string> groups;  // none, or one a row (its letter, say): the report names the groups most accepted
};

// Scores `digits` (784 features in [0, 1], as stored), `more` and `nondigit_count` generated non-digits
// (make_nondigit_set, kRejectionNondigitSeed), and the Fashion-MNIST test images from
// $FCNET_FASHION_MNIST_DIR (default /usr/share/datasets/fashion-mnist) run through preprocess_drawing
// like any drawing (skipped, with a note, if that folder has no IDX files). Throws fcnet::Error
// if the model is not a digit model (check_digit_model) or `digits` is empty.
RejectionReport rejection_report(const Model& model, const Dataset& digits, int nondigit_count,
                                 const std::vector<NondigitSet>& more = {});

std::string rejection_table(const RejectionReport& report);
nlohmann::json rejection_json(const RejectionReport& report);

}  // namespace fcnet::cli
