// `fcnet calibrate`: fits a model's temperature on validation data and saves the result.
#include <iostream>

#include "cli/calibration_step.h"
#include "cli/commands.h"
#include "cli/data_parts.h"
#include "cli/training_data.h"
#include "io/model_file.h"

namespace fcnet::cli {

namespace {

struct CalibrateOptions {
    std::string model_path, data_path, out_path;
    double validation = 0;  // 0: the split recorded in the model
    bool float16 = false, int8 = false;
    TrainingData data;      // the training command's "not a digit" and stroke options: its whole validation part
};

void run_calibrate(const CalibrateOptions& options) {
    Model model = load_model(options.model_path);
    const WeightStorage storage = options.float16 ? WeightStorage::float16
                                  : options.int8  ? WeightStorage::int8
                                                  : model.weight_storage;
    if (storage != model.weight_storage) {
        store_weights_as(model, storage);  // calibrate what will be saved
        std::cout << "weights rounded to " << weight_storage_name(storage) << '\n';
    }
    PartSizes sizes = part_sizes_from(model);
    if (options.validation > 0) sizes.validation = options.validation;
    if (!options.data.nondigit_class() && options.data.strokes.folder.empty()) {
        for (const char* key : {"nondigits", "nondigit_images", "strokes"}) {  // what train recorded of its data options
            if (!model.metadata.count(key)) continue;
            std::cout << "note: the model was trained with more than " << options.data_path << " (metadata '" << key
                      << "'); without train's data options the validation part holds only its samples\n";
            break;
        }
    }
    DataParts parts = load_parts(options.data_path, sizes);
    const std::string strokes = add_training_data(parts, options.data);
    if (!strokes.empty()) std::cout << strokes << '\n';
    std::cout << calibrate_model(model, parts.validation, parts.test);
    if (model.pen_path) {  // mixed with z / T, its threshold was set under the old T
        std::cout << "note: the model's pen-path network was mixed in at the old temperature; run fcnet pen-path "
                     "again to refit it and its threshold\n";
    }
    if (parts.test.size() > 0) record_test_scores(model, parts.test);
    const std::string out = options.out_path.empty() ? options.model_path : options.out_path;
    save_model(out, model);
    std::cout << "saved " << out << '\n';
}

}  // namespace

void add_calibrate_command(CLI::App& app) {
    auto* command = app.add_subcommand(
        "calibrate", "Fit the temperature (Guo et al. 2017) on validation data; print NLL and ECE before and after");
    auto options = std::make_shared<CalibrateOptions>();
    command->add_option("--model,-m", options->model_path, "Model file (.fcnet)")->required();
    command->add_option("--data,-d", options->data_path, "IDX directory or CSV file")->required();
    command->add_option("--out,-o", options->out_path, "Where to save the calibrated model (default: over --model)");
    command->add_option("--val", options->validation,
                        "Validation samples (count, or fraction in (0,1)); default: the split the model was trained with");
    auto* float16 = command->add_flag("--float16", options->float16,
                                      "Store the weights as float16 (rounded before the temperature is fitted)");
    command->add_flag("--int8", options->int8, "Store the weights as int8 (rounded before the temperature is fitted)")
        ->excludes(float16);
    add_training_data_options(command, options->data);  // as given to train: the same validation samples
    command->callback([options] { run_calibrate(*options); });
}

}  // namespace fcnet::cli
