#include "objective.h"

namespace sprites {

namespace {

class Denoising : public Objective {
 public:
  Denoising(const Schedule& s, torch::Device dev, Prediction p) : ab_t_(torch::tensor(s.ab).to(dev)), prediction_(p) {}

  NoiseDraw draw(torch::Generator& g, at::IntArrayRef shape) const override {
    auto noise = torch::randn(shape, g);
    auto t = torch::randint(1, ab_t_.size(0), {shape[0]}, g, torch::kLong);
    return {noise, t};
  }

  torch::Tensor loss(ContextUnet& net, const torch::Tensor& x0, const torch::Tensor& c, const NoiseDraw& d) const override {
    const int64_t T = ab_t_.size(0) - 1;
    auto ab = ab_t_.index_select(0, d.t).view({-1, 1, 1, 1});
    auto x_t = ab.sqrt() * x0 + (1 - ab).sqrt() * d.noise;
    auto pred = net->forward(x_t, (d.t.to(torch::kFloat) / T).view({-1, 1}), c);  // the model sees t / T
    if (prediction_ == Prediction::eps) return torch::mse_loss(pred, d.noise);
    return torch::mse_loss(pred, ab.sqrt() * d.noise - (1 - ab).sqrt() * x0);
  }

 private:
  torch::Tensor ab_t_;  // abar_t, t = 0..T
  Prediction prediction_;
};

}  // namespace

std::unique_ptr<Objective> make_denoising_objective(const Schedule& s, torch::Device dev, Prediction p) {
  return std::make_unique<Denoising>(s, dev, p);
}

}  // namespace sprites
