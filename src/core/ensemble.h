// One network that computes the mean of several networks' calibrated logits (an ensemble in a single MLP).
#pragma once

#include <vector>

#include "core/network.h"

namespace fcnet {

// A network whose logits equal the mean of the members' logits, each divided by its member's
// temperature; its temperature is 1 (calibrate it again on validation data). The members must
// take the same inputs, give the same classes and have the same depth and activations; their
// sizes and input normalisations may differ. Built layer by layer:
//   first layer:  the members' first layers side by side, (inputs x sum of their outputs); each
//                 member's weights rescaled and its bias shifted so that it reads the first
//                 member's normalisation instead of its own;
//   hidden layers: block-diagonal, member k's (in_k x out_k) block on the diagonal, zeros elsewhere;
//   last layer:   the members' last layers stacked, (sum of their inputs x classes), member k's
//                 weights and bias divided by (members x T_k).
// A network of one layer has no hidden part: its single layer is both first and last.
// Throws fcnet::Error if there are fewer than two members or they do not fit together.
Network ensemble_network(const std::vector<const Network*>& members);

}  // namespace fcnet
