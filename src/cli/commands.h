// The `fcnet` subcommands: each adds itself to the CLI11 app and runs from its callback.
#pragma once

#include <CLI/CLI.hpp>

namespace fcnet::cli {

void add_train_command(CLI::App& app);
void add_evaluate_command(CLI::App& app);
void add_calibrate_command(CLI::App& app);
void add_info_command(CLI::App& app);
void add_predict_command(CLI::App& app);
void add_convert_command(CLI::App& app);
void add_finetune_command(CLI::App& app);
void add_rehearsal_command(CLI::App& app);
void add_ensemble_command(CLI::App& app);
void add_pen_path_command(CLI::App& app);

}  // namespace fcnet::cli
