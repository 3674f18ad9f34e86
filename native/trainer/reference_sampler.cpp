#include "reference_sampler.h"

#include "common/atomic_file.h"
#include "png_writer.h"
#include "schedule.h"
#include "sprite_dataset.h"

#include <stdexcept>

namespace sprites {

const std::vector<std::string>& reference_sampler_ids() {
  static const std::vector<std::string> ids = {"ddpm", "ddpm-nonoise", "ddim"};
  return ids;
}

torch::Tensor sample_reference(ContextUnet& model, const torch::Tensor& context, const ReferenceSampling& opt) {
  torch::NoGradGuard ng;
  model->eval();
  const Schedule s;
  const int64_t T = s.T, n = context.size(0), h = model->cfg.height;
  auto g = at::make_generator<at::CPUGeneratorImpl>(opt.seed);
  auto x = opt.x_init.defined() ? opt.x_init.clone() : torch::randn({n, model->cfg.in_channels, h, h}, g);
  const auto layout = opt.channels_last ? torch::MemoryFormat::ChannelsLast : torch::MemoryFormat::Contiguous;
  x = x.contiguous(layout);
  auto tvec = [&](int64_t i) { return torch::full({n, 1}, static_cast<float>(i) / T); };
  auto keep_start = [&](const torch::Tensor& y, int64_t t) {
    if (!opt.keep.defined()) return y;
    const auto noised = std::sqrt(static_cast<double>(s.ab[t])) * opt.start + std::sqrt(1 - static_cast<double>(s.ab[t])) * opt.start_noise;
    return (opt.keep * noised + (1 - opt.keep) * y).contiguous(layout);
  };
  if (opt.sampler == "ddpm" || opt.sampler == "ddpm-nonoise") {
    const bool inject = opt.sampler == "ddpm";
    for (int64_t i = opt.start_t > 0 ? opt.start_t : T; i >= 1; --i) {
      auto eps = model->forward(x, tvec(i), context);
      const double a = s.a[i], ab = s.ab[i], b = s.b[i];
      auto mean = (x - eps * ((1 - a) / std::sqrt(1 - ab))) / std::sqrt(a);
      x = keep_start((inject && i > 1 ? mean + std::sqrt(b) * torch::randn(x.sizes(), g) : mean).contiguous(layout), i - 1);
    }
  } else if (opt.sampler == "ddim") {
    if (opt.steps < 1 || opt.steps > T) throw std::runtime_error("DDIM steps must be 1.." + std::to_string(T));
    const int64_t step = T / opt.steps;
    for (int64_t i = T; i > 0; i -= step) {
      if (opt.start_t > 0 && i > opt.start_t && i - step > 0) continue;  // image-to-image: the later steps
      const int64_t prev = std::max<int64_t>(i - step, 0);
      const double ab = s.ab[i], abp = s.ab[prev];
      for (int run = 1;; ++run) {
        auto eps = model->forward(x, tvec(i), context);
        auto x0 = (x - std::sqrt(1 - ab) * eps) / std::sqrt(ab);
        x = keep_start((std::sqrt(abp) * x0 + std::sqrt(1 - abp) * eps).contiguous(layout), prev);
        if (run >= opt.resample || prev == 0) break;
        x = (std::sqrt(ab / abp) * x + std::sqrt(1 - ab / abp) * opt.back_noise(i, run)).contiguous(layout);
      }
    }
  } else {
    throw std::runtime_error("the reference has no sampler '" + opt.sampler + "' (ddpm, ddpm-nonoise, ddim)");
  }
  return x;
}

void write_grid_png(const torch::Tensor& images, int64_t cols, int scale, const std::string& path) {
  const auto img = grid_image(images_to_rgb8(images), static_cast<int>(images.size(0)), static_cast<int>(images.size(2)),
                              static_cast<int>(cols), scale);
  write_file_atomic(path, encode_png(img, {{"Software", "sprites-torch-sample"}}));
}

}  // namespace sprites
