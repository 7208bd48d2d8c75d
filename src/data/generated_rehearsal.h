// A rehearsal sample made by fcnet's own generators (designed digits, non-digits, doodles): fine-tuning without any dataset.
#pragma once

#include <cstdint>
#include <string>

#include "core/finetune.h"
#include "data/dataset.h"

namespace fcnet {

// What the app, the module and `fcnet finetune` rehearse on when no rehearsal file is given.
constexpr int kGeneratedRehearsalPerClass = 60;
constexpr std::uint64_t kGeneratedRehearsalSeed = 11;

// `per_class` samples of each of `classes` classes (10: the digits; 11: also "not a digit",
// label 10), in class order: per_class * classes x 784 features in [0, 1] (ink high), as the
// network reads a drawing. A digit is one of digit_styles(), its shape varied (70% to 130% as
// wide, a smooth warp of up to 10% of its height), drawn with a round brush from hairline (1% of
// its height) to fat finger (30%), 25% to 90% of a 280 x 280 canvas high at any place, rotated
// (normal, 10 degrees), slanted and jittered, light or dark ink, read as the app reads strokes
// or as the module reads an image (alternately), then distorted once more as training augments
// digits (data/augment.h, default options). "Not a digit" alternates generated non-digits (nondigits.h, every kind but
// letters, which need font files) and doodles (doodles.h) drawn as the digits are.
// Sample i depends only on (seed, i), so the sample is the same for a seed whatever the thread
// count. Throws fcnet::Error if per_class < 1 or classes is neither 10 nor 11.
Dataset make_generated_rehearsal(int per_class, int classes, std::uint64_t seed);

// The pen paths of that sample's drawings given as strokes (every other digit and doodle),
// drawn exactly as there: what a correction given its path rehearses the pen-path network on
// (Finetuner::set_path_rehearsal). Throws as make_generated_rehearsal does.
PathRehearsal make_generated_path_rehearsal(int per_class, int classes, std::uint64_t seed);

// The same sample made a few samples at a time, on one thread, for a caller that must not stop
// for the whole of it: the app renders some between frames, so the page never freezes.
class GeneratedRehearsalMaker {
public:
    // Throws fcnet::Error as make_generated_rehearsal does.
    GeneratedRehearsalMaker(int per_class, int classes, std::uint64_t seed);

    // Renders the next `samples` samples (fewer at the end); true once all of them are rendered.
    bool render(int samples);
    bool done() const { return next_ == sample_.size(); }
    // make_generated_rehearsal's name for the sample, known from the start.
    const std::string& name() const { return sample_.name; }
    // The whole sample, equal to make_generated_rehearsal(per_class, classes, seed); renders what
    // is left first. The maker is empty afterwards.
    Dataset take();
    // The pen paths of its drawings given as strokes, equal to make_generated_path_rehearsal's;
    // renders what is left first. Before take(); the maker holds no paths afterwards.
    PathRehearsal take_paths();

private:
    Dataset sample_;                   // rows [0, next_) rendered, the rest zero
    PathRehearsal paths_;              // of the samples drawn as strokes, in order; those of rows [0, next_) rendered
    int per_class_;
    std::uint64_t seed_;
    int next_ = 0;
};

}  // namespace fcnet
