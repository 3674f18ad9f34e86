// Adam with the course's learning rate: lr decays linearly to 0 over the planned epochs, set per
// epoch by the training step (training_step.h), which also decides how the update runs.
#pragma once
#include <torch/torch.h>

namespace sprites {

class Optimizer {
 public:
  Optimizer(std::vector<torch::Tensor> params, double lr) : adam_(std::move(params), torch::optim::AdamOptions(lr)), lr_(lr) {}
  double lr_for_epoch(int epoch, int epochs) const { return lr_ * (1.0 - static_cast<double>(epoch) / epochs); }
  torch::optim::Adam& adam() { return adam_; }  // its state goes into checkpoints

 private:
  torch::optim::Adam adam_;
  double lr_;
};

}  // namespace sprites
