// `fcnet convert IN OUT`: copies a model between the .fcnet and .onnx formats, each chosen by its file extension.
#include <iostream>

#include "cli/commands.h"
#include "core/error.h"
#include "io/model_file.h"
#include "onnx/onnx_model.h"

namespace fcnet::cli {

namespace {

enum class ModelFormat { fcnet, onnx };

ModelFormat format_of(const std::string& path) {
    const auto ends_with = [&path](const std::string& suffix) {
        return path.size() >= suffix.size() && path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    if (ends_with(".fcnet")) return ModelFormat::fcnet;
    if (ends_with(".onnx")) return ModelFormat::onnx;
    throw Error(path + ": unknown model format; use a .fcnet or .onnx file name");
}

// `weights` is empty (keep the input's storage) or a weight storage name.
void run_convert(const std::string& in_path, const std::string& out_path, const std::string& weights) {
    const ModelFormat out_format = format_of(out_path);
    Model model = format_of(in_path) == ModelFormat::onnx ? load_onnx(in_path) : load_model(in_path);
    if (!weights.empty()) {  // rounded here, so a .onnx output holds the values a .fcnet would
        store_weights_as(model, weight_storage_named(weights, "--weights"));
    }
    if (out_format == ModelFormat::onnx) {
        save_onnx(out_path, model);
    } else {
        save_model(out_path, model);
    }
    // ONNX holds float32 tensors: there the storage says which rounded values they hold.
    const std::string storage = weight_storage_name(model.weight_storage);
    const std::string weights_note = out_format == ModelFormat::onnx && storage != "float32"
                                         ? "float32 weights, the values of the " + storage + " ones"
                                         : storage + " weights";
    std::cout << "converted " << in_path << " to " << out_path << " (" << model.network.layers().size() << " layers, "
              << model.network.parameter_count() << " parameters, " << weights_note << ")\n";
    if (out_format == ModelFormat::onnx && model.pen_path) {
        std::cout << "note: the ONNX file holds the network that reads images; the model's pen-path network (for "
                     "drawings given as strokes, docs/strokes.md) stays in the .fcnet file only\n";
    }
}

}  // namespace

void add_convert_command(CLI::App& app) {
    auto* command = app.add_subcommand("convert", "Convert a model between .fcnet and .onnx (formats chosen by extension)");
    auto in_path = std::make_shared<std::string>();
    auto out_path = std::make_shared<std::string>();
    command->add_option("in", *in_path, "Model to read (.fcnet or .onnx)")->required();
    command->add_option("out", *out_path, "Model to write (.fcnet or .onnx)")->required();
    auto weights = std::make_shared<std::string>();
    command->add_option("--weights", *weights, "Store the weights as float32, float16 or int8 (default: as the input does)")
        ->check(CLI::IsMember({"float32", "float16", "int8"}));
    command->callback([in_path, out_path, weights] { run_convert(*in_path, *out_path, *weights); });
}

}  // namespace fcnet::cli
