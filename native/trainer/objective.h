// What training minimises. The loop hands an objective clean sprites and their context; the
// objective says what noise and timesteps a step needs (drawn on the CPU from the step's keyed
// generator, so eager and CUDA-graph steps see the same numbers) and computes the loss from them.
// Another objective (a distillation loss, v-prediction) is another implementation of this interface.
#pragma once
#include "context_unet.h"
#include "schedule.h"
#include "unet_layout.h"

#include <memory>

namespace sprites {

struct NoiseDraw {
  torch::Tensor noise;  // [N,3,H,W]
  torch::Tensor t;      // [N] long, 1..T
  NoiseDraw to(torch::Device dev) const { return {noise.to(dev), t.to(dev)}; }
};

class Objective {
 public:
  virtual ~Objective() = default;
  // The step's random inputs for images of `shape` [N,3,H,W], on the CPU.
  virtual NoiseDraw draw(torch::Generator& g, at::IntArrayRef shape) const = 0;
  // Mean loss of `net` on clean images x0 [N,3,H,W] in [-1,1] with context c [N,n_cfeat], all on
  // the model's device. Only tensor operations: a CUDA graph captures it.
  virtual torch::Tensor loss(ContextUnet& net, const torch::Tensor& x0, const torch::Tensor& c, const NoiseDraw& d) const = 0;
};

// What the network learns to predict at x_t = sqrt(abar_t) x0 + sqrt(1 - abar_t) eps, t uniform in
// 1..T: the noise eps (the course's DDPM objective, with its noise bug fixed: the course wrote
// (1 - abar_t) eps), or the velocity v = sqrt(abar_t) eps - sqrt(1 - abar_t) x0 (Salimans & Ho 2022),
// which stays a well-posed target where abar_t reaches 0 (a zero-terminal-SNR schedule).
std::unique_ptr<Objective> make_denoising_objective(const Schedule& s, torch::Device dev, Prediction p);

}  // namespace sprites
