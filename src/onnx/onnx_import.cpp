// Reading an ONNX graph into a Model: walks the one chain from the input to the output, folds constants, refuses the rest.
//
// Sections: constant tensors | the chain walker (normalisation, layers, activations, temperature, softmax) | metadata | entry points
#include <cmath>
#include <cstring>
#include <map>
#include <set>

#include <nlohmann/json.hpp>
#include <onnx/onnx_pb.h>

#include "core/error.h"
#include "io/file_system.h"
#include "io/model_file.h"
#include "onnx/onnx_metadata.h"
#include "onnx/onnx_model.h"

namespace fcnet {

namespace {

constexpr int kMaxLayers = 1000;  // as in .fcnet files

// A constant: an initializer, a Constant node's value, or one folded from them.
struct Constant {
    std::vector<std::int64_t> dims;   // row-major
    std::vector<float> values;        // float32 / float16 / float64 tensors
    std::vector<std::int64_t> integers;  // int32 / int64 / bool tensors (shapes, flags)
    bool is_float16 = false;
};

// =============================================================================================
// Constant tensors
// =============================================================================================

class TensorReader {
public:
    TensorReader(const onnx::TensorProto& tensor, const std::string& where) : tensor_(tensor), where_(where) {}

    Constant read() {
        if (tensor_.data_location() == onnx::TensorProto::EXTERNAL || tensor_.external_data_size() > 0) {
            fail("keeps its data in an external file; fcnet reads self-contained .onnx files");
        }
        if (tensor_.has_segment()) fail("is segmented; fcnet reads whole tensors");
        Constant constant;
        count_ = 1;
        for (const std::int64_t dim : tensor_.dims()) {
            if (dim < 0) fail("has a negative dimension " + std::to_string(dim));
            if (dim > 0 && count_ > kMaxModelParameters / dim) {
                fail("has more than " + std::to_string(kMaxModelParameters) + " elements (the size limit)");
            }
            count_ *= dim;
            constant.dims.push_back(dim);
        }
        switch (tensor_.data_type()) {
            case onnx::TensorProto::FLOAT:
                constant.values = tensor_.raw_data().empty()
                                      ? from_field(tensor_.float_data(), "float_data")
                                      : from_raw<float>(4, [](std::uint64_t bits) {
                                            float value;
                                            const auto word = static_cast<std::uint32_t>(bits);
                                            std::memcpy(&value, &word, sizeof value);
                                            return value;
                                        });
                break;
            case onnx::TensorProto::FLOAT16:
                constant.is_float16 = true;
                constant.values = tensor_.raw_data().empty()
                                      ? from_field<float>(tensor_.int32_data(), "int32_data",
                                                          [](std::int32_t bits) { return half_to_float(static_cast<std::uint16_t>(bits)); })
                                      : from_raw<float>(2, [](std::uint64_t bits) { return half_to_float(static_cast<std::uint16_t>(bits)); });
                break;
            case onnx::TensorProto::DOUBLE:
                constant.values = tensor_.raw_data().empty()
                                      ? from_field<float>(tensor_.double_data(), "double_data",
                                                          [](double value) { return static_cast<float>(value); })
                                      : from_raw<float>(8, [](std::uint64_t bits) {
                                            double value;
                                            std::memcpy(&value, &bits, sizeof value);
                                            return static_cast<float>(value);
                                        });
                break;
            case onnx::TensorProto::INT64:
                constant.integers = tensor_.raw_data().empty()
                                        ? from_field(tensor_.int64_data(), "int64_data")
                                        : from_raw<std::int64_t>(8, [](std::uint64_t bits) { return static_cast<std::int64_t>(bits); });
                break;
            case onnx::TensorProto::INT32:
                constant.integers = tensor_.raw_data().empty()
                                        ? from_field<std::int64_t>(tensor_.int32_data(), "int32_data",
                                                                   [](std::int32_t value) { return std::int64_t{value}; })
                                        : from_raw<std::int64_t>(4, [](std::uint64_t bits) {
                                              return std::int64_t{static_cast<std::int32_t>(static_cast<std::uint32_t>(bits))};
                                          });
                break;
            case onnx::TensorProto::BOOL:
                constant.integers = tensor_.raw_data().empty()
                                        ? from_field<std::int64_t>(tensor_.int32_data(), "int32_data",
                                                                   [](std::int32_t value) { return std::int64_t{value != 0}; })
                                        : from_raw<std::int64_t>(1, [](std::uint64_t bits) { return std::int64_t{bits != 0}; });
                break;
            default:
                fail("has ONNX data type " + std::to_string(tensor_.data_type()) +
                     "; fcnet reads float32, float16, float64, int32, int64 and bool tensors");
        }
        return constant;
    }

private:
    [[noreturn]] void fail(const std::string& problem) const { throw Error(where_ + " " + problem); }

    // Little-endian elements of `width` bytes from raw_data, each decoded by `convert`.
    template <typename T, typename Convert>
    std::vector<T> from_raw(std::size_t width, Convert convert) const {
        const std::string& raw = tensor_.raw_data();
        if (raw.size() != static_cast<std::size_t>(count_) * width) {
            fail("has " + std::to_string(raw.size()) + " bytes of raw_data for " + std::to_string(count_) +
                 " elements of " + std::to_string(width) + " bytes");
        }
        std::vector<T> out(static_cast<std::size_t>(count_));
        for (std::size_t i = 0; i < out.size(); ++i) {
            std::uint64_t bits = 0;
            for (std::size_t b = 0; b < width; ++b) bits |= std::uint64_t{static_cast<std::uint8_t>(raw[i * width + b])} << (8 * b);
            out[i] = convert(bits);
        }
        return out;
    }

    template <typename T, typename Field, typename Convert>
    std::vector<T> from_field(const Field& field, const char* name, Convert convert) const {
        if (field.size() != count_) {
            fail("has " + std::to_string(field.size()) + " values in " + name + " for " + std::to_string(count_) + " elements");
        }
        std::vector<T> out;
        out.reserve(static_cast<std::size_t>(count_));
        for (const auto value : field) out.push_back(convert(value));
        return out;
    }
    template <typename Field>
    std::vector<typename Field::value_type> from_field(const Field& field, const char* name) const {
        using T = typename Field::value_type;
        return from_field<T>(field, name, [](T value) { return value; });
    }

    const onnx::TensorProto& tensor_;
    std::string where_;
    std::int64_t count_ = 1;
};

std::int64_t element_count(const Constant& constant) {
    return static_cast<std::int64_t>(constant.values.empty() ? constant.integers.size() : constant.values.size());
}

// =============================================================================================
// The chain walker
// =============================================================================================

// Walks the nodes in their (topological) order. `chain_` names the tensor that carries the
// sample from the graph input; each node either computes on constants only (folded) or reads
// `chain_` once and becomes the next link: normalisation, a layer, an activation, the
// temperature or the softmax, in that order.
class Importer {
public:
    Importer(const onnx::ModelProto& proto, const std::string& source) : proto_(proto), source_(source) {}

    Model run() {
        check_opset();
        const onnx::GraphProto& graph = proto_.graph();
        for (const onnx::TensorProto& initializer : graph.initializer()) {
            constants_[initializer.name()] = TensorReader(initializer, source_ + ": initializer '" + initializer.name() + "'").read();
        }
        const onnx::ValueInfoProto& input = single_input(graph);
        if (graph.output_size() != 1) fail("the graph has " + std::to_string(graph.output_size()) + " outputs; fcnet reads graphs with one");
        for (const onnx::NodeProto& node : graph.node()) {
            for (const std::string& name : node.input()) ++uses_[name];
        }
        chain_ = input.name();
        for (const onnx::NodeProto& node : graph.node()) visit(node);
        if (chain_ != graph.output(0).name()) {
            fail("the graph output '" + graph.output(0).name() + "' is not the end of the chain of nodes from the input '" +
                 input.name() + "' (which ends at '" + chain_ + "')");
        }
        if (layers_.empty()) fail("the graph has no dense layer (Gemm or MatMul)");
        check_input_size(input);

        Model model;
        model.network.layers() = std::move(layers_);
        model.network.normalization = normalization_;
        model.network.temperature = temperature_;
        if (all_float16_) model.weight_storage = WeightStorage::float16;  // else float32 keeps every value exact
        read_metadata(model);
        return model;
    }

private:
    [[noreturn]] void fail(const std::string& problem) const { throw Error(source_ + ": " + problem); }
    [[noreturn]] void fail(const onnx::NodeProto& node, const std::string& problem) const {
        const std::string name = !node.name().empty() || node.output_size() == 0 ? node.name() : "-> " + node.output(0);
        throw Error(source_ + ": node '" + name + "' (" + node.op_type() + "): " + problem);
    }

    void check_opset() {
        std::int64_t opset = -1;
        for (const onnx::OperatorSetIdProto& entry : proto_.opset_import()) {
            if (entry.domain().empty() || entry.domain() == "ai.onnx") opset = entry.version();
        }
        if (opset < kOnnxMinImportOpset || opset > kOnnxMaxImportOpset) {
            fail(opset < 0 ? std::string("no opset of the standard ONNX domain is imported")
                           : "opset " + std::to_string(opset) + " is outside the range fcnet reads (" +
                                 std::to_string(kOnnxMinImportOpset) + " to " + std::to_string(kOnnxMaxImportOpset) + ")");
        }
        opset_ = opset;
    }

    const onnx::ValueInfoProto& single_input(const onnx::GraphProto& graph) const {
        const onnx::ValueInfoProto* found = nullptr;
        std::string names;
        int count = 0;
        for (const onnx::ValueInfoProto& input : graph.input()) {
            if (constants_.count(input.name())) continue;  // older exporters list initializers as inputs
            found = &input;
            names += (count++ ? ", '" : "'") + input.name() + "'";
        }
        if (count != 1) fail("the graph has " + std::to_string(count) + " inputs (" + names + "); fcnet reads graphs with one");
        const auto element = found->type().tensor_type().elem_type();
        if (element != onnx::TensorProto::FLOAT && element != onnx::TensorProto::FLOAT16 && element != onnx::TensorProto::DOUBLE) {
            fail("the input '" + found->name() + "' has ONNX element type " + std::to_string(element) + "; fcnet reads float inputs");
        }
        return *found;
    }

    // The input's static size per sample (all dimensions after the batch) must match layer 0.
    void check_input_size(const onnx::ValueInfoProto& input) const {
        const onnx::TensorShapeProto& shape = input.type().tensor_type().shape();
        std::int64_t features = 1;
        for (int i = 1; i < shape.dim_size(); ++i) {
            const std::int64_t dim = shape.dim(i).dim_value();
            if (!shape.dim(i).has_dim_value() || dim <= 0) return;  // symbolic or unset: nothing to check
            features = dim > kMaxModelParameters ? kMaxModelParameters + 1 : features * dim;
            if (features > kMaxModelParameters) break;
        }
        if (shape.dim_size() >= 2 && features != layers_.front().inputs()) {
            fail("the input '" + input.name() + "' has " + std::to_string(features) + " features per sample but the first layer takes " +
                 std::to_string(layers_.front().inputs()));
        }
    }

    void visit(const onnx::NodeProto& node) {
        if (!node.domain().empty() && node.domain() != "ai.onnx") fail(node, "the operator domain '" + node.domain() + "' is not standard ONNX");
        if (node.op_type() == "Constant") {
            if (node.output_size() != 1) fail(node, "has " + std::to_string(node.output_size()) + " outputs, expected 1");
            constants_[node.output(0)] = constant_attribute(node);
            return;
        }
        int chain_reads = 0;
        for (const std::string& name : node.input()) chain_reads += name == chain_;
        if (chain_reads == 0) {
            fold(node);
            return;
        }
        if (chain_reads > 1) fail(node, "reads '" + chain_ + "' twice; fcnet reads a chain of dense layers");
        if (uses_[chain_] > 1) {
            fail(node, "'" + chain_ + "' feeds " + std::to_string(uses_[chain_]) + " nodes; fcnet reads a single chain, without branches");
        }
        if (node.output_size() < 1 || node.output(0).empty()) fail(node, "has no output");
        if (finished_) fail(node, "follows the final " + std::string(finished_by_) + "; fcnet reads nothing after it");
        link(node);
        chain_ = node.output(0);
    }

    // -------- the links of the chain --------------------------------------------------------
    void link(const onnx::NodeProto& node) {
        const std::string& op = node.op_type();
        if (op == "Identity") return;
        if (op == "Dropout") return dropout(node);
        if (op == "Cast") return cast(node);
        if (op == "Flatten" || op == "Reshape") return reshape(node);
        if (op == "Sub") return normalize(node, normalization_.mean, seen_mean_);
        if (op == "Div" && layers_.empty()) return normalize(node, normalization_.stddev, seen_stddev_);
        if (op == "Div") return divide_by_temperature(node);
        if (op == "Gemm") return gemm(node);
        if (op == "MatMul") return matmul(node);
        if (op == "Add") return add_bias(node);
        if (op == "Relu") return activate(node, Activation::relu);
        if (op == "LeakyRelu") return leaky_relu(node);
        if (op == "Sigmoid") return activate(node, Activation::sigmoid);
        if (op == "Tanh") return activate(node, Activation::tanh);
        if (op == "Softmax" || op == "LogSoftmax") return softmax(node);
        fail(node, "fcnet cannot import this operator; it reads dense networks: Gemm or MatMul + Add, Relu, LeakyRelu, "
                   "Sigmoid, Tanh, Softmax or LogSoftmax, with Flatten, Reshape, Identity, Dropout and Cast passed "
                   "through (docs/onnx.md)");
    }

    void dropout(const onnx::NodeProto& node) const {
        if (node.output_size() > 1 && !node.output(1).empty() && (uses_.count(node.output(1)) || is_graph_output(node.output(1)))) {
            fail(node, "its mask output is used; fcnet imports Dropout in inference mode only");
        }
        if (node.input_size() > 2 && !node.input(2).empty()) {
            const Constant& training = constant_input(node, 2, "training_mode");
            if (training.integers.size() != 1 || training.integers[0] != 0) fail(node, "training_mode is not the constant false");
        }
    }

    void cast(const onnx::NodeProto& node) const {
        const std::int64_t to = int_attribute(node, "to", -1);
        if (to != onnx::TensorProto::FLOAT && to != onnx::TensorProto::FLOAT16 && to != onnx::TensorProto::DOUBLE) {
            fail(node, "casts to ONNX type " + std::to_string(to) + "; fcnet computes in floats");
        }
    }

    void reshape(const onnx::NodeProto& node) const {
        if (!layers_.empty()) fail(node, "comes after the first layer; fcnet accepts Flatten or Reshape only at the input");
        require_chain_at(node, 0);
        if (node.op_type() == "Flatten") {
            if (int_attribute(node, "axis", 1) != 1) fail(node, "axis is not 1; fcnet flattens each sample to one row");
            return;
        }
        const Constant& shape = constant_input(node, 1, "shape");
        if (shape.integers.size() != 2 || shape.integers[1] == 0 || shape.integers[1] < -1) {
            fail(node, "the target shape is not (batch, features); fcnet accepts a Reshape to one row per sample");
        }
    }

    void normalize(const onnx::NodeProto& node, float& value, bool& seen) {
        if (!layers_.empty()) fail(node, "comes after the first layer; fcnet accepts Sub and Div only as the input's normalisation");
        if (seen || (&seen == &seen_mean_ && seen_stddev_)) {
            fail(node, "a second normalisation step; fcnet normalises the input once, as (x - mean) / stddev");
        }
        require_chain_at(node, 0);
        value = scalar_input(node, 1, node.op_type() == "Sub" ? "mean" : "stddev");
        if (&seen == &seen_stddev_ && !(std::isfinite(value) && value > 0.0f)) {
            fail(node, "divides by " + std::to_string(value) + "; the input's stddev must be positive and finite");
        }
        if (!std::isfinite(value)) fail(node, "subtracts a non-finite mean");
        seen = true;
    }

    void divide_by_temperature(const onnx::NodeProto& node) {
        if (seen_temperature_) fail(node, "a second Div after the layers; fcnet has one temperature");
        require_chain_at(node, 0);
        temperature_ = scalar_input(node, 1, "temperature");
        if (!(std::isfinite(temperature_) && temperature_ > 0.0f)) {
            fail(node, "divides by " + std::to_string(temperature_) + "; the temperature must be positive and finite");
        }
        seen_temperature_ = true;
        layer_open_ = false;
    }

    void gemm(const onnx::NodeProto& node) {
        require_chain_at(node, 0);
        if (int_attribute(node, "transA", 0) != 0) fail(node, "transA = 1 would transpose the batch; fcnet reads transA = 0");
        const float alpha = float_attribute(node, "alpha", 1.0f);
        const float beta = float_attribute(node, "beta", 1.0f);
        const bool transpose = int_attribute(node, "transB", 0) != 0;
        add_layer(node, constant_input(node, 1, "B"), transpose, alpha);
        if (node.input_size() > 2 && !node.input(2).empty()) add_to_bias(node, constant_input(node, 2, "C"), beta);
    }

    void matmul(const onnx::NodeProto& node) {
        require_chain_at(node, 0);
        add_layer(node, constant_input(node, 1, "B"), false, 1.0f);
    }

    void add_bias(const onnx::NodeProto& node) {
        if (node.input_size() != 2) fail(node, "has " + std::to_string(node.input_size()) + " inputs, expected 2");
        if (!layer_open_) fail(node, "does not follow a MatMul or Gemm; fcnet accepts Add only as a layer's bias");
        add_to_bias(node, constant_input(node, node.input(0) == chain_ ? 1 : 0, "bias"), 1.0f);
    }

    void leaky_relu(const onnx::NodeProto& node) {
        const float alpha = float_attribute(node, "alpha", 0.01f);
        if (std::fabs(alpha - kLeakyReluSlope) > 1e-7f) {
            fail(node, "alpha is " + std::to_string(alpha) + "; fcnet's leaky_relu has slope " + std::to_string(kLeakyReluSlope));
        }
        activate(node, Activation::leaky_relu);
    }

    void activate(const onnx::NodeProto& node, Activation activation) {
        if (!layer_open_) fail(node, "does not follow a layer; fcnet applies one activation to each layer's output");
        layers_.back().activation = activation;
        layer_open_ = false;
    }

    void softmax(const onnx::NodeProto& node) {
        if (layers_.empty()) fail(node, "comes before any layer");
        const std::int64_t axis = int_attribute(node, "axis", opset_ >= 13 ? -1 : 1);
        if (axis != -1 && axis != 1) fail(node, "axis is " + std::to_string(axis) + "; fcnet takes the softmax over the classes (axis 1 or -1)");
        finished_ = true;
        finished_by_ = node.op_type() == "Softmax" ? "Softmax" : "LogSoftmax";
        layer_open_ = false;
    }

    // -------- layers ------------------------------------------------------------------------
    // weights (in x out) = alpha * B, or alpha * B^T when `transpose` (B is then out x in).
    void add_layer(const onnx::NodeProto& node, const Constant& b, bool transpose, float alpha) {
        if (seen_temperature_) fail(node, "comes after the temperature's Div; fcnet divides only the last layer's output");
        if (b.dims.size() != 2 || b.values.empty()) fail(node, "the weights are not a float matrix");
        if (static_cast<int>(layers_.size()) == kMaxLayers) fail(node, "more than " + std::to_string(kMaxLayers) + " layers");
        const std::int64_t inputs = transpose ? b.dims[1] : b.dims[0];
        const std::int64_t outputs = transpose ? b.dims[0] : b.dims[1];
        if (!layers_.empty() && inputs != layers_.back().outputs()) {
            fail(node, "the weights take " + std::to_string(inputs) + " inputs but the previous layer gives " +
                           std::to_string(layers_.back().outputs()));
        }
        parameters_ += inputs * outputs + outputs;
        if (parameters_ > kMaxModelParameters) fail(node, "the network has more than " + std::to_string(kMaxModelParameters) + " parameters (the size limit)");
        DenseLayer layer;
        layer.weights.resize(inputs, outputs);
        for (std::int64_t r = 0; r < inputs; ++r) {
            for (std::int64_t c = 0; c < outputs; ++c) {
                const float value = transpose ? b.values[c * inputs + r] : b.values[r * outputs + c];
                layer.weights(r, c) = alpha * value;
            }
        }
        if (!layer.weights.allFinite()) fail(node, "the weights are not all finite");
        layer.bias = RowVector::Zero(outputs);
        all_float16_ &= b.is_float16;
        layers_.push_back(std::move(layer));
        layer_open_ = true;
    }

    // bias += beta * c, where c broadcasts to (1 x outputs): shape (), (1), (outputs), (1, outputs) or (1, 1).
    void add_to_bias(const onnx::NodeProto& node, const Constant& c, float beta) {
        RowVector& bias = layers_.back().bias;
        const std::int64_t count = static_cast<std::int64_t>(c.values.size());
        const bool row = c.dims.size() < 2 || (c.dims.size() == 2 && c.dims[0] == 1);
        if (c.values.empty() || !row || (count != 1 && count != bias.size())) {
            fail(node, "the bias is not a float vector of " + std::to_string(bias.size()) + " values (or one)");
        }
        for (Eigen::Index i = 0; i < bias.size(); ++i) bias[i] += beta * c.values[count == 1 ? 0 : i];
        all_float16_ &= c.is_float16;
        if (!bias.allFinite()) fail(node, "the bias is not all finite");
    }

    // -------- constants ---------------------------------------------------------------------
    void fold(const onnx::NodeProto& node) {
        for (int i = 0; i < node.input_size(); ++i) {
            if (!node.input(i).empty() && !constants_.count(node.input(i))) {
                fail(node, "its input '" + node.input(i) + "' is neither a constant nor the chain from the graph input '" +
                               chain_ + "'; fcnet reads one chain of dense layers");
            }
        }
        const std::string& op = node.op_type();
        if (node.input_size() < 1 || node.input(0).empty() || node.output_size() != 1) {
            fail(node, "computes on constants with an unexpected arity");
        }
        Constant folded = constants_.at(node.input(0));
        if (op == "Transpose") {
            const auto& perm = node.attribute();
            for (const onnx::AttributeProto& attribute : perm) {
                if (attribute.name() == "perm" && !(attribute.ints_size() == 2 && attribute.ints(0) == 1 && attribute.ints(1) == 0)) {
                    fail(node, "fcnet folds only the transpose of a matrix (perm = [1, 0])");
                }
            }
            if (folded.dims.size() != 2 || folded.values.empty()) fail(node, "fcnet folds only the transpose of a float matrix");
            const std::int64_t rows = folded.dims[0], cols = folded.dims[1];
            const Constant& original = constants_.at(node.input(0));
            for (std::int64_t r = 0; r < rows; ++r) {
                for (std::int64_t c = 0; c < cols; ++c) folded.values[c * rows + r] = original.values[r * cols + c];
            }
            folded.dims = {cols, rows};
        } else if (op == "Cast") {
            cast(node);
            if (folded.values.empty()) fail(node, "fcnet folds only casts between float types");
            if (int_attribute(node, "to", -1) == onnx::TensorProto::FLOAT16) {
                for (float& value : folded.values) value = half_to_float(float_to_half(value));
                folded.is_float16 = true;
            }  // a cast to float keeps float16 values exact: they stay float16 weights
        } else if (op != "Identity") {
            fail(node, "computes on constants only, and fcnet folds only Constant, Identity, Transpose and Cast");
        }
        constants_[node.output(0)] = std::move(folded);
    }

    Constant constant_attribute(const onnx::NodeProto& node) const {
        if (node.attribute_size() != 1) fail(node, "has " + std::to_string(node.attribute_size()) + " attributes, expected 1");
        const onnx::AttributeProto& attribute = node.attribute(0);
        Constant constant;
        if (attribute.name() == "value") return TensorReader(attribute.t(), source_ + ": node '" + node.name() + "' (Constant) value").read();
        if (attribute.name() == "value_float") {
            constant.values = {attribute.f()};
        } else if (attribute.name() == "value_floats") {
            constant.values.assign(attribute.floats().begin(), attribute.floats().end());
            constant.dims = {attribute.floats_size()};
        } else if (attribute.name() == "value_int") {
            constant.integers = {attribute.i()};
        } else if (attribute.name() == "value_ints") {
            constant.integers.assign(attribute.ints().begin(), attribute.ints().end());
            constant.dims = {attribute.ints_size()};
        } else {
            fail(node, "the attribute '" + attribute.name() + "' is not one fcnet reads (value, value_float(s), value_int(s))");
        }
        return constant;
    }

    const Constant& constant_input(const onnx::NodeProto& node, int index, const char* what) const {
        if (node.input_size() <= index || node.input(index).empty()) fail(node, std::string("has no input ") + what);
        const auto found = constants_.find(node.input(index));
        if (found == constants_.end()) {
            fail(node, std::string("its ") + what + " '" + node.input(index) + "' is not a constant (an initializer or Constant)");
        }
        return found->second;
    }

    float scalar_input(const onnx::NodeProto& node, int index, const char* what) const {
        const Constant& constant = constant_input(node, index, what);
        if (constant.values.size() != 1) {
            fail(node, std::string("the ") + what + " has " + std::to_string(element_count(constant)) +
                           " elements; fcnet reads one float for the whole input");
        }
        return constant.values[0];
    }

    void require_chain_at(const onnx::NodeProto& node, int index) const {
        if (node.input_size() <= index || node.input(index) != chain_) {
            fail(node, "'" + chain_ + "' is not its input " + std::to_string(index) + "; fcnet reads x * W, x - mean, x / stddev");
        }
    }

    std::int64_t int_attribute(const onnx::NodeProto& node, const char* name, std::int64_t otherwise) const {
        for (const onnx::AttributeProto& attribute : node.attribute()) {
            if (attribute.name() == name) return attribute.i();
        }
        return otherwise;
    }
    float float_attribute(const onnx::NodeProto& node, const char* name, float otherwise) const {
        for (const onnx::AttributeProto& attribute : node.attribute()) {
            if (attribute.name() == name) return attribute.f();
        }
        return otherwise;
    }
    bool is_graph_output(const std::string& name) const {
        for (const onnx::ValueInfoProto& output : proto_.graph().output()) {
            if (output.name() == name) return true;
        }
        return false;
    }

    // =========================================================================================
    // Metadata: fcnet's own keys, then every other entry as model metadata
    // =========================================================================================
    void read_metadata(Model& model) const {
        std::set<std::string> seen;
        for (const onnx::StringStringEntryProto& entry : proto_.metadata_props()) {
            if (!seen.insert(entry.key()).second) fail("metadata key '" + entry.key() + "' appears more than once");
            if (entry.key() == kOnnxKeyTemperature) continue;  // the graph's Div is what counts
            if (entry.key() == kOnnxKeyWeightStorage) {
                model.weight_storage = weight_storage_named(entry.value(), source_ + ": metadata " + kOnnxKeyWeightStorage);
            } else if (entry.key() == kOnnxKeyClassNames) {
                const nlohmann::json names = nlohmann::json::parse(entry.value(), nullptr, false);
                if (!names.is_array() || static_cast<int>(names.size()) != model.network.classes()) {
                    fail(std::string("metadata ") + kOnnxKeyClassNames + " is not a JSON array of " +
                         std::to_string(model.network.classes()) + " strings");
                }
                for (const nlohmann::json& name : names) {
                    if (!name.is_string()) fail(std::string("metadata ") + kOnnxKeyClassNames + " holds a non-string");
                    model.class_names.push_back(name.get<std::string>());
                }
            } else if (entry.key().rfind(kOnnxKeyPrefix, 0) != 0) {  // other fcnet.* keys: a later fcnet's, ignored
                model.metadata[entry.key()] = entry.value();
            }
        }
    }

    const onnx::ModelProto& proto_;
    std::string source_;
    std::int64_t opset_ = 0;
    std::map<std::string, Constant> constants_;
    std::map<std::string, int> uses_;  // tensor name -> how many node inputs read it
    std::string chain_;                // the tensor carrying the sample so far

    InputNormalization normalization_;
    bool seen_mean_ = false, seen_stddev_ = false;
    std::vector<DenseLayer> layers_;
    std::int64_t parameters_ = 0;
    bool layer_open_ = false;  // the last layer may still take a bias (Add) or an activation
    bool all_float16_ = true;  // every weight and bias tensor was float16 (a .fcnet stores all alike)
    float temperature_ = 1.0f;
    bool seen_temperature_ = false;
    bool finished_ = false;  // a Softmax or LogSoftmax ended the chain
    const char* finished_by_ = "";
};

}  // namespace

// =============================================================================================
// Entry points
// =============================================================================================

Model deserialize_onnx(const std::uint8_t* bytes, std::size_t size, const std::string& source) {
    if (size > kMaxOnnxFileBytes) {
        throw Error(source + ": " + std::to_string(size) + " bytes is larger than the " + std::to_string(kMaxOnnxFileBytes) +
                    "-byte limit for ONNX models");
    }
    onnx::ModelProto proto;
    if (!proto.ParseFromArray(bytes, static_cast<int>(size))) throw Error(source + ": not an ONNX model (the protobuf does not parse)");
    if (!proto.has_graph()) throw Error(source + ": not an ONNX model (no graph)");
    return Importer(proto, source).run();
}

Model load_onnx(const std::string& path) {
    const std::vector<std::uint8_t> bytes = read_binary_file(path, kMaxOnnxFileBytes);
    return deserialize_onnx(bytes.data(), bytes.size(), path);
}

}  // namespace fcnet
