// sprites-import: converts a course checkpoint (torch.save(model.state_dict(), "model_31.pth"))
// into the safetensors weights the inference core and the page run, in the dtype asked for. The
// conversion is the core's (course_checkpoint.h): the page and `sprites sample` read a .pth the same way.
#include "common/atomic_file.h"
#include "common/cli_choice.h"
#include "common/cli_text.h"
#include "common/error_line.h"
#include "course_checkpoint.h"
#include "export_weights.h"
#include "file_bytes.h"

#include <CLI/CLI.hpp>

#include <cstdio>

int main(int argc, char** argv) {
  std::string pth, out, labels = sprites::kCourseLabels, epoch;
  auto dtype = sprites::WeightsDtype::f16;
  CLI::App app{"Convert a course-format PyTorch state_dict (.pth) to safetensors weights."};
  app.add_option("--pth", pth, "the course's .pth (a torch.save'd state_dict)")->required();
  app.add_option("--out", out, "safetensors file to write")->required();
  app.add_option("--label-names", labels, "comma-separated class names")->capture_default_str();
  app.add_option("--epoch", epoch, "epoch the checkpoint was saved at, for the metadata (default: the N of a name model_<N>.pth)")->check(sprites::not_empty());
  sprites::add_choice(app, "--dtype", dtype, sprites::weights_dtype_names(), "f16, f32 or int8 (per-channel 8-bit)");
  CLI11_PARSE(app, argc, argv);
  try {
    sprites::require_not_input(out, pth);
    std::map<std::string, std::string> given;  // else the conversion's own (the epoch a model_<N>.pth name says)
    if (!epoch.empty()) given["epoch"] = epoch;
    const auto st = sprites::parse_safetensors(sprites::course_checkpoint_export(sprites::read_file_bytes(pth), pth, given), pth);
    auto model = sprites::load_folded_model(st, pth);
    auto meta = st.metadata;
    meta["labels"] = sprites::label_names_text(sprites::label_names_flag(labels, model->cfg.n_cfeat));
    sprites::export_safetensors(model, out, dtype, meta);
    std::fprintf(stderr, "wrote %s (ContextUnet n_feat %lld, %lld labels)\n", out.c_str(),
                 static_cast<long long>(model->cfg.n_feat), static_cast<long long>(model->cfg.n_cfeat));
    return 0;
  } catch (const std::exception& e) {
    return sprites::report_error(e);
  }
}
