#include "objective.h"

namespace sprites {

namespace {

class NoisePrediction : public Objective {
 public:
  NoisePrediction(const Schedule& s, torch::Device dev) : dev_(dev), ab_t_(torch::tensor(s.ab).to(dev)) {}

  torch::Tensor loss(ContextUnet& net, const torch::Tensor& x0, const torch::Tensor& c, torch::Generator& g) override {
    const int64_t n = x0.size(0), T = ab_t_.size(0) - 1;
    auto noise = torch::randn(x0.sizes(), g).to(dev_);
    auto t = torch::randint(1, T + 1, {n}, g, torch::kLong).to(dev_);
    auto ab = ab_t_.index_select(0, t).view({-1, 1, 1, 1});
    auto x_t = ab.sqrt() * x0 + (1 - ab).sqrt() * noise;
    auto pred = net->forward(x_t, (t.to(torch::kFloat) / T).view({-1, 1}), c);  // the model sees t / T
    return torch::mse_loss(pred, noise);
  }

 private:
  torch::Device dev_;
  torch::Tensor ab_t_;  // abar_t, t = 0..T
};

}  // namespace

std::unique_ptr<Objective> make_noise_prediction_objective(const Schedule& s, torch::Device dev) {
  return std::make_unique<NoisePrediction>(s, dev);
}

}  // namespace sprites
