// DPM-Solver++(2M) (Lu et al. 2022, "DPM-Solver++: Fast Solver for Guided Sampling of Diffusion
// Probabilistic Models"): a second-order multistep solver of the diffusion ODE in data prediction,
// good in 10-20 steps. With alpha_t = sqrt(abar_t), sigma_t = sqrt(1 - abar_t),
// lambda_t = log(alpha_t / sigma_t) and h = lambda_prev - lambda_t:
//   x_prev = (sigma_prev / sigma_t) x - alpha_prev (exp(-h) - 1) D,
// D = x0_t on the first step, else (1 + 1/2r) x0_t - (1/2r) x0_last with r = h_last / h.
// The final step to t = 0 returns the first-order x0_t, as the paper's "lower order final".
#include "samplers/sampler.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace sprites {

namespace {

class DpmSolver2M : public Sampler {
 public:
  DpmSolver2M(const Schedule& s, int steps) : s_(s) {
    if (steps < 1 || steps > s.T) throw std::invalid_argument("DPM-Solver++ steps must be 1.." + std::to_string(s.T));
    ts_ = evenly_spaced_timesteps(s.T, steps);  // as DDIM, but with any step count
  }
  const std::vector<int>& timesteps() const override { return ts_; }
  bool needs_noise(size_t) const override { return false; }
  void step(size_t i, float* x, const float* eps, const float* x0_in, const float*, size_t n) override {
    const int t = ts_[i], tp = i + 1 < ts_.size() ? ts_[i + 1] : 0;
    const double a = std::sqrt(static_cast<double>(s_.ab[t])), sg = std::sqrt(1.0 - s_.ab[t]);
    // Second order from the second step this run takes, which need not be step 1 (from_timestep).
    const bool second = prev_x0_.size() == n;
    if (!second) prev_x0_.assign(n, 0.0f);
    if (tp == 0) {
      for (size_t j = 0; j < n; ++j) x[j] = a > 0 ? static_cast<float>((x[j] - sg * eps[j]) / a) : x0_in[j];
      return;
    }
    const double ap = std::sqrt(static_cast<double>(s_.ab[tp])), sp = std::sqrt(1.0 - s_.ab[tp]);
    const double h = std::log(ap / sp) - std::log(a / sg);
    const double cx = sp / sg, cd = -ap * std::expm1(-h);
    const double r = second ? h_last_ / h : 1.0;
    const double w0 = second ? 1 + 1 / (2 * r) : 1.0, w1 = second ? -1 / (2 * r) : 0.0;
    for (size_t j = 0; j < n; ++j) {
      const double x0 = a > 0 ? (x[j] - sg * eps[j]) / a : x0_in[j];  // a = 0: pure noise (zero terminal SNR)
      const double d = w0 * x0 + w1 * prev_x0_[j];
      prev_x0_[j] = static_cast<float>(x0);
      x[j] = static_cast<float>(cx * x[j] + cd * d);
    }
    h_last_ = h;
  }

 private:
  const Schedule& s_;
  std::vector<int> ts_;
  std::vector<float> prev_x0_;
  double h_last_ = 0;
};

}  // namespace

std::unique_ptr<Sampler> make_dpm_solver_2m(const Schedule& s, int steps) { return std::make_unique<DpmSolver2M>(s, steps); }

}  // namespace sprites
