#include "reference_sampler.h"

#include <stb/stb_image_write.h>

#include <stdexcept>

namespace sprites {

torch::Tensor sample_reference(ContextUnet& model, const torch::Tensor& context, const ReferenceSampling& opt) {
  torch::NoGradGuard ng;
  model->eval();
  const Schedule s;
  const int64_t T = s.ab_t.size(0) - 1, n = context.size(0), h = model->cfg.height;
  auto g = at::make_generator<at::CPUGeneratorImpl>(opt.seed);
  auto x = torch::randn({n, model->cfg.in_channels, h, h}, g);
  auto tvec = [&](int64_t i) { return torch::full({n, 1}, static_cast<float>(i) / T); };
  if (opt.sampler == "ddpm" || opt.sampler == "ddpm-nonoise") {
    const bool inject = opt.sampler == "ddpm";
    for (int64_t i = T; i >= 1; --i) {
      auto eps = model->forward(x, tvec(i), context);
      const double a = s.a_t[i].item<double>(), ab = s.ab_t[i].item<double>(), b = s.b_t[i].item<double>();
      auto mean = (x - eps * ((1 - a) / std::sqrt(1 - ab))) / std::sqrt(a);
      x = inject && i > 1 ? mean + std::sqrt(b) * torch::randn(x.sizes(), g) : mean;
    }
  } else if (opt.sampler == "ddim") {
    if (opt.steps < 1 || opt.steps > T) throw std::runtime_error("DDIM steps must be 1.." + std::to_string(T));
    const int64_t step = T / opt.steps;
    for (int64_t i = T; i > 0; i -= step) {
      const int64_t prev = std::max<int64_t>(i - step, 0);
      auto eps = model->forward(x, tvec(i), context);
      const double ab = s.ab_t[i].item<double>(), abp = s.ab_t[prev].item<double>();
      auto x0 = (x - std::sqrt(1 - ab) * eps) / std::sqrt(ab);
      x = std::sqrt(abp) * x0 + std::sqrt(1 - abp) * eps;
    }
  } else {
    throw std::runtime_error("unknown sampler '" + opt.sampler + "' (ddpm, ddpm-nonoise, ddim)");
  }
  return x;
}

void write_grid_png(const torch::Tensor& images, int64_t cols, int scale, const std::string& path) {
  auto u8 = ((images.clamp(-1, 1) + 1) * 127.5).round().to(torch::kUInt8).permute({0, 2, 3, 1}).contiguous();
  const int64_t n = u8.size(0), h = u8.size(1), w = u8.size(2);
  const int64_t rows = (n + cols - 1) / cols, cw = w * scale + 1, ch = h * scale + 1;
  const int64_t W = cols * cw + 1, H = rows * ch + 1;
  std::vector<uint8_t> out(static_cast<size_t>(W * H * 3), 255);
  const uint8_t* p = u8.data_ptr<uint8_t>();
  for (int64_t k = 0; k < n; ++k)
    for (int64_t y = 0; y < h * scale; ++y)
      for (int64_t x = 0; x < w * scale; ++x)
        for (int c = 0; c < 3; ++c)
          out[static_cast<size_t>(((k / cols * ch + 1 + y) * W + k % cols * cw + 1 + x) * 3 + c)] =
              p[((k * h + y / scale) * w + x / scale) * 3 + c];
  if (!stbi_write_png(path.c_str(), static_cast<int>(W), static_cast<int>(H), 3, out.data(), static_cast<int>(W * 3)))
    throw std::runtime_error(path + ": cannot write PNG");
}

}  // namespace sprites
