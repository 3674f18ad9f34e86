#include "sample.h"

#include "philox_noise.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace sprites {

std::unique_ptr<Sampler> make_sampler(const Schedule& s, const SampleParams& p) {
  if (p.sampler == "ddpm") return make_ddpm(s, true);
  if (p.sampler == "ddpm-nonoise") return make_ddpm(s, false);
  if (p.sampler == "ddim") return make_ddim(s, p.steps, p.eta);
  throw std::invalid_argument("unknown sampler '" + p.sampler + "' (ddpm, ddpm-nonoise, ddim)");
}

bool sample(UnetXnn& net, const Schedule& s, const SampleParams& p, std::vector<float>& out, const StepCallback& cb) {
  const auto& arch = net.arch();
  if (p.count < 1) throw std::invalid_argument("count must be at least 1");
  if (p.first_index < 0) throw std::invalid_argument("first_index must be non-negative");
  if (static_cast<int>(p.context.size()) != arch.n_cfeat)
    throw std::invalid_argument("context needs " + std::to_string(arch.n_cfeat) + " values");
  if (!(p.guidance >= 0 && p.guidance <= 20)) throw std::invalid_argument("guidance must be in [0, 20]");
  auto sampler = make_sampler(s, p);

  const size_t n = static_cast<size_t>(p.count), img = net.image_size(), nc = static_cast<size_t>(arch.n_cfeat);
  const bool unconditional = std::all_of(p.context.begin(), p.context.end(), [](float v) { return v == 0; });
  const bool guided = p.guidance > 0 && !unconditional;
  const size_t rows = guided ? 2 * n : n;  // guided: conditional rows, then unconditional rows

  out.assign(n * img, 0);
  for (size_t k = 0; k < n; ++k) gaussian_noise(p.seed, static_cast<uint32_t>(p.first_index + k), 0, &out[k * img], img);
  std::vector<float> xin(rows * img), eps(rows * img), tvec(rows), ctx(rows * nc, 0), noise(n * img), x0(n * img);
  for (size_t k = 0; k < n; ++k) std::copy(p.context.begin(), p.context.end(), ctx.begin() + k * nc);

  const auto& ts = sampler->timesteps();
  for (size_t i = 0; i < ts.size(); ++i) {
    const int t = ts[i];
    std::copy(out.begin(), out.end(), xin.begin());
    if (guided) std::copy(out.begin(), out.end(), xin.begin() + n * img);
    std::fill(tvec.begin(), tvec.end(), static_cast<float>(t) / static_cast<float>(s.T));
    net.forward(xin.data(), tvec.data(), ctx.data(), rows, eps.data());
    if (guided) apply_guidance(eps.data(), n * img, p.guidance);
    const bool want_x0 = static_cast<bool>(cb);
    if (want_x0) predict_x0(s, t, out.data(), eps.data(), x0.data(), n * img);
    const float* z = nullptr;
    if (sampler->needs_noise(i)) {
      for (size_t k = 0; k < n; ++k)
        gaussian_noise(p.seed, static_cast<uint32_t>(p.first_index + k), static_cast<uint32_t>(t), &noise[k * img], img);
      z = noise.data();
    }
    sampler->step(i, out.data(), eps.data(), z, n * img);
    if (cb && !cb(StepView{i, ts.size(), t, out.data(), x0.data()})) return false;
  }
  return true;
}

void apply_guidance(float* eps, size_t n, float w) {
  for (size_t j = 0; j < n; ++j) eps[j] = (1 + w) * eps[j] - w * eps[n + j];
}

std::vector<uint8_t> to_rgb8(const std::vector<float>& x) {
  std::vector<uint8_t> out(x.size());
  for (size_t i = 0; i < x.size(); ++i)
    out[i] = static_cast<uint8_t>(std::nearbyint((std::clamp(x[i], -1.0f, 1.0f) + 1.0f) * 127.5f));
  return out;
}

}  // namespace sprites
