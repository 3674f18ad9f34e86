// DDIM (Song et al. 2021). With eta 0 it is the course's denoise_ddim:
//   x0 = (x_t - sqrt(1 - abar_t) eps) / sqrt(abar_t);  x_prev = sqrt(abar_prev) x0 + sqrt(1 - abar_prev) eps.
// eta > 0 moves part of the direction term into fresh noise (eta 1 ~ DDPM's variance).
// A distilled student (native/trainer/distillation.h) samples with eta 0 on the grid it was
// distilled on, evenly_spaced_timesteps: each of its steps stands for two of its teacher's.
#include "samplers/sampler.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace sprites {

namespace {

class Ddim : public Sampler {
 public:
  Ddim(const Schedule& s, std::vector<int> ts, float eta) : s_(s), eta_(eta), ts_(std::move(ts)) {
    if (!(eta >= 0 && eta <= 1)) throw std::invalid_argument("DDIM eta must be in [0, 1]");
  }
  const std::vector<int>& timesteps() const override { return ts_; }
  bool needs_noise(size_t i) const override { return eta_ > 0 && prev(i) > 0; }
  void step(size_t i, float* x, const float* eps, const float* x0, const float* noise, size_t n) override {
    const int t = ts_[i], tp = prev(i);
    const float ab = s_.ab[t], abp = s_.ab[tp];
    const float sigma = eta_ * std::sqrt((1 - abp) / (1 - ab)) * std::sqrt(1 - (ab > 0 ? ab / abp : 0));
    const float c_eps = std::sqrt(std::max(0.0f, 1 - abp - sigma * sigma));
    if (ab == 0) {  // pure noise: x0 from the model directly
      for (size_t j = 0; j < n; ++j) {
        const float v = std::sqrt(abp) * x0[j] + c_eps * eps[j];
        x[j] = noise ? v + sigma * noise[j] : v;
      }
      return;
    }
    const float c_x0 = std::sqrt(abp) / std::sqrt(ab), a = std::sqrt(1 - ab);
    for (size_t j = 0; j < n; ++j) {
      const float v = c_x0 * (x[j] - a * eps[j]) + c_eps * eps[j];
      x[j] = noise ? v + sigma * noise[j] : v;
    }
  }

 private:
  int prev(size_t i) const { return i + 1 < ts_.size() ? ts_[i + 1] : 0; }
  const Schedule& s_;
  float eta_;
  std::vector<int> ts_;
};

}  // namespace

std::unique_ptr<Sampler> make_ddim(const Schedule& s, int steps, float eta) {
  if (steps < 1 || steps > s.T) throw std::invalid_argument("DDIM steps must be 1.." + std::to_string(s.T));
  // The course's grid: a whole stride, so T = 500 with 64 steps visits 72 timesteps (stride 7).
  const int stride = s.T / steps;
  std::vector<int> ts;
  for (int t = s.T; t > 0; t -= stride) ts.push_back(t);
  return std::make_unique<Ddim>(s, std::move(ts), eta);
}

std::unique_ptr<Sampler> make_student(const Schedule& s, int steps) {
  if (steps < 1 || steps > s.T) throw std::invalid_argument("student steps must be 1.." + std::to_string(s.T));
  return std::make_unique<Ddim>(s, evenly_spaced_timesteps(s.T, steps), 0.0f);
}

}  // namespace sprites
