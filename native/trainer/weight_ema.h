// An exponential moving average of a model's weights (and BatchNorm statistics), warmed up as
// d = min(decay, (1 + step) / (10 + step)) so the random initial weights do not linger in the early
// checkpoints (d = 0.99 after epoch 0 at batch 100). Validation and exports then read the average.
#pragma once
#include "context_unet.h"

namespace sprites {

class WeightEma {
 public:
  WeightEma(ContextUnet& model, double decay);  // starts as a copy of `model`
  void update(int64_t step);                    // after each optimiser step
  ContextUnet& net() { return ema_; }           // always in eval mode

 private:
  ContextUnet ema_;
  double decay_;
  std::vector<torch::Tensor> ema_f_, model_f_;                        // floating-point parameters and buffers
  std::vector<std::pair<torch::Tensor, torch::Tensor>> counters_;     // BatchNorm's step counters, copied
};

}  // namespace sprites
