#include "weight_ema.h"

namespace sprites {

WeightEma::WeightEma(ContextUnet& model, double decay) : ema_(model->cfg), decay_(decay) {
  if (!(decay > 0 && decay < 1)) throw std::runtime_error("--ema must be a decay below 1, e.g. 0.999");
  ema_->to(model->parameters().front().device());
  ema_->eval();
  auto take = [&](std::vector<torch::Tensor> e, std::vector<torch::Tensor> m) {
    for (size_t i = 0; i < e.size(); ++i) {
      if (e[i].is_floating_point()) {
        ema_f_.push_back(e[i]);
        model_f_.push_back(m[i]);
      } else {
        counters_.emplace_back(e[i], m[i]);
      }
    }
  };
  take(ema_->parameters(), model->parameters());
  take(ema_->buffers(), model->buffers());
  torch::NoGradGuard ng;
  for (size_t i = 0; i < ema_f_.size(); ++i) ema_f_[i].copy_(model_f_[i]);
}

void WeightEma::update(int64_t step) {
  torch::NoGradGuard ng;
  const double d = std::min(decay_, (1.0 + static_cast<double>(step)) / (10.0 + static_cast<double>(step)));
  at::_foreach_mul_(ema_f_, d);
  at::_foreach_add_(ema_f_, model_f_, 1 - d);
  for (auto& [e, m] : counters_) e.copy_(m);
}

}  // namespace sprites
