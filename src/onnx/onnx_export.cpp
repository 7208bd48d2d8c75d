// Writing a Model as an ONNX graph: Sub/Div normalisation, Gemm + activation per layer, Div by the temperature, Softmax.
#include <cstdio>

#include <nlohmann/json.hpp>
#include <onnx/onnx_pb.h>

#include "core/error.h"
#include "io/file_system.h"
#include "io/model_file.h"
#include "onnx/onnx_metadata.h"
#include "onnx/onnx_model.h"

namespace fcnet {

namespace {

// A float32 initializer with the given dims, its values as raw_data (little-endian: the hosts fcnet builds for are).
void add_initializer(onnx::GraphProto& graph, const std::string& name, std::vector<std::int64_t> dims,
                     const float* values, std::size_t count) {
    onnx::TensorProto& tensor = *graph.add_initializer();
    tensor.set_name(name);
    tensor.set_data_type(onnx::TensorProto::FLOAT);
    for (const std::int64_t dim : dims) tensor.add_dims(dim);
    tensor.set_raw_data(reinterpret_cast<const char*>(values), count * sizeof(float));
}

onnx::NodeProto& add_node(onnx::GraphProto& graph, const std::string& op, std::vector<std::string> inputs,
                          const std::string& output) {
    onnx::NodeProto& node = *graph.add_node();
    node.set_op_type(op);
    node.set_name(output);
    for (const std::string& input : inputs) node.add_input(input);
    node.add_output(output);
    return node;
}

// A float tensor value (batch x size) for the graph's input or output.
void describe_value(onnx::ValueInfoProto& value, const std::string& name, std::int64_t size) {
    value.set_name(name);
    onnx::TypeProto_Tensor& tensor = *value.mutable_type()->mutable_tensor_type();
    tensor.set_elem_type(onnx::TensorProto::FLOAT);
    tensor.mutable_shape()->add_dim()->set_dim_param("batch");
    tensor.mutable_shape()->add_dim()->set_dim_value(size);
}

std::string format_float(float value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.9g", static_cast<double>(value));  // 9 digits: the float round-trips
    return text;
}

}  // namespace

std::vector<std::uint8_t> serialize_onnx(const Model& model) {
    const Network& network = model.network;
    if (network.layers().empty()) throw Error("cannot export a model without layers to ONNX");
    if (!network.all_finite()) throw Error("cannot export to ONNX: the network has non-finite weights");

    onnx::ModelProto proto;
    proto.set_ir_version(7);  // the IR version of opset 13
    proto.set_producer_name("fcnet");
    proto.add_opset_import()->set_version(kOnnxExportOpset);
    onnx::GraphProto& graph = *proto.mutable_graph();
    graph.set_name("fcnet");
    describe_value(*graph.add_input(), "input", network.inputs());

    // features = (input - mean) / stddev: scalars broadcast over batch x inputs
    add_initializer(graph, "normalization_mean", {}, &network.normalization.mean, 1);
    add_initializer(graph, "normalization_stddev", {}, &network.normalization.stddev, 1);
    add_node(graph, "Sub", {"input", "normalization_mean"}, "centred");
    std::string current = add_node(graph, "Div", {"centred", "normalization_stddev"}, "features").output(0);

    for (std::size_t i = 0; i < network.layers().size(); ++i) {
        const DenseLayer& layer = network.layers()[i];
        const std::string prefix = "layer" + std::to_string(i);
        add_initializer(graph, prefix + "_weights", {layer.inputs(), layer.outputs()}, layer.weights.data(),  // row-major, like ONNX
                        static_cast<std::size_t>(layer.weights.size()));
        add_initializer(graph, prefix + "_bias", {layer.outputs()}, layer.bias.data(),
                        static_cast<std::size_t>(layer.bias.size()));
        // z = features (batch x in) * W (in x out) + b (out): Gemm with transB = 0
        current = add_node(graph, "Gemm", {current, prefix + "_weights", prefix + "_bias"}, prefix + "_z").output(0);
        const std::string activated = prefix + "_a";
        switch (layer.activation) {
            case Activation::identity: break;
            case Activation::relu: current = add_node(graph, "Relu", {current}, activated).output(0); break;
            case Activation::sigmoid: current = add_node(graph, "Sigmoid", {current}, activated).output(0); break;
            case Activation::tanh: current = add_node(graph, "Tanh", {current}, activated).output(0); break;
            case Activation::leaky_relu: {
                onnx::NodeProto& node = add_node(graph, "LeakyRelu", {current}, activated);
                onnx::AttributeProto& alpha = *node.add_attribute();
                alpha.set_name("alpha");
                alpha.set_type(onnx::AttributeProto::FLOAT);
                alpha.set_f(kLeakyReluSlope);
                current = activated;
                break;
            }
        }
    }

    // probabilities = softmax(logits / T) over the classes (opset 13's Softmax: axis -1)
    add_initializer(graph, "temperature", {}, &network.temperature, 1);
    add_node(graph, "Div", {current, "temperature"}, "scaled_logits");
    add_node(graph, "Softmax", {"scaled_logits"}, "probabilities");
    describe_value(*graph.add_output(), "probabilities", network.classes());

    auto add_metadata = [&proto](const std::string& key, const std::string& value) {
        onnx::StringStringEntryProto& entry = *proto.add_metadata_props();
        entry.set_key(key);
        entry.set_value(value);
    };
    add_metadata(kOnnxKeyTemperature, format_float(network.temperature));
    add_metadata(kOnnxKeyWeightStorage, weight_storage_name(model.weight_storage));
    if (!model.class_names.empty()) add_metadata(kOnnxKeyClassNames, nlohmann::json(model.class_names).dump());
    for (const auto& [key, value] : model.metadata) {
        if (key.rfind(kOnnxKeyPrefix, 0) == 0) {
            throw Error("cannot export to ONNX: metadata key '" + key + "' uses the prefix '" +
                        std::string(kOnnxKeyPrefix) + "' reserved for fcnet's own entries");
        }
        add_metadata(key, value);
    }

    std::string bytes;
    if (!proto.SerializeToString(&bytes)) throw Error("cannot export to ONNX: the model is too large for protobuf (2 GiB)");
    return std::vector<std::uint8_t>(bytes.begin(), bytes.end());
}

void save_onnx(const std::string& path, const Model& model) {
    const std::vector<std::uint8_t> bytes = serialize_onnx(model);
    write_file_atomically(path, bytes.data(), bytes.size());
}

}  // namespace fcnet
