// Entry point of the `fcnet` command: parses the subcommand and reports errors in one line.
#include <cstdio>
#include <exception>

#include <CLI/CLI.hpp>

#include "cli/commands.h"

int main(int argc, char** argv) {
    CLI::App app{"fcnet: train, evaluate, calibrate, convert and fine-tune fully-connected neural networks"};
    app.require_subcommand(1);
    fcnet::cli::add_train_command(app);
    fcnet::cli::add_evaluate_command(app);
    fcnet::cli::add_calibrate_command(app);
    fcnet::cli::add_info_command(app);
    fcnet::cli::add_predict_command(app);
    fcnet::cli::add_convert_command(app);
    fcnet::cli::add_finetune_command(app);
    fcnet::cli::add_rehearsal_command(app);
    fcnet::cli::add_ensemble_command(app);
    fcnet::cli::add_pen_path_command(app);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    } catch (const std::exception& e) {
        std::fflush(stdout);
        std::fprintf(stderr, "fcnet: error: %s\n", e.what());
        return 1;
    }
    return 0;
}
