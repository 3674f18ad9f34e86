// sprites-import: converts a course checkpoint (torch.save(model.state_dict(), "model_31.pth"))
// into the safetensors weights the inference core and the page run.
#include "common/atomic_file.h"
#include "common/cli_choice.h"
#include "common/error_line.h"
#include "course_pth.h"
#include "export_weights.h"

#include <CLI/CLI.hpp>

#include <cstdio>

int main(int argc, char** argv) {
  std::string pth, out, labels = "hero,non-human,food,spell,side-facing", epoch = "unknown";
  auto dtype = sprites::WeightsDtype::f16;
  CLI::App app{"Convert a course-format PyTorch state_dict (.pth) to safetensors weights."};
  app.add_option("--pth", pth, "the course's .pth (a torch.save'd state_dict)")->required();
  app.add_option("--out", out, "safetensors file to write")->required();
  app.add_option("--label-names", labels, "comma-separated class names")->capture_default_str();
  app.add_option("--epoch", epoch, "epoch the checkpoint was saved at, for the metadata");
  sprites::add_choice(app, "--dtype", dtype, sprites::weights_dtype_names(), "f16, f32 or int8 (per-channel 8-bit)");
  CLI11_PARSE(app, argc, argv);
  try {
    sprites::require_not_input(out, pth);
    auto model = sprites::model_from_course_state_dict(sprites::read_torch_state_dict(pth), pth);
    sprites::label_names_flag(labels, model->cfg.n_cfeat);
    sprites::export_safetensors(model, out, dtype,
                                {{"labels", labels}, {"epoch", epoch}, {"source", "course .pth: " + pth},
                                 {"dataset_sha256", "unknown"}, {"final_loss", "unknown"},
                                 {"shortcut", "zero (the course's shortcut conv was random per call)"}});
    std::fprintf(stderr, "wrote %s (ContextUnet n_feat %lld, %lld labels)\n", out.c_str(),
                 static_cast<long long>(model->cfg.n_feat), static_cast<long long>(model->cfg.n_cfeat));
    return 0;
  } catch (const std::exception& e) {
    return sprites::report_error(e);
  }
}
