// The `sprites` CLI's subcommands; each registers its options on the app and runs when chosen.
#pragma once
#include <CLI/CLI.hpp>

#include <functional>

namespace sprites::cli {

// Returns the function that runs the subcommand (exit status) once the arguments are parsed.
std::function<int()> add_sample_command(CLI::App& app);
std::function<int()> add_info_command(CLI::App& app);
std::function<int()> add_quantize_command(CLI::App& app);
std::function<int()> add_index_command(CLI::App& app);
std::function<int()> add_dataset_command(CLI::App& app);
std::function<int()> add_noising_command(CLI::App& app);

}  // namespace sprites::cli
