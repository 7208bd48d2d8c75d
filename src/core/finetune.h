// Fine-tuning a model on one corrected drawing, with rehearsal so it does not forget ("learn my handwriting").
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "core/backprop.h"
#include "core/model.h"
#include "core/predictor.h"
#include "data/augment.h"
#include "data/dataset.h"

namespace fcnet {

// What a correction's steps change in the output layer (docs/finetune.md, "What learns").
enum class FinetuneUpdate {
    // A scale and a shift of each of its inputs (the features below it): its weights become
    // diag(scale) W and its bias b + shift W, W and b as the correction found them, so a step moves
    // a feature's weights to every class together. 2 x inputs parameters; trained_layers must be 1.
    // A drawing that does not read as its label after feature_steps of these gets up to max_steps
    // more steps of the weights themselves (a clean 1 taught as "not a digit" needs them).
    feature_scale_shift,
    // Every weight and bias of the trained layers on its own.
    weights,
};

// How one correction trains. Each SGD step (momentum, fresh for each correction) sees two groups:
// the drawing with its `copies` distorted copies, and `rehearsal_rows` samples drawn at random
// from the rehearsal sample (the original training data the model must keep reading). The step's
// loss is drawing_share x the drawing group's mean cross-entropy + (1 - drawing_share) x the
// rehearsal group's, so how hard a correction pulls does not depend on the rehearsal rows (more
// rows only make the rehearsal term less noisy; docs/finetune.md has the measurements). Steps
// stop once the drawing reads as its label (see Finetuner::learn) with `target_probability`,
// after at most `max_steps` (feature_steps + max_steps when feature scales learn first).
struct FinetuneOptions {
    FinetuneUpdate update = FinetuneUpdate::feature_scale_shift;
    int trained_layers = 1;        // how many layers learn, counted from the output; the rest keep their weights
    int copies = 15;               // distorted copies of the drawing, drawn once per correction
    int rehearsal_rows = 1024;     // rehearsal samples in each step's batch, drawn afresh each step
    float drawing_share = 0.03f;   // the drawing group's share of each step's loss, in (0, 1]
    int max_steps = 20;
    int feature_steps = 20;        // FinetuneUpdate::feature_scale_shift's steps before the weights' max_steps
    float target_probability = 0.6f;  // above any rejection threshold below 0.6, and the most probable class
    float learning_rate = 0.02f;          // the weights' (FinetuneUpdate::weights, or after feature_steps)
    float feature_learning_rate = 1.0f;   // the scales' and shifts' (FinetuneUpdate::feature_scale_shift)
    float path_learning_rate = 0.02f;  // the pen-path network's output layer's, when it learns (set_path_rehearsal)
    float momentum = 0.9f;
    // The forgetting budget: the share of the rehearsal sample, among the samples the model reads
    // right before a correction, that may read wrong after it. The correction keeps the best weights
    // within it and stops at the first step beyond it. 1 (the default): no budget; docs/finetune.md
    // has the measurements of 0.005 to 0.03 and why none is the default.
    float forgetting_budget = 1.0f;
    AugmentOptions distortions;    // the copies' distortions (docs/augmentation.md)
};

// Pen paths to rehearse on, for a correction that also teaches the model's pen-path network:
// rows x the pen-path network's inputs (preprocess/trajectory.h), and each row's class.
struct PathRehearsal {
    Matrix paths;
    std::vector<int> labels;
};

// A rehearsal sample as a rehearsal file holds it (io/rehearsal_file.h): images (samples x 784)
// with their labels, and, for a model with a pen-path network, pen paths with theirs (none: that
// network keeps its weights).
struct RehearsalSample {
    Dataset images;
    PathRehearsal paths;
};

// The pen-path network's part in a correction (finetune_path.cpp: its output layer learns from
// the drawing's path and a path rehearsal), behind this interface so that a correction's steps
// read the same whether it takes part or not.
class PathCorrection {
public:
    virtual ~PathCorrection() = default;
    // Starts a correction of `pen`'s reading of the drawing's `path` (its inputs) as `label`;
    // `term` gets (1 - w) z_path / T_path for the drawing: 1 x classes.
    virtual void begin(const PenPathNetwork& pen, const float* path, int label, Matrix& term) = 0;
    // One SGD step on share x the path's cross-entropy + (1 - share) x the path rehearsal's;
    // `term` as begin's, under the new weights.
    virtual void step(float share, Matrix& term) = 0;
    // Remembers the current weights as the ones to keep.
    virtual void keep() = 0;
    // Puts the kept weights into `pen`; false, leaving it as it was, if one is not finite.
    virtual bool finish(PenPathNetwork& pen) = 0;
};

// For a layer whose weights are diag(scale) w0 and bias b0 + shift w0 (FinetuneUpdate::
// feature_scale_shift), the loss's gradient with respect to scale and shift from its gradient with
// respect to the weights and bias (`gradient`: in x out, 1 x out): dL/dscale_i = sum_j dL/dW_ij
// w0_ij and dL/dshift = (w0 dL/db^T)^T, each 1 x in.
void feature_scale_shift_gradient(const Matrix& w0, const LayerGradients& gradient, RowVector& scale,
                                  RowVector& shift);

// A correction step's gradient, layer by layer: share x `drawing` + (1 - share) x `rehearsal`,
// into `drawing`.
void mix_gradients(std::vector<LayerGradients>& drawing, const std::vector<LayerGradients>& rehearsal, float share);

// What one correction did.
struct FinetuneResult {
    int steps = 0;               // SGD steps taken
    bool read_as_label = false;  // the drawing now reads as its label with the target probability
    bool over_budget = false;    // a step would have forgotten more than the forgetting budget allows
};

// How far below the rejection threshold a drawing learned as "not a digit" must score, so that
// the app, reading it through another float path, rejects it too.
constexpr float kRejectionMargin = 0.03f;

// The metadata key that counts the corrections a model has learned; absent means none.
constexpr const char* kCorrectionsKey = "corrections";

// The model's count of learned corrections. Throws fcnet::Error if the key holds anything but
// a non-negative integer.
int corrections(const Model& model);

// Fine-tunes models one correction at a time. Only the top `trained_layers` layers learn; the
// layers below keep their features (most of the weights), so the rehearsal sample's activations
// at the trained part's input are computed once per model, and a correction costs a few small
// steps. A network with no more layers than that learns as a whole.
class Finetuner {
public:
    // `rehearsal` holds 28x28 samples (784 features in [0, 1]) with at least one row.
    // Throws fcnet::Error naming rehearsal.name if it is empty, not 784 wide, or options are out
    // of range (negative counts, no steps or trained layers, a learning rate that is not
    // positive and finite).
    explicit Finetuner(Dataset rehearsal, const FinetuneOptions& options = {});
    // The same with the sample's pen paths, if it has any, as set_path_rehearsal sets them.
    explicit Finetuner(RehearsalSample rehearsal, const FinetuneOptions& options = {});

    // Trains `model` in place on the 784 `pixels` of a preprocessed drawing (digit_image.h) and
    // its class `label`, then adds one to its corrections. The same seed gives the same result.
    // "Reads as its label" is the app's rule at the model's temperature: a digit label's
    // probability reaches target_probability (and beats every other class and the rejection
    // threshold); "not a digit" (the rejection class, with a reject_confidence) has every digit's
    // probability below the threshold by kRejectionMargin, and its own at target_probability.
    // Training stops as soon as that holds; otherwise the model keeps the weights, of all steps
    // and the starting ones, under which the drawing came closest, so a correction never leaves
    // the drawing reading less like its label than before (a second correction of the same
    // drawing cannot undo the first).
    // The model's temperature and metadata (reject threshold) are kept; its weights are stored as
    // float32 from now on. Throws fcnet::Error, leaving the model as it was, if the model does not
    // take 784 inputs, the label or a rehearsal label is not one of its classes, or training
    // makes a weight non-finite.
    // With `path` (the drawing's pen-path features, as many as the model's pen-path network
    // takes) and a model with a pen-path network, "reads as its label" is judged on the two
    // networks' mixed reading and the pen-path threshold (stroke_reading.h), as the app reads
    // strokes. With a path rehearsal (set_path_rehearsal) the pen-path network's output layer
    // learns too, in the same steps: share x the path's cross-entropy + (1 - share) x the path
    // rehearsal's, so the two networks share the correction.
    FinetuneResult learn(Model& model, const float* pixels, int label, std::uint64_t seed, const float* path = nullptr);

    const Dataset& rehearsal() const { return rehearsal_; }

    // The pen paths a correction given its path rehearses on; none (the default): the pen-path
    // network does not learn. Throws fcnet::Error if there are no paths, the rows and labels
    // differ in number, a label is negative, or options.path_learning_rate is not positive and finite; learn()
    // throws if the paths do not fit the model's pen-path network.
    void set_path_rehearsal(PathRehearsal paths);

    // Makes the rehearsal sample's activations at the trained part's input match `network`'s
    // frozen layers and normalisation, computing them when they differ (a few hundred forward
    // passes: the one-off cost of the first correction, which a caller may pay earlier).
    void prepare(const Network& network);

private:
    // What the learning layers read for raw `samples` (rows x 784): rows x inputs of the trained part.
    Matrix trained_input(const Matrix& samples);

    Dataset rehearsal_;
    FinetuneOptions options_;
    std::vector<DenseLayer> frozen_;   // the layers below the trained part the cache was computed with
    std::optional<Predictor> frozen_predictor_;  // runs them (none when every layer learns)
    InputNormalization normalization_;
    Matrix rehearsal_input_;           // rehearsal samples x trained-part inputs (empty: not computed)
    Backprop drawing_backprop_, rehearsal_backprop_;  // the two groups' mean gradients
    std::vector<LayerGradients> step_gradient_;      // drawing_share x drawing's + (1 - drawing_share) x rehearsal's
    Matrix batch_;                     // rehearsal_rows x trained-part inputs
    std::vector<int> batch_labels_;
    std::unique_ptr<PathCorrection> path_correction_;  // none: the pen-path network does not learn
};

// Whether `personal` can have been fine-tuned from `shipped`: the same layer sizes and class
// names, a pen-path network in both or neither, and the same first layer in the image network
// and in the pen-path network, which fine-tuning never changes. The app drops a stored personal
// model for which this is false (one made from another version of the shipped model).
bool fine_tuned_from(const Model& personal, const Model& shipped);

// `per_class` samples of each class of `data` drawn at random with `seed` (all of a class that
// has fewer), in class order: a rehearsal sample. Keeps classes, class names and name.
Dataset choose_rehearsal_sample(const Dataset& data, int per_class, std::uint64_t seed);

}  // namespace fcnet
