// Adam as torch::optim::Adam computes it (no weight decay, no amsgrad), with the step count and the
// learning rate in tensors on the parameters' device, so a CUDA graph can capture the update and
// replay it every step. The moments live in two flat buffers, so the update is a handful of kernels
// instead of ten per parameter. Checkpoints keep one format: the state moves to and from the
// torch::optim::Adam that checkpoint.h saves.
#pragma once
#include <torch/torch.h>

namespace sprites {

class CapturableAdam {
 public:
  // Takes its parameters, lr and state. Parameters that do not require a gradient (the biases a
  // BatchNorm cancels, context_unet.h) are left as they are, as torch::optim::Adam leaves one without a gradient.
  explicit CapturableAdam(torch::optim::Adam& adam);
  void set_lr(double lr);                              // outside a capture: a device write
  void step();                                         // uses each parameter's .grad()
  void write_back();                                   // the state into the torch::optim::Adam

 private:
  torch::optim::Adam& adam_;
  std::vector<torch::Tensor> params_;
  double beta1_, beta2_, eps_;
  torch::Tensor lr_, step_;  // [1] float on the device
  torch::Tensor m_, v_;      // flat first and second moments
  std::vector<torch::Tensor> m_views_, v_views_;  // per-parameter views of them
};

}  // namespace sprites
