// `fcnet info`: a model's architecture, parameter count, temperature and metadata.
#include <iostream>

#include "cli/commands.h"
#include "cli/report.h"
#include "io/model_file.h"

namespace fcnet::cli {

void add_info_command(CLI::App& app) {
    auto* command = app.add_subcommand("info", "Show a model's architecture, parameters, temperature and metadata");
    auto model_path = std::make_shared<std::string>();
    command->add_option("--model,-m", *model_path, "Model file (.fcnet)")->required();
    command->callback([model_path] { std::cout << model_summary(load_model(*model_path)); });
}

}  // namespace fcnet::cli
