// DDPM (Ho et al. 2020) as the course's denoise_add_noise:
//   x_{t-1} = (x_t - eps (1 - a_t) / sqrt(1 - abar_t)) / sqrt(a_t) + sqrt(b_t) z,  z = 0 at t = 1.
#include "samplers/sampler.h"

#include <cmath>

namespace sprites {

namespace {

class Ddpm : public Sampler {
 public:
  Ddpm(const Schedule& s, bool inject) : s_(s), inject_(inject) {
    for (int t = s.T; t >= 1; --t) ts_.push_back(t);
  }
  const std::vector<int>& timesteps() const override { return ts_; }
  bool needs_noise(size_t i) const override { return inject_ && ts_[i] > 1; }
  void step(size_t i, float* x, const float* eps, const float* x0, const float* noise, size_t n) override {
    const int t = ts_[i];
    if (s_.a[t] == 0) {  // abar_t = 0: the posterior mean is sqrt(abar_{t-1}) x0 (its x_t term vanishes)
      const float c = std::sqrt(s_.ab[t - 1]), sd = std::sqrt(s_.b[t]);
      for (size_t j = 0; j < n; ++j) x[j] = noise ? c * x0[j] + sd * noise[j] : c * x0[j];
      return;
    }
    const float k = (1 - s_.a[t]) / std::sqrt(1 - s_.ab[t]), inv = 1 / std::sqrt(s_.a[t]), sd = std::sqrt(s_.b[t]);
    for (size_t j = 0; j < n; ++j) {
      const float mean = (x[j] - eps[j] * k) * inv;
      x[j] = noise ? mean + sd * noise[j] : mean;
    }
  }

 private:
  const Schedule& s_;
  bool inject_;
  std::vector<int> ts_;
};

}  // namespace

std::unique_ptr<Sampler> make_ddpm(const Schedule& s, bool inject_noise) {
  return std::make_unique<Ddpm>(s, inject_noise);
}

void predict_x0(const Schedule& s, int t, const float* x, const float* eps, float* x0, size_t n) {
  const float a = std::sqrt(1 - s.ab[t]), inv = 1 / std::sqrt(s.ab[t]);
  for (size_t j = 0; j < n; ++j) x0[j] = (x[j] - a * eps[j]) * inv;
}

void v_to_eps_x0(const Schedule& s, int t, const float* x, float* v_eps, float* x0, size_t n) {
  const float al = std::sqrt(s.ab[t]), sg = std::sqrt(1 - s.ab[t]);
  for (size_t j = 0; j < n; ++j) {
    const float v = v_eps[j];
    x0[j] = al * x[j] - sg * v;
    v_eps[j] = al * v + sg * x[j];
  }
}

}  // namespace sprites
