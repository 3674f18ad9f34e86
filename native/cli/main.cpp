// sprites: sample sprite grids from trained weights with the XNNPACK inference core.
//   sprites sample --weights W --context 1,0,0.6,0,0 --sampler ddim --steps 25 --seed 42 --out grid.png
//   sprites info W
//   sprites quantize W W8   (the compact 8-bit format)
//   sprites index DIR       (DIR/index.json: the checkpoints the page may fetch from DIR)
//   sprites dataset FOLDER --out NAME   (your own sprites, FOLDER/<class>/*.png, as the trainer's .npy pair)
//   sprites noising --weights W --sprite S.png   (the forward process: the noise error over t, CSV)
#include "commands.h"
#include "common/cli_command.h"
#include "common/error_line.h"

#include <exception>

int main(int argc, char** argv) {
  CLI::App app{"Sprite diffusion: sample 16x16 sprites from trained ContextUnet weights."};
  sprites::require_one_command(app);
  auto run_sample = sprites::cli::add_sample_command(app);
  auto run_info = sprites::cli::add_info_command(app);
  auto run_quantize = sprites::cli::add_quantize_command(app);
  auto run_index = sprites::cli::add_index_command(app);
  auto run_dataset = sprites::cli::add_dataset_command(app);
  auto run_noising = sprites::cli::add_noising_command(app);
  CLI11_PARSE(app, argc, argv);
  try {
    if (app.got_subcommand("sample")) return run_sample();
    if (app.got_subcommand("quantize")) return run_quantize();
    if (app.got_subcommand("index")) return run_index();
    if (app.got_subcommand("dataset")) return run_dataset();
    if (app.got_subcommand("noising")) return run_noising();
    return run_info();
  } catch (const std::exception& e) {
    return sprites::report_error(e);
  }
}
