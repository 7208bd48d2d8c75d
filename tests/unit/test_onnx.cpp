// Tests for ONNX export and import (src/onnx): round trips, ONNX's checker, exporter forms, refusals, limits, the CLI.
#include <catch2/catch.hpp>

#include <filesystem>
#include <random>

#include <onnx/checker.h>
#include <onnx/onnx_pb.h>

#include "core/error.h"
#include "io/model_file.h"
#include "onnx/onnx_model.h"
#include "support/test_support.h"

using Catch::Matchers::Contains;
using fcnet::Activation;
using fcnet::Model;

namespace {

// 6 -> 5 -> 4 -> 4 -> 3, one layer per activation, non-zero biases, every optional field set.
Model make_model() {
    Model model;
    model.network = fcnet::Network({6, 5, 4, 4, 3}, Activation::relu, 11);
    std::vector<fcnet::DenseLayer>& layers = model.network.layers();
    layers[0].activation = Activation::leaky_relu;
    layers[1].activation = Activation::sigmoid;
    layers[2].activation = Activation::tanh;
    std::mt19937 rng(3);
    std::normal_distribution<float> normal(0.0f, 0.5f);
    for (fcnet::DenseLayer& layer : layers) {
        for (Eigen::Index i = 0; i < layer.bias.size(); ++i) layer.bias[i] = normal(rng);
    }
    model.network.temperature = 1.3958206f;
    model.network.normalization = {0.1497734f, 0.3235781f};
    model.class_names = {"cat", "dog", "not a digit"};
    model.metadata = {{"reject_confidence", "0.636651"}, {"dataset", "synthetic"}, {"empty", ""}};
    return model;
}

onnx::ModelProto parse(const std::vector<std::uint8_t>& bytes) {
    onnx::ModelProto proto;
    REQUIRE(proto.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())));
    return proto;
}

std::vector<std::uint8_t> bytes_of(const onnx::ModelProto& proto) {
    std::string text;
    REQUIRE(proto.SerializeToString(&text));
    return std::vector<std::uint8_t>(text.begin(), text.end());
}

Model import(const onnx::ModelProto& proto) {
    const std::vector<std::uint8_t> bytes = bytes_of(proto);
    return fcnet::deserialize_onnx(bytes.data(), bytes.size(), "graph.onnx");
}

std::string import_error(const onnx::ModelProto& proto) {
    return error_message([&] { import(proto); });
}

// A graph with input "x" (batch x inputs) and output `output`, opset 13: the caller adds nodes.
onnx::ModelProto empty_graph(int inputs, const std::string& output) {
    onnx::ModelProto proto;
    proto.set_ir_version(7);
    proto.add_opset_import()->set_version(13);
    onnx::ValueInfoProto& input = *proto.mutable_graph()->add_input();
    input.set_name("x");
    input.mutable_type()->mutable_tensor_type()->set_elem_type(onnx::TensorProto::FLOAT);
    input.mutable_type()->mutable_tensor_type()->mutable_shape()->add_dim()->set_dim_param("batch");
    input.mutable_type()->mutable_tensor_type()->mutable_shape()->add_dim()->set_dim_value(inputs);
    proto.mutable_graph()->add_output()->set_name(output);
    return proto;
}

onnx::TensorProto& add_float_initializer(onnx::ModelProto& proto, const std::string& name, std::vector<std::int64_t> dims,
                                         std::vector<float> values) {
    onnx::TensorProto& tensor = *proto.mutable_graph()->add_initializer();
    tensor.set_name(name);
    tensor.set_data_type(onnx::TensorProto::FLOAT);
    for (const std::int64_t dim : dims) tensor.add_dims(dim);
    for (const float value : values) tensor.add_float_data(value);
    return tensor;
}

onnx::NodeProto& add_node(onnx::ModelProto& proto, const std::string& op, std::vector<std::string> inputs, const std::string& output) {
    onnx::NodeProto& node = *proto.mutable_graph()->add_node();
    node.set_op_type(op);
    node.set_name(op + "_" + output);
    for (const std::string& input : inputs) node.add_input(input);
    node.add_output(output);
    return node;
}

void set_int(onnx::NodeProto& node, const std::string& name, std::int64_t value) {
    onnx::AttributeProto& attribute = *node.add_attribute();
    attribute.set_name(name);
    attribute.set_type(onnx::AttributeProto::INT);
    attribute.set_i(value);
}

void set_float(onnx::NodeProto& node, const std::string& name, float value) {
    onnx::AttributeProto& attribute = *node.add_attribute();
    attribute.set_name(name);
    attribute.set_type(onnx::AttributeProto::FLOAT);
    attribute.set_f(value);
}

// x (batch x 2) -> Gemm(transB = 1: B is 3 x 2, alpha 2, beta 0.5) -> Relu -> Softmax, as torch writes Linear.
onnx::ModelProto torch_style_gemm() {
    onnx::ModelProto proto = empty_graph(2, "p");
    add_float_initializer(proto, "B", {3, 2}, {1, 2, 3, 4, 5, 6});
    add_float_initializer(proto, "C", {3}, {0.5f, -1, 2});
    onnx::NodeProto& gemm = add_node(proto, "Gemm", {"x", "B", "C"}, "z");
    set_int(gemm, "transB", 1);
    set_float(gemm, "alpha", 2.0f);
    set_float(gemm, "beta", 0.5f);
    add_node(proto, "Relu", {"z"}, "a");
    add_node(proto, "Softmax", {"a"}, "p");
    return proto;
}

}  // namespace

TEST_CASE("a model exported to ONNX and imported again is the same model, byte for byte as .fcnet", "[onnx]") {
    Model model = make_model();
    for (const fcnet::WeightStorage storage :
         {fcnet::WeightStorage::float32, fcnet::WeightStorage::float16, fcnet::WeightStorage::int8}) {
        fcnet::store_weights_as(model, storage);
        const std::vector<std::uint8_t> onnx_bytes = fcnet::serialize_onnx(model);
        const Model back = fcnet::deserialize_onnx(onnx_bytes.data(), onnx_bytes.size(), "model.onnx");
        CHECK(fcnet::serialize_model(back) == fcnet::serialize_model(model));
        CHECK(back.network.temperature == model.network.temperature);
        CHECK(back.class_names == model.class_names);
        CHECK(back.metadata == model.metadata);
        CHECK(back.weight_storage == storage);
    }
}

TEST_CASE("the exported model passes ONNX's own checker and has the documented graph", "[onnx]") {
    const onnx::ModelProto proto = parse(fcnet::serialize_onnx(make_model()));
    CHECK_NOTHROW(onnx::checker::check_model(proto));
    std::string ops;
    for (const onnx::NodeProto& node : proto.graph().node()) ops += node.op_type() + " ";
    CHECK(ops == "Sub Div Gemm LeakyRelu Gemm Sigmoid Gemm Tanh Gemm Div Softmax ");
    CHECK(proto.opset_import(0).version() >= 13);
    std::map<std::string, std::string> metadata;
    for (const auto& entry : proto.metadata_props()) metadata[entry.key()] = entry.value();
    CHECK(metadata["fcnet.temperature"] == "1.39582062");
    CHECK(metadata["fcnet.class_names"] == R"(["cat","dog","not a digit"])");
    CHECK(metadata["reject_confidence"] == "0.636651");
}

TEST_CASE("the shipped 11-class model exports and imports unchanged but for its pen-path network", "[onnx]") {
    const std::string path = std::string(FCNET_SOURCE_DIR) + "/models/mnist.fcnet";
    Model model = fcnet::load_model(path);
    const std::string onnx_path = make_temp_dir() + "/mnist.onnx";
    fcnet::save_onnx(onnx_path, model);
    const Model imported = fcnet::load_onnx(onnx_path);
    CHECK_FALSE(imported.pen_path.has_value());  // ONNX holds the network that reads images (docs/onnx.md)
    model.pen_path.reset();
    CHECK(fcnet::serialize_model(imported) == fcnet::serialize_model(model));
}

TEST_CASE("a torch-style Gemm (transB, alpha, beta) imports as weights alpha * B^T and bias beta * C", "[onnx]") {
    const Model model = import(torch_style_gemm());
    const fcnet::DenseLayer& layer = model.network.layers().at(0);
    fcnet::Matrix expected_weights(2, 3);  // inputs x outputs = 2 * B^T
    expected_weights << 2, 6, 10, 4, 8, 12;
    CHECK(layer.weights == expected_weights);
    CHECK(layer.bias == (fcnet::RowVector(3) << 0.25f, -0.5f, 1.0f).finished());
    CHECK(layer.activation == Activation::relu);
    CHECK(model.network.temperature == 1.0f);
    CHECK(model.class_names.empty());
}

TEST_CASE("MatMul + Add with a transposed, float16 initializer behind Cast, Flatten, Dropout and LogSoftmax imports", "[onnx]") {
    onnx::ModelProto proto = empty_graph(2, "p");
    onnx::TensorProto& half = *proto.mutable_graph()->add_initializer();  // 3 x 2 = W^T, float16 in int32_data
    half.set_name("Wt_half");
    half.set_data_type(onnx::TensorProto::FLOAT16);
    half.add_dims(3);
    half.add_dims(2);
    for (const float value : {1.0f, 2.0f, 3.0f, 4.0f, 0.5f, -1.5f}) half.add_int32_data(fcnet::float_to_half(value));
    onnx::TensorProto& bias = add_float_initializer(proto, "b", {1, 3}, {});
    bias.set_raw_data(std::string("\x00\x00\x80\x3f\x00\x00\x00\x40\x00\x00\x40\x40", 12));  // 1, 2, 3 little-endian
    add_node(proto, "Flatten", {"x"}, "flat");
    set_int(add_node(proto, "Cast", {"Wt_half"}, "Wt"), "to", onnx::TensorProto::FLOAT);
    add_node(proto, "Transpose", {"Wt"}, "W");
    add_node(proto, "MatMul", {"flat", "W"}, "m");
    add_node(proto, "Add", {"b", "m"}, "z");
    add_node(proto, "Dropout", {"z"}, "d");
    add_node(proto, "LogSoftmax", {"d"}, "p");
    const Model model = import(proto);
    fcnet::Matrix expected(2, 3);
    expected << 1, 3, 0.5f, 2, 4, -1.5f;
    CHECK(model.network.layers().at(0).weights == expected);
    CHECK(model.network.layers().at(0).bias == (fcnet::RowVector(3) << 1, 2, 3).finished());
    CHECK(model.weight_storage == fcnet::WeightStorage::float32);  // the bias is float32: float16 storage would round it

    set_int(add_node(proto, "Cast", {"b"}, "b_half"), "to", onnx::TensorProto::FLOAT16);
    proto.mutable_graph()->mutable_node(4)->set_input(0, "b_half");  // Add(b_half, m)
    auto& nodes = *proto.mutable_graph()->mutable_node();
    for (int i = nodes.size() - 1; i > 0; --i) nodes.SwapElements(i, i - 1);  // the new Cast first, before its use
    CHECK(import(proto).weight_storage == fcnet::WeightStorage::float16);  // every weight and bias is float16
}

TEST_CASE("an operator fcnet cannot compute is refused, naming the file, the node and its op", "[onnx]") {
    onnx::ModelProto proto = torch_style_gemm();
    proto.mutable_graph()->mutable_node(1)->set_op_type("Elu");
    CHECK_THAT(import_error(proto), Contains("graph.onnx: node 'Relu_a' (Elu): fcnet cannot import this operator"));
}

TEST_CASE("graphs that are not one chain of dense layers are refused, never guessed at", "[onnx]") {
    SECTION("a LeakyRelu with another slope") {
        onnx::ModelProto proto = torch_style_gemm();
        proto.mutable_graph()->mutable_node(1)->set_op_type("LeakyRelu");
        set_float(*proto.mutable_graph()->mutable_node(1), "alpha", 0.2f);
        CHECK_THAT(import_error(proto), Contains("(LeakyRelu): alpha is 0.2") && Contains("slope 0.01"));
    }
    SECTION("a branch: the layer's output feeds two nodes") {
        onnx::ModelProto proto = torch_style_gemm();
        add_node(proto, "Relu", {"z"}, "other");
        CHECK_THAT(import_error(proto), Contains("'z' feeds 2 nodes"));
    }
    SECTION("weights computed from the input") {
        onnx::ModelProto proto = empty_graph(2, "z");
        add_node(proto, "MatMul", {"x", "x"}, "z");
        CHECK_THAT(import_error(proto), Contains("(MatMul): reads 'x' twice"));
    }
    SECTION("two graph inputs") {
        onnx::ModelProto proto = torch_style_gemm();
        *proto.mutable_graph()->add_input() = proto.graph().input(0);
        proto.mutable_graph()->mutable_input(1)->set_name("y");
        CHECK_THAT(import_error(proto), Contains("the graph has 2 inputs ('x', 'y')"));
    }
    SECTION("a Dropout in training mode") {
        onnx::ModelProto proto = torch_style_gemm();
        onnx::TensorProto& training = *proto.mutable_graph()->add_initializer();
        training.set_name("training");
        training.set_data_type(onnx::TensorProto::BOOL);
        training.add_int32_data(1);
        proto.mutable_graph()->mutable_node(1)->set_op_type("Dropout");
        proto.mutable_graph()->mutable_node(1)->add_input("");
        proto.mutable_graph()->mutable_node(1)->add_input("training");
        CHECK_THAT(import_error(proto), Contains("training_mode is not the constant false"));
    }
    SECTION("an output the chain does not reach") {
        onnx::ModelProto proto = torch_style_gemm();
        proto.mutable_graph()->mutable_output(0)->set_name("a");
        CHECK_THAT(import_error(proto), Contains("the graph output 'a' is not the end of the chain of nodes from the input 'x'"));
    }
    SECTION("a constant-only node without its first input (found by fuzz_onnx_import)") {
        onnx::ModelProto proto = torch_style_gemm();
        add_node(proto, "Transpose", {"", "B"}, "t");
        CHECK_THAT(import_error(proto), Contains("node 'Transpose_t' (Transpose): computes on constants with an unexpected arity"));
    }
    SECTION("an opset outside the range") {
        onnx::ModelProto proto = torch_style_gemm();
        proto.mutable_opset_import(0)->set_version(99);
        CHECK_THAT(import_error(proto), Contains("opset 99 is outside the range"));
    }
}

TEST_CASE("corrupt tensors and oversized ONNX files are refused with the file and the problem", "[onnx]") {
    SECTION("raw_data of the wrong length") {
        onnx::ModelProto proto = torch_style_gemm();
        onnx::TensorProto& b = *proto.mutable_graph()->mutable_initializer(0);
        b.clear_float_data();
        b.set_raw_data(std::string(20, '\0'));
        CHECK_THAT(import_error(proto), Contains("graph.onnx: initializer 'B' has 20 bytes of raw_data for 6 elements of 4 bytes"));
    }
    SECTION("a tensor larger than the parameter limit") {
        onnx::ModelProto proto = torch_style_gemm();
        proto.mutable_graph()->mutable_initializer(0)->set_dims(0, 1'000'000'000);
        CHECK_THAT(import_error(proto), Contains("initializer 'B' has more than 100000000 elements (the size limit)"));
    }
    SECTION("weights in an external file") {
        onnx::ModelProto proto = torch_style_gemm();
        proto.mutable_graph()->mutable_initializer(0)->set_data_location(onnx::TensorProto::EXTERNAL);
        CHECK_THAT(import_error(proto), Contains("initializer 'B' keeps its data in an external file"));
    }
    SECTION("a metadata key written twice (class names twice would name each output twice)") {
        onnx::ModelProto proto = torch_style_gemm();
        for (int copy = 0; copy < 2; ++copy) {
            onnx::StringStringEntryProto& entry = *proto.add_metadata_props();
            entry.set_key("fcnet.class_names");
            entry.set_value(R"(["a","b","c"])");
        }
        CHECK_THAT(import_error(proto), Contains("graph.onnx: metadata key 'fcnet.class_names' appears more than once"));
    }
    SECTION("bytes that are not a protobuf") {
        const std::string garbage = "\xff\xff\xff\xff not onnx";
        CHECK_THAT(error_message([&] {
                       fcnet::deserialize_onnx(reinterpret_cast<const std::uint8_t*>(garbage.data()), garbage.size(), "junk.onnx");
                   }),
                   Contains("junk.onnx: not an ONNX model"));
    }
    SECTION("every truncation of an exported model is refused, or (cut in metadata_props) keeps the network") {
        // ONNX has no checksum: a cut between two metadata entries is a valid, shorter model.
        const Model model = make_model();
        const std::vector<std::uint8_t> bytes = fcnet::serialize_onnx(model);
        int refused = 0;
        for (std::size_t size = 0; size < bytes.size(); size += 7) {
            try {
                const Model cut = fcnet::deserialize_onnx(bytes.data(), size, "cut.onnx");
                CHECK(cut.network.layers().size() == model.network.layers().size());
                CHECK(cut.network.layers().back().weights == model.network.layers().back().weights);
                CHECK(cut.metadata.size() < model.metadata.size());
            } catch (const fcnet::Error& error) {
                CHECK_THAT(error.what(), Contains("cut.onnx: "));
                ++refused;
            }
        }
        CHECK(refused > static_cast<int>(bytes.size() / 7) * 9 / 10);
    }
    SECTION("a file over the size limit is refused before it is read") {
        const std::string path = make_temp_dir() + "/huge.onnx";
        write_file(path, "");
        std::filesystem::resize_file(path, fcnet::kMaxOnnxFileBytes + 1);  // sparse: no disk used
        CHECK_THAT(error_message([&] { fcnet::load_onnx(path); }), Contains("huge.onnx: file is " + std::to_string(fcnet::kMaxOnnxFileBytes + 1) + " bytes, more than"));
    }
}

TEST_CASE("fcnet convert goes .fcnet -> .onnx -> .fcnet and refuses unknown extensions", "[onnx][cli]") {
    const std::string dir = make_temp_dir();
    const std::string model_path = dir + "/model.fcnet";
    fcnet::save_model(model_path, make_model());
    const std::string cli = FCNET_CLI_PATH;
    const CommandResult to_onnx = run_command(cli + " convert " + model_path + " " + dir + "/model.onnx");
    CHECK(to_onnx.exit_code == 0);
    const CommandResult back = run_command(cli + " convert " + dir + "/model.onnx " + dir + "/back.fcnet");
    CHECK(back.exit_code == 0);
    CHECK(read_file(dir + "/back.fcnet") == read_file(model_path));
    const CommandResult unknown = run_command(cli + " convert " + model_path + " " + dir + "/model.pt");
    CHECK(unknown.exit_code != 0);
    CHECK_THAT(unknown.output, Contains("model.pt: unknown model format; use a .fcnet or .onnx file name"));
}

TEST_CASE("unknown fcnet.* metadata is ignored, so what imports exports again (found by fuzz_onnx_import)", "[onnx]") {
    onnx::ModelProto proto = torch_style_gemm();
    onnx::StringStringEntryProto& entry = *proto.add_metadata_props();
    entry.set_key("fcnet.from_a_later_version");
    entry.set_value("x");
    const Model model = import(proto);
    CHECK(model.metadata.empty());
    const std::vector<std::uint8_t> again = fcnet::serialize_onnx(model);
    CHECK(fcnet::serialize_model(fcnet::deserialize_onnx(again.data(), again.size(), "again.onnx")) == fcnet::serialize_model(model));
}
