// The pen-path network's part in a correction: its output layer learns from the drawing's path, with a path rehearsal.
#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "core/finetune.h"
#include "core/optimizer.h"

namespace fcnet {

namespace {

// The layers below the output layer read the drawing's path and the rehearsal's paths once per
// correction (a few hundred rows of a small network); only the output layer learns, with SGD and
// momentum, fresh for each correction, as the image network's trained part does.
class PenPathCorrection final : public PathCorrection {
public:
    PenPathCorrection(PathRehearsal rehearsal, float learning_rate, float momentum)
        : rehearsal_(std::move(rehearsal)),
          largest_(*std::max_element(rehearsal_.labels.begin(), rehearsal_.labels.end())),
          learning_rate_(learning_rate) {
        sgd_.kind = OptimizerKind::sgd;
        sgd_.momentum = momentum;
    }

    void begin(const PenPathNetwork& pen, const float* path, int label, Matrix& term) override {
        const Network& network = pen.network;
        const int classes = network.classes();
        if (network.layers().size() < 2 || rehearsal_.paths.cols() != network.inputs() || largest_ >= classes) {
            throw Error("path rehearsal: paths of " + std::to_string(rehearsal_.paths.cols()) + " features, labels up to " +
                        std::to_string(largest_) + "; the model's pen-path network has " +
                        std::to_string(network.layers().size()) + " layers, " + std::to_string(network.inputs()) +
                        " inputs and " + std::to_string(classes) + " classes; it learns from paths of its " +
                        std::to_string(network.inputs()) + " inputs with labels below " + std::to_string(classes) +
                        ", and needs two layers or more (a rehearsal made for another model?)");
        }
        Network below;
        below.layers().assign(network.layers().begin(), network.layers().end() - 1);
        below.normalization = network.normalization;
        Predictor reader(below);  // the layers that keep their weights
        input_.resize(1, below.classes());  // 1 x the output layer's inputs
        reader.logits(path, input_.data());
        rehearsal_input_.resize(rehearsal_.paths.rows(), below.classes());  // rehearsal rows x the same
        for (Eigen::Index r = 0; r < rehearsal_input_.rows(); ++r) {
            reader.logits(rehearsal_.paths.row(r).data(), rehearsal_input_.row(r).data());
        }
        trained_.layers().assign(1, network.layers().back());
        kept_ = trained_.layers();
        weight_ = (1 - pen.pixel_weight) / network.temperature;
        label_.assign(1, label);
        optimizer_.emplace(sgd_);
        read(term);
    }

    void step(float share, Matrix& term) override {
        drawing_.compute(trained_, input_, label_.data());
        gradient_ = drawing_.gradients();
        if (rehearsal_input_.rows() > 0) {
            rehearsal_backprop_.compute(trained_, rehearsal_input_, rehearsal_.labels.data());
            mix_gradients(gradient_, rehearsal_backprop_.gradients(), share);
        }
        optimizer_->step(trained_, gradient_, learning_rate_);
        read(term);
    }

    void keep() override { kept_ = trained_.layers(); }

    bool finish(PenPathNetwork& pen) override {
        trained_.layers() = kept_;
        if (!trained_.all_finite()) return false;
        pen.network.layers().back() = kept_.front();
        return true;
    }

private:
    // (1 - w) z_path / T_path for the drawing into `term`.
    void read(Matrix& term) const {
        forward_layer(trained_.layers().front(), input_, term);  // (1 x in)(in x classes) + (1 x classes)
        term *= weight_;
    }

    PathRehearsal rehearsal_;
    int largest_;                     // the rehearsal's largest label
    float learning_rate_;
    OptimizerConfig sgd_;
    Network trained_;                 // the output layer, learning
    std::vector<DenseLayer> kept_;    // the weights to keep
    Matrix input_, rehearsal_input_;  // what the output layer reads: 1 x in, rehearsal rows x in
    float weight_ = 0;                // (1 - w) / T_path
    std::vector<int> label_;
    std::optional<Optimizer> optimizer_;
    Backprop drawing_, rehearsal_backprop_;
    std::vector<LayerGradients> gradient_;
};

}  // namespace

void Finetuner::set_path_rehearsal(PathRehearsal paths) {
    bool negative = false;
    for (const int l : paths.labels) negative = negative || l < 0;
    const float rate = options_.path_learning_rate;
    if (paths.labels.empty() || paths.paths.rows() != static_cast<Eigen::Index>(paths.labels.size()) || negative ||
        !(rate > 0 && std::isfinite(rate))) {
        throw Error("path rehearsal: " + std::to_string(paths.paths.rows()) + " paths, " +
                    std::to_string(paths.labels.size()) + " labels" + (negative ? " (one negative)" : "") +
                    ", pen-path learning rate " + std::to_string(rate) +
                    "; expected at least one path, a label a path, none negative, and a positive learning rate");
    }
    path_correction_ = std::make_unique<PenPathCorrection>(std::move(paths), rate, options_.momentum);
}

}  // namespace fcnet
