#include "unet_layout.h"

#include "printable.h"

#include <stdexcept>
#include <tuple>

namespace sprites {

const char* prediction_name(Prediction p) { return p == Prediction::eps ? "eps" : "v"; }

void read_prediction_and_schedule(const std::map<std::string, std::string>& metadata, const std::string& name, UnetArch& arch) {
  const auto kind = metadata.find("schedule");
  if (kind != metadata.end() && kind->second != "linear" && kind->second != "linear-zero-snr")
    throw std::runtime_error(name + ": schedule '" + printable(kind->second) + "' is not one this core samples (linear, linear-zero-snr)");
  arch.zero_terminal_snr = kind != metadata.end() && kind->second == "linear-zero-snr";
  const auto pred = metadata.find("prediction");
  if (pred != metadata.end() && pred->second != "eps" && pred->second != "v")
    throw std::runtime_error(name + ": prediction '" + printable(pred->second) + "' is not one this core samples (eps, v)");
  arch.prediction = pred != metadata.end() && pred->second == "v" ? Prediction::v : Prediction::eps;
  if (arch.zero_terminal_snr && arch.prediction == Prediction::eps)
    throw std::runtime_error(name + ": an eps model cannot sample a zero-terminal-SNR schedule (abar_T = 0)");
}

std::string numbered_labels(int n) {
  std::string labels;
  for (int i = 1; i <= n; ++i) labels += (i > 1 ? ",class " : "class ") + std::to_string(i);
  return labels;
}

std::map<std::string, std::string> architecture_metadata(const UnetArch& a) {
  return {{"format", kWeightsFormat},
          {"architecture", "ContextUnet"},
          {"in_channels", std::to_string(a.in_channels)},
          {"n_feat", std::to_string(a.n_feat)},
          {"n_cfeat", std::to_string(a.n_cfeat)},
          {"height", std::to_string(a.height)},
          {"bn_folded", "true"},
          {"trainer_version", kTrainerVersion}};
}

std::map<std::string, TensorSpec> expected_unet_tensors(const UnetArch& a) {
  const int64_t f = a.n_feat, h4 = a.height / 4;
  std::map<std::string, TensorSpec> m;
  auto conv = [&](const std::string& n, int64_t in, int64_t out, int64_t k) {
    m[n + ".weight"] = {{out, in, k, k}, 0};
    m[n + ".bias"] = {{out}, -1};
  };
  auto deconv = [&](const std::string& n, int64_t in, int64_t out, int64_t k) {
    m[n + ".weight"] = {{in, out, k, k}, 1};
    m[n + ".bias"] = {{out}, -1};
  };
  auto rcb = [&](const std::string& n, int64_t in, int64_t out) {
    conv(n + ".conv1.0", in, out, 3);
    conv(n + ".conv2.0", out, out, 3);
  };
  auto linear = [&](const std::string& n, int64_t in, int64_t out) {
    m[n + ".weight"] = {{out, in}, 0};
    m[n + ".bias"] = {{out}, -1};
  };
  auto norm = [&](const std::string& n, int64_t c) {
    m[n + ".weight"] = {{c}, -1};
    m[n + ".bias"] = {{c}, -1};
  };
  rcb("init_conv", a.in_channels, f);
  conv("init_conv.shortcut", a.in_channels, f, 1);
  rcb("down1.model.0", f, f);
  rcb("down1.model.1", f, f);
  rcb("down2.model.0", f, 2 * f);
  rcb("down2.model.1", 2 * f, 2 * f);
  for (auto [n, in, out] : {std::tuple<const char*, int64_t, int64_t>{"timeembed1", 1, 2 * f}, {"timeembed2", 1, f},
                            {"contextembed1", a.n_cfeat, 2 * f}, {"contextembed2", a.n_cfeat, f}}) {
    linear(std::string(n) + ".model.0", in, out);
    linear(std::string(n) + ".model.2", out, out);
  }
  deconv("up0.0", 2 * f, 2 * f, h4);
  norm("up0.1", 2 * f);
  deconv("up1.model.0", 4 * f, f, 2);
  rcb("up1.model.1", f, f);
  rcb("up1.model.2", f, f);
  deconv("up2.model.0", 2 * f, f, 2);
  rcb("up2.model.1", f, f);
  rcb("up2.model.2", f, f);
  conv("out.0", 2 * f, f, 3);
  norm("out.1", f);
  conv("out.3", f, a.in_channels, 3);
  return m;
}

}  // namespace sprites
