// Fine-tuning on one corrected drawing: distorted copies, rehearsal, a few SGD steps on the top layers.
#include "core/finetune.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <string>
#include <utility>

#include "core/error.h"
#include "core/loss.h"
#include "core/optimizer.h"
#include "core/seed_mix.h"
#include "core/update_kernel.h"
#include "preprocess/digit_prediction.h"

namespace fcnet {

namespace {

constexpr int kPixels = 28 * 28;  // the digits distort_digit distorts

bool same_layer(const DenseLayer& a, const DenseLayer& b) {
    return a.activation == b.activation && a.weights.rows() == b.weights.rows() &&
           a.weights.cols() == b.weights.cols() && a.weights == b.weights && a.bias == b.bias;
}

// The trained part's logits f(input): rows x inputs -> rows x classes.
Matrix logits_of(const Network& trained, const Eigen::Ref<const Matrix>& input) {
    Matrix a = input, z;
    for (const DenseLayer& layer : trained.layers()) {
        forward_layer(layer, a, z);  // (rows x in)(in x out) + (1 x out)
        std::swap(a, z);
    }
    return a;
}

// softmax(w f(input) / temperature + path_term) for one row of the trained part's input: 1 x
// inputs -> 1 x classes. Without a pen path, w = 1 and path_term is zeros.
Matrix probabilities_of(const Network& trained, const Eigen::Ref<const Matrix>& input, float temperature,
                        float pixel_weight, const Matrix& path_term) {
    Matrix p = pixel_weight / temperature * logits_of(trained, input) + path_term;
    softmax_rows(p);
    return p;
}

// For each row of `input` (rows x the trained part's inputs), whether the trained part's most
// probable class is its label (rows, in order).
std::vector<bool> read_as_labels(const Network& trained, const Matrix& input, const std::vector<int>& labels) {
    const Matrix a = logits_of(trained, input);  // rows x classes
    std::vector<bool> right(labels.size());
    for (Eigen::Index r = 0; r < a.rows(); ++r) {
        Eigen::Index predicted = 0;
        a.row(r).maxCoeff(&predicted);
        right[std::size_t(r)] = predicted == labels[std::size_t(r)];
    }
    return right;
}

// When a drawing reads as its label (Finetuner::learn): the label, the target probability, and
// the model's rejection threshold when the label is its "not a digit" class (0: a class like any).
struct ReadingRule {
    int label;
    float target;
    float threshold;  // reject_confidence, 0 when the model has none
    bool rejection;   // the label is the rejection class and the threshold applies
};

// How far past reading as its label `p` (1 x classes, softmax at the model's temperature) is:
// >= 0 once it reads so, and larger the more surely.
float reading_margin(const Matrix& p, const ReadingRule& rule) {
    const float own = p(0, rule.label);
    if (rule.rejection) {
        const float digit = p.leftCols(kDigitClasses).maxCoeff();  // digit_score
        return std::min(own - rule.target, rule.threshold - kRejectionMargin - digit);
    }
    float other = 0;
    for (Eigen::Index c = 0; c < p.cols(); ++c) {
        if (c != rule.label) other = std::max(other, p(0, c));
    }
    return std::min({own - rule.target, own - other, own - rule.threshold});
}

// The output layer learning as FinetuneUpdate::feature_scale_shift: its weights diag(scale) w0 and
// bias b0 + shift w0, from scale = 1 and shift = 0, stepped by the optimizer's SGD-with-momentum rule
// (update_kernel.h), the one the weights take.
class FeatureScaleShift {
public:
    FeatureScaleShift(const DenseLayer& layer, float rate, float momentum)
        : w0_(layer.weights), b0_(layer.bias), parameters_(RowVector::Zero(2 * layer.inputs())),
          velocity_(RowVector::Zero(2 * layer.inputs())), gradient_(2 * layer.inputs()) {
        parameters_.head(layer.inputs()).setOnes();
        rule_.adam = false;
        rule_.rate = rate;
        rule_.momentum = momentum;
    }

    // One step from the layer's gradient; writes the new weights and bias into `layer`.
    void step(const LayerGradients& gradient, DenseLayer& layer) {
        const Eigen::Index inputs = w0_.rows();
        feature_scale_shift_gradient(w0_, gradient, scale_gradient_, shift_gradient_);
        gradient_ << scale_gradient_, shift_gradient_;
        parameter_update()(rule_, {parameters_.data(), velocity_.data(), nullptr, gradient_.data(), 0.0f, 0,
                                   parameters_.size()});
        const auto scale = parameters_.head(inputs), shift = parameters_.tail(inputs);
        // W = diag(scale) w0 (in x out: row i times scale_i), b = b0 + shift w0 (1 x out)
        layer.bias = b0_;
        for (Eigen::Index i = 0; i < inputs; ++i) {
            for (Eigen::Index j = 0; j < w0_.cols(); ++j) {
                layer.weights(i, j) = scale(i) * w0_(i, j);
                layer.bias(j) += shift(i) * w0_(i, j);
            }
        }
    }

private:
    Matrix w0_;                               // in x out
    RowVector b0_;                            // 1 x out
    RowVector parameters_, velocity_, gradient_;  // 1 x 2 in each: the scales, then the shifts
    RowVector scale_gradient_, shift_gradient_;   // 1 x in each
    UpdateRule rule_;
};

}  // namespace

void feature_scale_shift_gradient(const Matrix& w0, const LayerGradients& gradient, RowVector& scale,
                                  RowVector& shift) {
    // dL/dscale_i = sum_j dL/dW_ij w0_ij, dL/dshift_i = sum_j w0_ij dL/db_j: 1 x in each
    scale.setZero(w0.rows());
    shift.setZero(w0.rows());
    for (Eigen::Index i = 0; i < w0.rows(); ++i) {
        for (Eigen::Index j = 0; j < w0.cols(); ++j) {
            scale(i) += gradient.weights(i, j) * w0(i, j);
            shift(i) += w0(i, j) * gradient.bias(j);
        }
    }
}

void mix_gradients(std::vector<LayerGradients>& drawing, const std::vector<LayerGradients>& rehearsal, float share) {
    for (std::size_t l = 0; l < drawing.size(); ++l) {
        drawing[l].weights = share * drawing[l].weights + (1 - share) * rehearsal[l].weights;  // in x out
        drawing[l].bias = share * drawing[l].bias + (1 - share) * rehearsal[l].bias;            // 1 x out
    }
}

int corrections(const Model& model) {
    const auto entry = model.metadata.find(kCorrectionsKey);
    if (entry == model.metadata.end()) return 0;
    const std::string& text = entry->second;
    const bool digits = !text.empty() && text.size() <= 9 &&
                        std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!digits) {
        throw Error("the model's metadata " + std::string(kCorrectionsKey) + " is \"" + text +
                    "\"; expected a whole number of corrections");
    }
    return std::stoi(text);
}

Finetuner::Finetuner(Dataset rehearsal, const FinetuneOptions& options)
    : rehearsal_(std::move(rehearsal)), options_(options) {
    const std::string& name = rehearsal_.name.empty() ? std::string("the rehearsal sample") : rehearsal_.name;
    if (rehearsal_.size() == 0 || rehearsal_.feature_count() != kPixels) {
        throw Error(name + ": " + std::to_string(rehearsal_.size()) + " samples of " +
                    std::to_string(rehearsal_.feature_count()) + " features; fine-tuning rehearses on at least one " +
                    "28x28 sample (784 features)");
    }
    if (options_.trained_layers < 1 || options_.copies < 0 || options_.rehearsal_rows < 0 || options_.max_steps < 1 ||
        options_.feature_steps < 1 ||
        !(options_.drawing_share > 0 && options_.drawing_share <= 1) ||
        !(options_.target_probability > 0 && options_.target_probability <= 1) ||
        !(options_.learning_rate > 0 && std::isfinite(options_.learning_rate)) ||
        !(options_.feature_learning_rate > 0 && std::isfinite(options_.feature_learning_rate)) ||
        (options_.update == FinetuneUpdate::feature_scale_shift && options_.trained_layers != 1) ||
        !(options_.momentum >= 0 && options_.momentum < 1) ||
        !(options_.forgetting_budget >= 0 && options_.forgetting_budget <= 1)) {
        throw Error("fine-tuning options: trained layers " + std::to_string(options_.trained_layers) + ", copies " +
                    std::to_string(options_.copies) + ", rehearsal rows " +
                    std::to_string(options_.rehearsal_rows) + ", drawing share " +
                    std::to_string(options_.drawing_share) + ", steps " + std::to_string(options_.feature_steps) +
                    " (feature scales) and " + std::to_string(options_.max_steps) + " (weights)" +
                    ", target probability " + std::to_string(options_.target_probability) +
                    ", learning rates " + std::to_string(options_.learning_rate) + " (weights) and " +
                    std::to_string(options_.feature_learning_rate) + " (feature scales), momentum " +
                    std::to_string(options_.momentum) + ", forgetting budget " +
                    std::to_string(options_.forgetting_budget) +
                    "; expected trained layers and steps >= 1 (one trained layer when feature scales learn), counts >= 0, "
                    "a share and a probability in (0, 1], positive learning rates, momentum in [0, 1), a budget in [0, 1]");
    }
    check_augment_options(options_.distortions);
}

Finetuner::Finetuner(RehearsalSample rehearsal, const FinetuneOptions& options)
    : Finetuner(std::move(rehearsal.images), options) {
    if (!rehearsal.paths.labels.empty()) set_path_rehearsal(std::move(rehearsal.paths));
}

void Finetuner::prepare(const Network& network) {
    const auto& layers = network.layers();
    const std::size_t frozen = layers.size() - std::min(layers.size(), std::size_t(options_.trained_layers));
    bool same = rehearsal_input_.rows() > 0 && frozen_.size() == frozen &&
                normalization_.mean == network.normalization.mean &&
                normalization_.stddev == network.normalization.stddev;
    for (std::size_t l = 0; same && l < frozen; ++l) same = same_layer(frozen_[l], layers[l]);
    if (same) return;
    frozen_.assign(layers.begin(), layers.begin() + static_cast<std::ptrdiff_t>(frozen));
    normalization_ = network.normalization;
    frozen_predictor_.reset();
    if (frozen > 0) {
        Network below;
        below.layers() = frozen_;
        below.normalization = normalization_;
        frozen_predictor_.emplace(below);
    }
    rehearsal_input_ = trained_input(rehearsal_.features);
}

Matrix Finetuner::trained_input(const Matrix& samples) {
    if (!frozen_predictor_) return (samples.array() - normalization_.mean) / normalization_.stddev;  // rows x 784
    // Sample by sample through the frozen layers: rows x the last frozen layer's outputs. The
    // Predictor skips blank pixels, several times faster than a batch product in wasm.
    Matrix output(samples.rows(), frozen_.back().outputs());
    for (Eigen::Index r = 0; r < samples.rows(); ++r) {
        frozen_predictor_->logits(samples.row(r).data(), output.row(r).data());
    }
    return output;
}

FinetuneResult Finetuner::learn(Model& model, const float* pixels, int label, std::uint64_t seed, const float* path) {
    const Network& network = model.network;
    if (network.inputs() != kPixels) {
        throw Error("fine-tuning: the model takes " + std::to_string(network.inputs()) +
                    " inputs; it learns 28x28 drawings (784)");
    }
    const int classes = network.classes();
    if (label < 0 || label >= classes) {
        throw Error("fine-tuning: label " + std::to_string(label) + " is not a class of the model (0 to " +
                    std::to_string(classes - 1) + ")");
    }
    const auto rehearsal_classes = std::max_element(rehearsal_.labels.begin(), rehearsal_.labels.end());
    if (*rehearsal_classes >= classes) {
        throw Error(rehearsal_.name + ": holds label " + std::to_string(*rehearsal_classes) + " but the model has " +
                    std::to_string(classes) + " classes");
    }
    const int count = corrections(model);
    prepare(network);

    // The drawing and its distorted copies: (1 + copies) x 784, then the trained part's input.
    const int copies = options_.copies;
    Matrix drawing(1 + copies, kPixels);
    drawing.row(0) = Eigen::Map<const RowVector>(pixels, kPixels);
    for (int i = 0; i < copies; ++i) {
        const std::uint64_t copy_seed = splitmix64(seed, static_cast<std::uint64_t>(i));  // one stream per copy
        const Distortion distortion = draw_distortion(options_.distortions, copy_seed);
        distort_digit(pixels, distortion, options_.distortions.upsample, options_.distortions.preprocess,
                      drawing.row(1 + i).data());
    }
    const Matrix drawing_input = trained_input(drawing);  // (1 + copies) x inputs of the trained part
    const std::vector<int> drawing_labels(static_cast<std::size_t>(drawing_input.rows()), label);

    // The trained part: the layers above the frozen ones.
    Network trained;
    const auto& layers = network.layers();
    trained.layers().assign(layers.begin() + static_cast<std::ptrdiff_t>(frozen_.size()), layers.end());
    OptimizerConfig sgd;
    sgd.kind = OptimizerKind::sgd;
    sgd.momentum = options_.momentum;
    Optimizer optimizer(sgd);
    std::optional<FeatureScaleShift> features;
    if (options_.update == FinetuneUpdate::feature_scale_shift) {
        features.emplace(trained.layers().back(), options_.feature_learning_rate, options_.momentum);
    }

    // How the drawing is read: by the image, or, given its path and a pen-path network, by both
    // (stroke_reading.h). With a path rehearsal (finetune_path.cpp) the path network learns too.
    float threshold = rejection_threshold(model), pixel_weight = 1;
    Matrix path_term = Matrix::Zero(1, classes);  // 1 x classes: (1 - w) z_path / T_path
    const bool path_learns = path != nullptr && model.pen_path && path_correction_;
    if (path != nullptr && model.pen_path) {
        const PenPathNetwork& pen = *model.pen_path;
        pixel_weight = pen.pixel_weight;
        threshold = pen.reject_confidence;
        if (path_learns) {
            path_correction_->begin(pen, path, label, path_term);
        } else {
            Predictor path_reader(pen.network);  // the single-sample kernel the module already has
            path_reader.logits(path, path_term.data());
            path_term *= (1 - pen.pixel_weight) / pen.network.temperature;
        }
    }
    const ReadingRule rule{label, options_.target_probability, threshold,
                           has_rejection_class(model) && label == kDigitClasses && threshold > 0};
    const auto margin = [&] {
        return reading_margin(
            probabilities_of(trained, drawing_input.topRows(1), network.temperature, pixel_weight, path_term), rule);
    };
    std::vector<DenseLayer> best = trained.layers();  // the weights the drawing reads closest to its label under
    float best_margin = margin();
    // The forgetting budget: how many rehearsal samples the model reads right now may read wrong after.
    const bool budgeted = options_.forgetting_budget < 1;
    const std::vector<bool> right_before =
        budgeted ? read_as_labels(trained, rehearsal_input_, rehearsal_.labels) : std::vector<bool>{};
    const auto forgotten = [&] {
        const std::vector<bool> right = read_as_labels(trained, rehearsal_input_, rehearsal_.labels);
        int count = 0;
        for (std::size_t i = 0; i < right.size(); ++i) count += right_before[i] && !right[i];
        return count;
    };
    const int allowed = static_cast<int>(options_.forgetting_budget * static_cast<float>(rehearsal_.size()));

    const int rows = options_.rehearsal_rows;
    const float share = rows > 0 ? options_.drawing_share : 1.0f;  // no rehearsal: the drawing is the whole loss
    batch_.resize(rows, drawing_input.cols());
    batch_labels_.resize(static_cast<std::size_t>(rows));
    std::mt19937_64 rng(splitmix64(seed, ~std::uint64_t{0}));
    std::uniform_int_distribution<int> pick(0, rehearsal_.size() - 1);
    FinetuneResult result;
    // Feature scales and shifts for up to feature_steps; a drawing they cannot make read as its
    // label then gets up to max_steps more of the weights themselves.
    const int feature_steps = features ? options_.feature_steps : 0;
    const int step_limit = feature_steps + options_.max_steps;
    while (best_margin < 0 && result.steps < step_limit) {
        for (Eigen::Index r = 0; r < rows; ++r) {
            const int sample = pick(rng);
            batch_.row(r) = rehearsal_input_.row(sample);
            batch_labels_[static_cast<std::size_t>(r)] = rehearsal_.labels[static_cast<std::size_t>(sample)];
        }
        // Per trained layer, dL/dW (in x out) and dL/db (1 x out) =
        // share x the drawing group's mean gradient + (1 - share) x the rehearsal group's.
        drawing_backprop_.compute(trained, drawing_input, drawing_labels.data());
        step_gradient_ = drawing_backprop_.gradients();
        if (rows > 0) {
            rehearsal_backprop_.compute(trained, batch_, batch_labels_.data());
            mix_gradients(step_gradient_, rehearsal_backprop_.gradients(), share);
        }
        if (result.steps < feature_steps) {
            features->step(step_gradient_.back(), trained.layers().back());
        } else {
            optimizer.step(trained, step_gradient_, options_.learning_rate);
        }
        if (path_learns) path_correction_->step(share, path_term);
        ++result.steps;
        const float now = margin();
        if (now <= best_margin) continue;
        if (budgeted && forgotten() > allowed) {  // this step, and so the ones after it, forget too much
            result.over_budget = true;
            break;
        }
        best_margin = now;
        best = trained.layers();
        if (path_learns) path_correction_->keep();
    }
    result.read_as_label = best_margin >= 0;
    trained.layers() = std::move(best);
    if (!trained.all_finite() || (path_learns && !path_correction_->finish(*model.pen_path))) {
        throw Error("fine-tuning: a weight became infinite or NaN; the model is unchanged");
    }

    std::copy(trained.layers().begin(), trained.layers().end(),
              model.network.layers().begin() + static_cast<std::ptrdiff_t>(frozen_.size()));
    model.weight_storage = WeightStorage::float32;
    model.metadata[kCorrectionsKey] = std::to_string(count + 1);
    return result;
}

bool fine_tuned_from(const Model& personal, const Model& shipped) {
    const auto same_start = [](const Network& a, const Network& b) {
        return a.layer_sizes() == b.layer_sizes() && !a.layers().empty() &&
               a.layers().front().weights == b.layers().front().weights &&
               a.layers().front().bias == b.layers().front().bias;
    };
    if (personal.class_names != shipped.class_names || !same_start(personal.network, shipped.network)) return false;
    if (personal.pen_path.has_value() != shipped.pen_path.has_value()) return false;
    return !personal.pen_path || same_start(personal.pen_path->network, shipped.pen_path->network);
}

Dataset choose_rehearsal_sample(const Dataset& data, int per_class, std::uint64_t seed) {
    std::vector<int> order(static_cast<std::size_t>(data.size()));
    std::iota(order.begin(), order.end(), 0);
    std::mt19937_64 rng(seed);
    std::shuffle(order.begin(), order.end(), rng);
    std::stable_sort(order.begin(), order.end(),
                     [&](int a, int b) { return data.labels[std::size_t(a)] < data.labels[std::size_t(b)]; });
    std::vector<int> chosen;
    int taken = 0;
    for (std::size_t i = 0; i < order.size(); ++i) {
        if (i > 0 && data.labels[std::size_t(order[i - 1])] != data.labels[std::size_t(order[i])]) taken = 0;
        if (taken++ < per_class) chosen.push_back(order[i]);
    }
    Dataset sample;
    sample.features.resize(static_cast<Eigen::Index>(chosen.size()), data.features.cols());
    for (std::size_t i = 0; i < chosen.size(); ++i) {
        sample.features.row(static_cast<Eigen::Index>(i)) = data.features.row(chosen[i]);
        sample.labels.push_back(data.labels[std::size_t(chosen[i])]);
    }
    sample.classes = data.classes;
    sample.class_names = data.class_names;
    sample.name = data.name;
    return sample;
}

}  // namespace fcnet
