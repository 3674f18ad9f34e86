// What training minimises. The loop hands an objective clean sprites and their context; the
// objective draws its own noise and timesteps from the step's keyed generator. Another objective
// (a distillation loss, v-prediction) is another implementation of this interface.
#pragma once
#include "context_unet.h"
#include "schedule.h"

#include <memory>

namespace sprites {

class Objective {
 public:
  virtual ~Objective() = default;
  // Mean loss of `net` on clean images x0 [N,3,H,W] in [-1,1] with context c [N,n_cfeat].
  virtual torch::Tensor loss(ContextUnet& net, const torch::Tensor& x0, const torch::Tensor& c, torch::Generator& g) = 0;
};

// The course's DDPM objective with its noise bug fixed: MSE between eps and the network's prediction
// at x_t = sqrt(abar_t) x0 + sqrt(1 - abar_t) eps, t uniform in 1..T (the course wrote (1 - abar_t) eps).
std::unique_ptr<Objective> make_noise_prediction_objective(const Schedule& s, torch::Device dev);

}  // namespace sprites
