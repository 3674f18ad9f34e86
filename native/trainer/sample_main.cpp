// sprites-torch-sample: samples a weights file with the LibTorch reference samplers (no XNNPACK),
// one row per class or one given context.
#include "common/cli_number.h"
#include "common/error_line.h"
#include "export_weights.h"
#include "parse_number.h"
#include "reference_sampler.h"
#include "torch_threads.h"

#include <CLI/CLI.hpp>

#include <cstdio>

int main(int argc, char** argv) {
  std::string weights, out, context;
  sprites::ReferenceSampling opt;
  int per_row = 8, threads = 0;
  CLI::App app{"Sample sprites from a weights file with the LibTorch reference samplers."};
  app.add_option("--weights", weights, "weights: an export (.safetensors) or the course's own .pth")->required()->check(CLI::ExistingFile);
  app.add_option("--out", out, "PNG grid to write")->required();
  app.add_option("--sampler", opt.sampler, "the course's samplers")->capture_default_str()->check(CLI::IsMember(sprites::reference_sampler_ids()));
  app.add_option("--steps", opt.steps, "DDIM steps")->capture_default_str()->check(CLI::Range(1, 500));
  app.add_option("--seed", opt.seed, "noise seed")->capture_default_str()->check(sprites::seed_number());
  app.add_option("--per-row", per_row, "sprites per row")->capture_default_str()->check(CLI::Range(1, 64));
  app.add_option("--context", context, "comma-separated context (default: one row per class, then unconditional)");
  sprites::add_threads_option(&app, threads, 1024);
  CLI11_PARSE(app, argc, argv);
  try {
    sprites::set_torch_threads(threads);
    sprites::UnetConfig cfg;
    auto model = sprites::load_folded_model(weights, &cfg);
    torch::Tensor c;
    if (context.empty()) {
      c = torch::cat({torch::eye(cfg.n_cfeat), torch::zeros({1, cfg.n_cfeat})}).repeat_interleave(per_row, 0);
    } else {
      c = torch::tensor(sprites::parse_context_flag(context, static_cast<int>(cfg.n_cfeat))).view({1, -1}).repeat({per_row, 1});
    }
    auto x = sprites::sample_reference(model, c, opt);
    sprites::write_grid_png(x, per_row, 4, out);
    std::fprintf(stderr, "wrote %s (%lld sprites)\n", out.c_str(), static_cast<long long>(x.size(0)));
  } catch (const std::exception& e) {
    return sprites::report_error(e);
  }
}
