// Rendering the real pen strokes and the doodles into the train and validation parts.
#include "cli/stroke_parts.h"

#include <cmath>
#include <random>
#include <vector>

#include "core/error.h"
#include "core/seed_mix.h"
#include "data/doodles.h"
#include "data/hand_digits.h"
#include "data/hand_letters.h"
#include "data/stroke_render.h"
#include "data/stroke_split.h"
#include "data/strokes.h"
#include "preprocess/digit_image.h"
#include "preprocess/digit_prediction.h"

namespace fcnet::cli {

namespace {

// A seed for rendering `copy` of sample `index`, from the run's seed.
std::uint64_t job_seed(std::uint64_t seed, std::uint64_t index, int copy) {
    const std::uint64_t run = splitmix64_finalise(seed);
    return splitmix64_finalise(splitmix64_finalise(run + index) + static_cast<std::uint64_t>(copy));
}

// `renders` random renderings of `strokes` labelled `label`, appended to `jobs`.
void add_jobs(std::vector<RenderJob>& jobs, const std::vector<Polyline>& strokes, int label, int renders,
              std::uint64_t seed) {
    for (int copy = 0; copy < renders; ++copy) {
        RenderJob job;
        job.strokes = &strokes;
        job.label = label;
        job.seed = job_seed(seed, jobs.size(), copy);
        std::mt19937_64 rng(splitmix64_finalise(job.seed));
        job.rendering = random_rendering(rng);
        job.input = (jobs.size() % 2 == 0) ? StrokeInput::image : StrokeInput::strokes;
        jobs.push_back(job);
    }
}

// The rendered jobs without the ones that came out empty.
Dataset rendered(const std::vector<RenderJob>& jobs, int classes, const std::string& name) {
    std::vector<bool> empty;
    const Dataset all = render_jobs(jobs, classes, name, &empty);
    std::vector<int> kept;
    for (int i = 0; i < all.size(); ++i) {
        if (!empty[i]) kept.push_back(i);
    }
    return take_rows(all, kept);
}

}  // namespace

std::string add_stroke_parts(DataParts& parts, const StrokeTraining& options) {
    if (options.folder.empty()) return "";
    if (parts.train.feature_count() != kDigitPixels) {
        throw Error("--strokes renders 28x28 digits, but the data has " + std::to_string(parts.train.feature_count()) +
                    " features per sample");
    }
    const bool nondigit_class = parts.train.classes == kDigitClasses + 1;
    if ((options.doodles > 0 || options.hand_letters > 0) && !nondigit_class) {
        throw Error(std::string(options.doodles > 0 ? "--doodles" : "--hand-letters") +
                    " needs a \"not a digit\" class: add --nondigits or --nondigit-images");
    }
    if (options.renders < 1 || options.letter_renders < 1) {
        throw Error("--stroke-renders and --letter-renders must be at least 1 (got " + std::to_string(options.renders) +
                    " and " + std::to_string(options.letter_renders) + ")");
    }
    const StrokeCollection collection = read_stroke_folder(options.folder);

    // Digits and (with a rejection class) letters, by their writer's part.
    std::vector<RenderJob> train_jobs, validation_jobs;
    int train_digits = 0, validation_digits = 0, letters = 0;
    for (const HandwrittenCharacter& c : collection.characters) {
        const StrokePart part = stroke_part_of(c);
        if (part == StrokePart::test) continue;
        int label = -1, renders = options.renders;
        if (c.is_digit()) {
            label = c.label[0] - '0';
            (part == StrokePart::train ? train_digits : validation_digits) += 1;
        } else if (nondigit_class && is_nondigit_letter(c)) {
            label = kDigitClasses, renders = options.letter_renders;
            ++letters;
        }
        if (label < 0) continue;
        add_jobs(part == StrokePart::train ? train_jobs : validation_jobs, c.strokes, label, renders, options.seed);
    }

    // Generated doodles, digits and letters: the last share of each goes to validation, as with the other non-digits.
    const int total = parts.train.size() + parts.validation.size();
    const double validation_share = total > 0 ? double(parts.validation.size()) / total : 0.0;
    const auto share_out = [&](const std::vector<RenderJob>& jobs) {
        const auto to_validation = static_cast<std::ptrdiff_t>(std::lround(jobs.size() * validation_share));
        validation_jobs.insert(validation_jobs.end(), jobs.end() - to_validation, jobs.end());
        train_jobs.insert(train_jobs.end(), jobs.begin(), jobs.end() - to_validation);
    };
    // Each generated sample's strokes (kept for the render jobs, which do not own them).
    std::vector<std::vector<Polyline>> generated;
    generated.reserve(options.doodles + options.hand_letters + options.hand_digits);
    const auto add_generated = [&](int count, std::uint64_t seed, const auto& draw) {
        std::vector<RenderJob> jobs;
        for (int i = 0; i < count; ++i) {
            std::mt19937_64 rng(job_seed(seed, i, 0));
            int label = 0;
            generated.push_back(draw(rng, i, label));
            add_jobs(jobs, generated.back(), label, 1, seed);
        }
        share_out(jobs);
    };
    add_generated(options.doodles, options.seed + 1, [](std::mt19937_64& rng, int i, int& label) {
        label = kDigitClasses;
        return draw_doodle(rng, static_cast<DoodleKind>(i % kDoodleKinds));
    });
    add_generated(options.hand_digits, options.seed + 2, [](std::mt19937_64& rng, int i, int& label) {
        label = i % kDigitClasses;
        return draw_hand_digit(rng, label);
    });
    add_generated(options.hand_letters, options.seed + 3, [](std::mt19937_64& rng, int i, int& label) {
        label = kDigitClasses;
        return draw_hand_letter(rng, hand_letters()[i % hand_letters().size()]);
    });

    const Dataset train = rendered(train_jobs, parts.train.classes, "strokes (train writers)");
    const Dataset validation = rendered(validation_jobs, parts.train.classes, "strokes (validation writers)");
    append_samples(parts.train, train);
    append_samples(parts.validation, validation);
    return "strokes " + options.folder + ": " + std::to_string(train_digits) + " train and " +
           std::to_string(validation_digits) + " validation digits, " + std::to_string(letters) + " letters, " +
           std::to_string(options.doodles) + " doodles, " + std::to_string(options.hand_digits) + " generated digits, " +
           std::to_string(options.hand_letters) + " generated letters, " +
           std::to_string(options.renders) + " renderings a digit, " +
           std::to_string(options.letter_renders) + " a letter: " +
           std::to_string(train.size()) + " train and " + std::to_string(validation.size()) + " validation samples";
}

}  // namespace fcnet::cli
