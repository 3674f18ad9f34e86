// A sampler's later steps. Its update rules stay as they are (a step is still timesteps()[i] to
// timesteps()[i + 1] of the full list), so DDPM, DDIM and DPM-Solver++ need no second version.
#include "samplers/sampler.h"

#include <stdexcept>

namespace sprites {

namespace {

class FromTimestep : public Sampler {
 public:
  FromTimestep(std::unique_ptr<Sampler> full, int t_max) : full_(std::move(full)) {
    const std::vector<int>& ts = full_->timesteps();
    if (ts.empty()) throw std::invalid_argument("a sampler without steps");
    while (skip_ + 1 < ts.size() && ts[skip_] > t_max) ++skip_;
    ts_.assign(ts.begin() + static_cast<std::ptrdiff_t>(skip_), ts.end());
  }
  const std::vector<int>& timesteps() const override { return ts_; }
  bool needs_noise(size_t i) const override { return full_->needs_noise(i + skip_); }
  void step(size_t i, float* x, const float* eps, const float* x0, const float* noise, size_t n) override {
    full_->step(i + skip_, x, eps, x0, noise, n);
  }

 private:
  std::unique_ptr<Sampler> full_;
  size_t skip_ = 0;
  std::vector<int> ts_;
};

}  // namespace

std::unique_ptr<Sampler> from_timestep(std::unique_ptr<Sampler> full, int t_max) {
  return std::make_unique<FromTimestep>(std::move(full), t_max);
}

}  // namespace sprites
