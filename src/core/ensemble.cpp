// One network that computes the mean of several networks' calibrated logits (an ensemble in a single MLP).
#include "core/ensemble.h"

#include <string>

#include "core/error.h"

namespace fcnet {

namespace {

void check_members(const std::vector<const Network*>& members) {
    if (members.size() < 2) throw Error("an ensemble needs at least two networks, got " + std::to_string(members.size()));
    const Network& first = *members.front();
    if (first.layers().empty()) throw Error("ensemble member 1 has no layers");
    for (std::size_t k = 1; k < members.size(); ++k) {
        const Network& member = *members[k];
        const std::string which = "ensemble member " + std::to_string(k + 1);
        if (member.inputs() != first.inputs() || member.classes() != first.classes()) {
            throw Error(which + " maps " + std::to_string(member.inputs()) + " inputs to " +
                        std::to_string(member.classes()) + " classes, member 1 " + std::to_string(first.inputs()) +
                        " to " + std::to_string(first.classes()));
        }
        if (member.layers().size() != first.layers().size()) {
            throw Error(which + " has " + std::to_string(member.layers().size()) + " layers, member 1 " +
                        std::to_string(first.layers().size()));
        }
        for (std::size_t l = 0; l < first.layers().size(); ++l) {
            if (member.layers()[l].activation != first.layers()[l].activation) {
                throw Error(which + ": layer " + std::to_string(l + 1) + "'s activation differs from member 1's");
            }
        }
    }
}

// Member k's first layer reading x^ = (x - m_0) / s_0 (member 1's normalisation) instead of its own
// (x - m_k) / s_k = (s_0 / s_k) x^ + (m_0 - m_k) / s_k:
//   weights' = (s_0 / s_k) weights,  bias' = bias + ((m_0 - m_k) / s_k) (1 x inputs)(inputs x outputs).
DenseLayer renormalised_first_layer(const Network& member, const InputNormalization& to) {
    const DenseLayer& layer = member.layers().front();
    const InputNormalization& from = member.normalization;
    DenseLayer out = layer;
    out.weights *= to.stddev / from.stddev;
    out.bias += ((to.mean - from.mean) / from.stddev) * layer.weights.colwise().sum();  // 1 x outputs
    return out;
}

}  // namespace

Network ensemble_network(const std::vector<const Network*>& members) {
    check_members(members);
    const std::size_t depth = members.front()->layers().size();
    const float count = static_cast<float>(members.size());
    Network ensemble;
    ensemble.normalization = members.front()->normalization;
    ensemble.temperature = 1.0f;
    std::vector<DenseLayer>& layers = ensemble.layers();
    layers.resize(depth);

    // Each member's layers, with the first reading the shared normalisation and the last scaled by 1 / (count x T).
    std::vector<std::vector<DenseLayer>> parts(members.size());
    for (std::size_t k = 0; k < members.size(); ++k) {
        parts[k] = members[k]->layers();
        parts[k].front() = renormalised_first_layer(*members[k], ensemble.normalization);
        DenseLayer& last = parts[k].back();
        const float scale = 1.0f / (count * members[k]->temperature);
        last.weights *= scale;
        last.bias *= scale;
    }

    if (depth == 1) {  // one linear layer: the mean of the members' is their sum, already scaled
        layers[0] = parts[0][0];
        for (std::size_t k = 1; k < parts.size(); ++k) {
            layers[0].weights += parts[k][0].weights;
            layers[0].bias += parts[k][0].bias;
        }
        return ensemble;
    }
    for (std::size_t l = 0; l < depth; ++l) {
        Eigen::Index rows = 0, cols = 0;
        for (const auto& member : parts) {
            rows += member[l].inputs();
            cols += member[l].outputs();
        }
        if (l == 0) rows = parts[0][0].inputs();                      // every member reads the same inputs
        if (l + 1 == depth) cols = parts[0][l].outputs();             // and writes the same classes
        DenseLayer& layer = layers[l];
        layer.activation = parts[0][l].activation;
        layer.weights = Matrix::Zero(rows, cols);                     // rows x cols, blocks below
        layer.bias = RowVector::Zero(cols);                           // 1 x cols
        Eigen::Index row = 0, col = 0;
        for (const auto& member : parts) {
            const DenseLayer& block = member[l];                      // in_k x out_k
            const Eigen::Index r = l == 0 ? 0 : row, c = l + 1 == depth ? 0 : col;
            layer.weights.block(r, c, block.inputs(), block.outputs()) = block.weights;
            if (l + 1 == depth) {
                layer.bias += block.bias;                             // logits add up
            } else {
                layer.bias.segment(c, block.outputs()) = block.bias;
            }
            row += block.inputs();
            col += block.outputs();
        }
    }
    return ensemble;
}

}  // namespace fcnet
