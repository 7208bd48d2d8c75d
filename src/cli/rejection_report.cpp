// Scoring digits, generated non-digits and Fashion-MNIST for the "Not a digit" section of `fcnet evaluate`.
#include "cli/rejection_report.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>

#include "cli/nondigit_class.h"
#include "core/error.h"
#include "core/loss.h"
#include "core/metrics.h"
#include "data/load.h"
#include "data/nondigits.h"
#include "preprocess/digit_prediction.h"
#include "preprocess/stroke_reading.h"

namespace fcnet::cli {

namespace {

struct Scored {
    std::vector<float> scores;  // rule_score per sample
    std::vector<bool> rejected; // accepts_as_digit (the model's own rule) refuses it, per sample
    std::vector<int> digits;    // the most probable of the ten digits, per sample
    std::vector<float> own_thresholds;  // none, or per sample: the threshold it is held to (NaN: the report's)

    void add(float score, bool refused, int digit = -1, float own_threshold = NAN) {
        scores.push_back(score), rejected.push_back(refused), digits.push_back(digit);
        own_thresholds.push_back(own_threshold);
    }
    // The threshold sample i is held to: its own, or `threshold`.
    float threshold_of(std::size_t i, float threshold) const {
        return i < own_thresholds.size() && !std::isnan(own_thresholds[i]) ? own_thresholds[i] : threshold;
    }
    // The share of the samples below the threshold each is held to.
    double fraction_below(float threshold) const {
        std::size_t below = 0;
        for (std::size_t i = 0; i < scores.size(); ++i) below += scores[i] < threshold_of(i, threshold);
        return scores.empty() ? 0.0 : static_cast<double>(below) / static_cast<double>(scores.size());
    }
    double rejected_fraction() const {
        return static_cast<double>(std::count(rejected.begin(), rejected.end(), true)) / rejected.size();
    }
};

// z = logits / T and p = softmax(z) of each row of `features` (n x 784 -> n x classes each); with
// `paths` and a pen-path network, z = stroke_logits (the two networks mixed).
void scaled_logits_and_probabilities(const Model& model, const Matrix& features, const Matrix* paths, Matrix& logits,
                                     Matrix& probabilities) {
    logits = paths != nullptr && model.pen_path ? stroke_logits(model, features, *paths)
                                                : Matrix(model.network.logits(features) / model.network.temperature);
    probabilities = logits;
    softmax_rows(probabilities);
}

void check_rule(const Model& model, ScoreRule rule) {
    if ((rule == ScoreRule::logit_margin || rule == ScoreRule::energy) && !has_rejection_class(model)) {
        throw Error(std::string("the score ") + score_rule_name(rule) + " needs a model whose 11th class is \"" +
                    kNotADigitClass + "\"");
    }
}

// The model's score by `rule` and its own digit-or-not verdict for each row of `features` (n x
// 784). With `paths` and a pen-path network, the rows flagged in `as_strokes` (all when it is
// null) are read as drawings given as strokes, accepted from stroke_threshold, and held to it
// (for the probability rule, whose threshold it is).
Scored score(const Model& model, const Matrix& features, ScoreRule rule, const Matrix* paths = nullptr,
             const std::vector<bool>* as_strokes = nullptr) {
    Matrix logits, probabilities;  // n x classes
    scaled_logits_and_probabilities(model, features, nullptr, logits, probabilities);
    Matrix mixed_logits, mixed_probabilities;
    const bool pen = paths != nullptr && paths->rows() == features.rows() && model.pen_path;
    if (pen) scaled_logits_and_probabilities(model, features, paths, mixed_logits, mixed_probabilities);
    const float pen_threshold = stroke_threshold(model);
    const int classes = static_cast<int>(probabilities.cols());
    Scored scored;
    for (Eigen::Index i = 0; i < probabilities.rows(); ++i) {
        const bool mixed = pen && (as_strokes == nullptr || (*as_strokes)[static_cast<std::size_t>(i)]);
        const float* z = mixed ? mixed_logits.row(i).data() : logits.row(i).data();
        const float* p = mixed ? mixed_probabilities.row(i).data() : probabilities.row(i).data();
        const int digit = static_cast<int>(std::max_element(p, p + kDigitClasses) - p);
        const bool refused = mixed ? digit_score(model, p, classes) < pen_threshold : !accepts_as_digit(model, p, classes);
        scored.add(rule_score(model, rule, z, p, classes), refused, digit,
                   mixed && rule == ScoreRule::probability ? pen_threshold : NAN);
    }
    return scored;
}

// score(), with the rows flagged `empty` scoring the lowest score and rejected: "empty" is never a digit.
Scored score_nonempty(const Model& model, const Matrix& features, const std::vector<bool>& empty, ScoreRule rule,
                      const Matrix* paths = nullptr, const std::vector<bool>* as_strokes = nullptr) {
    Scored scored = score(model, features, rule, paths, as_strokes);
    for (std::size_t i = 0; i < empty.size() && i < scored.scores.size(); ++i) {
        if (empty[i]) scored.scores[i] = -INFINITY, scored.rejected[i] = true;
    }
    return scored;
}

RejectionSet against_digits(const std::string& name, const Scored& set, int empty, const Scored& digits,
                            const RejectionReport& report) {
    RejectionSet result;
    result.name = name;
    result.samples = static_cast<int>(set.scores.size());
    result.empty = empty;
    result.rejected_at_acceptance = set.fraction_below(report.threshold);
    result.auroc = auroc(digits.scores, set.scores);
    if (report.has_reject_confidence) {
        result.rejected_at_reject_confidence = set.rejected_fraction();
    }
    return result;
}

// The groups of `set` (one name a sample) that `threshold` accepts, most often first, then by
// name; at most kListedGroups.
std::vector<AcceptedGroup> most_accepted(const Scored& set, const std::vector<std::string>& groups, float threshold) {
    struct Tally {
        int samples = 0, accepted = 0;
        std::array<int, kDigitClasses> as_digit{};
    };
    std::map<std::string, Tally> tallies;
    for (std::size_t i = 0; i < groups.size() && i < set.scores.size(); ++i) {
        Tally& tally = tallies[groups[i]];
        ++tally.samples;
        if (set.scores[i] >= set.threshold_of(i, threshold)) ++tally.accepted, ++tally.as_digit[set.digits[i]];
    }
    std::vector<AcceptedGroup> listed;
    for (const auto& [group, tally] : tallies) {
        if (tally.accepted == 0) continue;
        const auto most = std::max_element(tally.as_digit.begin(), tally.as_digit.end());
        listed.push_back({group, tally.samples, static_cast<double>(tally.accepted) / tally.samples,
                          static_cast<int>(most - tally.as_digit.begin())});
    }
    std::stable_sort(listed.begin(), listed.end(),
                     [](const AcceptedGroup& a, const AcceptedGroup& b) { return a.accepted > b.accepted; });
    if (listed.size() > kListedGroups) listed.resize(kListedGroups);
    return listed;
}

// One part's rows of a set, and how many of them preprocessed to "empty".
struct ScoredPart {
    Scored scored;
    int empty = 0;
};

// The rows of `set` split by `parts` (one name a row), in name order; none unless there are two parts or more.
std::map<std::string, ScoredPart> by_part(const Scored& set, const std::vector<std::string>& parts,
                                          const std::vector<bool>& empty) {
    std::map<std::string, ScoredPart> split;
    for (std::size_t i = 0; i < parts.size() && i < set.scores.size(); ++i) {
        ScoredPart& part = split[parts[i]];
        part.scored.add(set.scores[i], set.rejected[i], set.digits[i], set.threshold_of(i, NAN));
        if (i < empty.size() && empty[i]) ++part.empty;
    }
    if (split.size() < 2) split.clear();
    return split;
}

std::uint64_t nondigit_seed(HeldOutPart part) {
    return part == HeldOutPart::test ? kRejectionNondigitSeed : kValidationNondigitSeed;
}

std::string fashion_dir() {
    const char* dir = std::getenv("FCNET_FASHION_MNIST_DIR");
    return dir != nullptr && *dir != '\0' ? dir : "/usr/share/datasets/fashion-mnist";
}

// The rows of `images` (28x28 pictures) run through preprocess_drawing like any drawing, as a
// rejection set; "empty" ones score lowest.
RejectionSet picture_set(const Model& model, const std::string& name, const Dataset& images, const std::vector<int>& rows,
                         const Scored& digit_scores, const RejectionReport& report) {
    Matrix preprocessed = Matrix::Zero(static_cast<Eigen::Index>(rows.size()), kDigitPixels);  // n x 784
    std::vector<bool> empty(rows.size(), false);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const DigitImage image = preprocess_drawing(images.features.row(rows[i]).data(), kDigitSide, kDigitSide);
        empty[i] = image.empty;
        std::copy(image.pixels.begin(), image.pixels.end(), preprocessed.row(static_cast<Eigen::Index>(i)).data());
    }
    return against_digits(name, score_nonempty(model, preprocessed, empty, report.rule),
                          static_cast<int>(std::count(empty.begin(), empty.end(), true)), digit_scores, report);
}

// How many training images of the picture set add_nondigit_class drew for the model, and with
// which seed (metadata "nondigit_images", "N from PATH", and "nondigit_seed"); 0 when none.
int trained_pictures(const Model& model, std::uint64_t& seed) {
    const auto images = model.metadata.find("nondigit_images");
    const auto seed_entry = model.metadata.find("nondigit_seed");
    if (images == model.metadata.end()) return 0;
    double count = 0, stored_seed = 0;
    const std::string number = images->second.substr(0, images->second.find(' '));
    if (!parse_number(number, count) || count < 0 || seed_entry == model.metadata.end() ||
        !parse_number(seed_entry->second, stored_seed)) {
        throw Error("the model's metadata nondigit_images \"" + images->second +
                    "\" (and nondigit_seed) do not say which pictures it trained on; expected \"N from PATH\" and a seed");
    }
    seed = static_cast<std::uint64_t>(stored_seed);
    return static_cast<int>(count);
}

}  // namespace

const char* score_rule_name(ScoreRule rule) {
    switch (rule) {
        case ScoreRule::logit_margin: return "logit-margin";
        case ScoreRule::energy: return "energy";
        case ScoreRule::margin: return "margin";
        default: return "probability";
    }
}

float rule_score(const Model& model, ScoreRule rule, const float* scaled_logits, const float* probabilities,
                 int classes) {
    switch (rule) {
        case ScoreRule::logit_margin:
        case ScoreRule::energy: {
            if (classes != kDigitClasses + 1) {
                throw Error(std::string("the score ") + score_rule_name(rule) + " needs 11 classes, got " +
                            std::to_string(classes));
            }
            const float top = *std::max_element(scaled_logits, scaled_logits + kDigitClasses);
            if (rule == ScoreRule::logit_margin) return top - scaled_logits[kDigitClasses];
            double sum = 0;  // of exp(z_d - top): at least 1, so the log is finite
            for (int d = 0; d < kDigitClasses; ++d) sum += std::exp(static_cast<double>(scaled_logits[d] - top));
            return static_cast<float>(top + std::log(sum) - scaled_logits[kDigitClasses]);
        }
        case ScoreRule::margin: {
            const float* best = std::max_element(probabilities, probabilities + kDigitClasses);
            float second = 0;
            for (int d = 0; d < kDigitClasses; ++d) {
                if (probabilities + d != best) second = std::max(second, probabilities[d]);
            }
            return (*best - second) * *best;
        }
        default: return digit_score(model, probabilities, classes);
    }
}

RuleScores rule_scores(const Model& model, const Matrix& features, ScoreRule rule, const Matrix* paths) {
    check_rule(model, rule);
    const Scored scored = score(model, features, rule, paths);
    std::vector<bool> accepted(scored.rejected.size());
    for (std::size_t i = 0; i < accepted.size(); ++i) accepted[i] = !scored.rejected[i];
    return {scored.scores, scored.digits, accepted};
}

RejectionReport rejection_report(const Model& model, const Dataset& digits, int nondigit_count,
                                 const std::vector<NondigitSet>& more, ScoreRule rule, HeldOutPart part) {
    check_digit_model(model);
    check_rule(model, rule);
    if (digits.size() == 0) throw Error("the not-a-digit section needs digits to accept, and the data part is empty");
    RejectionReport report;
    report.digits = digits.size();
    report.rule = rule;
    report.part = part;
    report.temperature = model.network.temperature;
    if (model.pen_path && rule == ScoreRule::probability) report.pen_path_threshold = stroke_threshold(model);
    const Scored digit_scores = score(model, digits.features, rule);
    report.threshold = acceptance_threshold(digit_scores.scores, kDigitAcceptance);
    report.digits_accepted_at_threshold = 1 - fraction_below(digit_scores.scores, report.threshold);
    int right = 0, accepted = 0, accepted_right = 0;
    for (int i = 0; i < digits.size(); ++i) {
        const bool correct = digit_scores.digits[i] == digits.labels[i];
        const bool kept = digit_scores.scores[i] >= report.threshold;
        right += correct, accepted += kept, accepted_right += kept && correct;
    }
    report.digit_accuracy = static_cast<double>(right) / digits.size();
    report.accepted_digit_accuracy = accepted > 0 ? static_cast<double>(accepted_right) / accepted : 0.0;
    const auto stored = model.metadata.find("reject_confidence");
    report.has_reject_confidence = stored != model.metadata.end();
    if (report.has_reject_confidence) {
        report.reject_confidence = stored->second;
        report.digits_accepted_at_reject_confidence = 1 - digit_scores.rejected_fraction();
    }

    // Generated non-digits, each kind and all together. Sample i is of kind i mod kNonDigitKinds.
    report.nondigits = nondigit_count;
    if (nondigit_count > 0) {
        const Dataset generated = make_nondigit_set(nondigit_count, nondigit_seed(part), 0);
        const Scored all = score(model, generated.features, rule);
        for (int kind = 0; kind < kNonDigitKinds && kind < nondigit_count; ++kind) {
            Scored of_kind;
            for (int i = kind; i < nondigit_count; i += kNonDigitKinds) of_kind.add(all.scores[i], all.rejected[i]);
            report.sets.push_back(against_digits(nondigit_kind_name(static_cast<NonDigitKind>(kind)), of_kind, 0,
                                                 digit_scores, report));
        }
        report.sets.push_back(against_digits("generated (all kinds)", all, 0, digit_scores, report));
    }

    for (const NondigitSet& set : more) {
        const bool pen = set.paths.rows() > 0;
        const Scored scored = score_nonempty(model, set.features, set.empty, rule, pen ? &set.paths : nullptr,
                                             pen ? &set.as_strokes : nullptr);
        report.sets.push_back(against_digits(set.name, scored,
                                             static_cast<int>(std::count(set.empty.begin(), set.empty.end(), true)),
                                             digit_scores, report));
        report.sets.back().most_accepted = most_accepted(scored, set.groups, report.threshold);
        const auto add_parts = [&](const std::vector<std::string>& parts) {
            for (const auto& [part_name, of_part] : by_part(scored, parts, set.empty)) {
                report.sets.push_back(against_digits("  " + part_name, of_part.scored, of_part.empty, digit_scores, report));
            }
        };
        add_parts(set.parts);
        std::vector<std::string> drawn_as;  // with a pen-path network: the app's strokes and the module's images apart
        for (const bool strokes : set.as_strokes) drawn_as.push_back(strokes ? "as strokes (the app)" : "as images (the module)");
        add_parts(drawn_as);
    }

    // Fashion-MNIST test images (or, for validation, training images the model did not train
    // on), preprocessed like any drawing.
    const std::string dir = fashion_dir();
    Dataset fashion;
    try {
        LoadedData loaded = load_data(dir);
        if (part == HeldOutPart::test && !loaded.has_test) throw Error(dir + " has no t10k (test) files");
        fashion = std::move(part == HeldOutPart::test ? loaded.test : loaded.train);
    } catch (const Error& error) {
        report.fashion_note = std::string("Fashion-MNIST skipped: ") + error.what() + " (set FCNET_FASHION_MNIST_DIR)";
        return report;
    }
    if (fashion.feature_count() != kDigitPixels) {
        report.fashion_note = "Fashion-MNIST skipped: " + dir + " holds " + std::to_string(fashion.feature_count()) +
                              " pixels per image, not 784";
        return report;
    }
    if (part == HeldOutPart::test) {
        report.fashion_note = "Fashion-MNIST test images from " + dir + ", through preprocess_drawing";
        std::vector<int> rows(fashion.size());
        for (int i = 0; i < fashion.size(); ++i) rows[i] = i;
        report.sets.push_back(picture_set(model, "Fashion-MNIST test", fashion, rows, digit_scores, report));
        return report;
    }
    std::uint64_t seed = 0;
    const int trained = std::min(trained_pictures(model, seed), fashion.size());
    const std::vector<int> order = nondigit_image_order(fashion.size(), seed);
    const std::vector<int> rows(order.begin() + trained, order.begin() + std::min(fashion.size(), trained + kValidationFashionImages));
    report.fashion_note = "Fashion-MNIST training images from " + dir + " the model's training did not draw (" +
                          std::to_string(rows.size()) + "), through preprocess_drawing";
    if (!rows.empty()) report.sets.push_back(picture_set(model, "Fashion-MNIST unseen training", fashion, rows, digit_scores, report));
    return report;
}

std::string rejection_table(const RejectionReport& report) {
    char line[256];
    std::string text = "\nNot a digit\n";
    std::snprintf(line, sizeof line, "  score: %s (T = %.3f); threshold %.4f keeps %.2f%% of the %d digits\n",
                  report.rule == ScoreRule::probability ? "the largest digit probability" : score_rule_name(report.rule),
                  report.temperature, report.threshold, 100 * report.digits_accepted_at_threshold, report.digits);
    text += line;
    std::snprintf(line, sizeof line,
                  "  the reported digit (most probable of the ten) is right for %.2f%% of the digits, "
                  "%.2f%% of those kept\n",
                  100 * report.digit_accuracy, 100 * report.accepted_digit_accuracy);
    text += line;
    if (report.has_reject_confidence) {
        std::snprintf(line, sizeof line, "  the model's reject_confidence %s keeps %.2f%% of the digits\n",
                      report.reject_confidence.c_str(), 100 * report.digits_accepted_at_reject_confidence);
        text += line;
    } else {
        text += "  the model has no reject_confidence: it accepts everything\n";
    }
    if (report.pen_path_threshold >= 0) {
        std::snprintf(line, sizeof line,
                      "  rows drawn as strokes are read with the pen-path network too and held to its threshold %.4f\n",
                      report.pen_path_threshold);
        text += line;
    }
    std::snprintf(line, sizeof line, "  %d generated non-digits, seed %llu; %s\n\n", report.nondigits,
                  static_cast<unsigned long long>(nondigit_seed(report.part)), report.fashion_note.c_str());
    text += line;
    std::snprintf(line, sizeof line, "  %-26s %8s %8s %14s %8s %18s\n", "set", "samples", "empty", "rejected@99%",
                  "AUROC", "rejected@model");
    text += line;
    for (const RejectionSet& set : report.sets) {
        char by_model[32] = "-";
        if (set.rejected_at_reject_confidence >= 0) {
            std::snprintf(by_model, sizeof by_model, "%.2f%%", 100 * set.rejected_at_reject_confidence);
        }
        std::snprintf(line, sizeof line, "  %-26s %8d %8d %13.2f%% %8.4f %18s\n", set.name.c_str(), set.samples,
                      set.empty, 100 * set.rejected_at_acceptance, set.auroc, by_model);
        text += line;
        if (set.most_accepted.empty()) continue;
        text += "    accepted most often:";
        for (const AcceptedGroup& group : set.most_accepted) {
            std::snprintf(line, sizeof line, " %s %.0f%% (as %d)", group.group.c_str(), 100 * group.accepted, group.as_digit);
            text += line;
        }
        text += "\n";
    }
    return text;
}

nlohmann::json rejection_json(const RejectionReport& report) {
    nlohmann::json sets = nlohmann::json::array();
    for (const RejectionSet& set : report.sets) {
        nlohmann::json entry = {{"name", set.name},
                                {"samples", set.samples},
                                {"empty", set.empty},
                                {"rejected_at_acceptance", set.rejected_at_acceptance},
                                {"auroc", set.auroc}};
        entry["rejected_at_reject_confidence"] =
            set.rejected_at_reject_confidence >= 0 ? nlohmann::json(set.rejected_at_reject_confidence) : nullptr;
        if (!set.most_accepted.empty()) {
            nlohmann::json groups = nlohmann::json::array();
            for (const AcceptedGroup& group : set.most_accepted) {
                groups.push_back({{"group", group.group},
                                  {"samples", group.samples},
                                  {"accepted", group.accepted},
                                  {"as_digit", group.as_digit}});
            }
            entry["most_accepted"] = groups;
        }
        sets.push_back(entry);
    }
    nlohmann::json json = {{"score", report.rule == ScoreRule::probability ? "largest digit probability"
                                                                            : score_rule_name(report.rule)},
                           {"held_out", report.part == HeldOutPart::test ? "test" : "validation"},
                           {"temperature", report.temperature},
                           {"acceptance", kDigitAcceptance},
                           {"digits", report.digits},
                           {"threshold", report.threshold},
                           {"digits_accepted_at_threshold", report.digits_accepted_at_threshold},
                           {"digit_accuracy", report.digit_accuracy},
                           {"accepted_digit_accuracy", report.accepted_digit_accuracy},
                           {"nondigits", report.nondigits},
                           {"nondigit_seed", nondigit_seed(report.part)},
                           {"fashion_note", report.fashion_note},
                           {"sets", sets}};
    json["reject_confidence"] = report.has_reject_confidence ? nlohmann::json(report.reject_confidence) : nullptr;
    json["digits_accepted_at_reject_confidence"] =
        report.has_reject_confidence ? nlohmann::json(report.digits_accepted_at_reject_confidence) : nullptr;
    return json;
}

}  // namespace fcnet::cli
