#include "capturable_adam.h"

#include <sstream>
#include <type_traits>

namespace sprites {

namespace {

// torch::optim keys its state by the parameter's TensorImpl: as a string in LibTorch 1.x, as the
// pointer itself in 2.x.
template <class Map>
typename Map::key_type state_key(const Map&, const torch::Tensor& p) {
  if constexpr (std::is_same_v<typename Map::key_type, std::string>) {
    std::ostringstream os;  // what c10::guts::to_string did
    os << p.unsafeGetTensorImpl();
    return os.str();
  } else
    return p.unsafeGetTensorImpl();
}

torch::optim::AdamOptions& options(torch::optim::Adam& adam) {
  return static_cast<torch::optim::AdamOptions&>(adam.param_groups().at(0).options());
}

// The flat buffers hold each parameter in its memory order (NCHW or channels-last alike), so the
// per-parameter views below are laid out as the parameters and gradients are, and the step's
// gather and scatter stay plain copies instead of a transpose per weight.
torch::Tensor laid_out_like(const torch::Tensor& flat, int64_t at, const torch::Tensor& p) {
  return flat.narrow(0, at, p.numel()).as_strided(p.sizes(), p.strides());
}

// Strides equal wherever they matter (autograd may give a size-1 dimension any stride).
bool same_layout(const torch::Tensor& a, const torch::Tensor& b) {
  for (int64_t d = 0; d < a.dim(); ++d)
    if (a.size(d) > 1 && a.stride(d) != b.stride(d)) return false;
  return true;
}

// A gradient as a 1-D view in its parameter's memory order (a copy only if autograd laid it out otherwise).
torch::Tensor flat_in_layout_of(const torch::Tensor& g, const torch::Tensor& p) {
  const auto laid = same_layout(g, p) ? g : torch::empty_like(p).copy_(g);
  return laid.as_strided({laid.numel()}, {1});
}

}  // namespace

CapturableAdam::CapturableAdam(torch::optim::Adam& adam) : adam_(adam) {
  if (adam.param_groups().size() != 1) throw std::runtime_error("CapturableAdam: one parameter group expected");
  const auto& o = options(adam);
  if (o.weight_decay() != 0 || o.amsgrad()) throw std::runtime_error("CapturableAdam: no weight decay or amsgrad");
  beta1_ = std::get<0>(o.betas());
  beta2_ = std::get<1>(o.betas());
  eps_ = o.eps();
  for (const auto& p : adam.param_groups()[0].params())
    if (p.requires_grad()) params_.push_back(p);
  const auto dev = params_.at(0).device();
  const auto f32 = torch::TensorOptions().dtype(torch::kFloat).device(dev);
  int64_t total = 0;
  for (auto& p : params_) total += p.numel();
  m_ = torch::zeros({total}, f32);
  v_ = torch::zeros({total}, f32);
  lr_ = torch::full({1}, o.lr(), f32);
  step_ = torch::zeros({1}, f32);
  int64_t at = 0, steps = -1;
  torch::NoGradGuard ng;
  for (auto& p : params_) {
    if (!p.is_non_overlapping_and_dense()) throw std::runtime_error("CapturableAdam: parameters must be dense tensors");
    m_views_.push_back(laid_out_like(m_, at, p));
    v_views_.push_back(laid_out_like(v_, at, p));
    at += p.numel();
    auto it = adam.state().find(state_key(adam.state(), p));
    if (it == adam.state().end()) continue;
    auto& s = static_cast<torch::optim::AdamParamState&>(*it->second);
    m_views_.back().copy_(s.exp_avg());
    v_views_.back().copy_(s.exp_avg_sq());
    if (steps >= 0 && s.step() != steps) throw std::runtime_error("CapturableAdam: parameters at different steps");
    steps = s.step();
  }
  step_.fill_(static_cast<double>(std::max<int64_t>(steps, 0)));
}

void CapturableAdam::set_lr(double lr) {
  options(adam_).lr(lr);
  lr_.fill_(lr);
}

void CapturableAdam::step() {
  torch::NoGradGuard ng;
  std::vector<torch::Tensor> grads;
  grads.reserve(params_.size());
  for (auto& p : params_) grads.push_back(flat_in_layout_of(p.grad(), p));
  const auto g = torch::cat(grads);
  step_.add_(1);
  const auto bc1 = 1 - torch::pow(beta1_, step_);
  const auto bc2 = 1 - torch::pow(beta2_, step_);
  m_.mul_(beta1_).add_(g, 1 - beta1_);
  v_.mul_(beta2_).addcmul_(g, g, 1 - beta2_);
  // torch::optim::Adam: p -= lr / bc1 * m / (sqrt(v) / sqrt(bc2) + eps)
  const auto delta = (m_ / (v_.sqrt() / bc2.sqrt()).add_(eps_)) * (-lr_ / bc1);
  std::vector<torch::Tensor> d;
  d.reserve(params_.size());
  int64_t at = 0;
  for (auto& p : params_) {
    d.push_back(laid_out_like(delta, at, p));
    at += p.numel();
  }
  at::_foreach_add_(params_, d);
}

void CapturableAdam::write_back() {
  torch::NoGradGuard ng;
  const auto steps = static_cast<int64_t>(std::llround(step_.item<double>()));
  auto& state = adam_.state();
  for (size_t i = 0; i < params_.size(); ++i) {
    auto key = state_key(state, params_[i]);
    if (state.find(key) == state.end()) state[key] = std::make_unique<torch::optim::AdamParamState>();
    auto& s = static_cast<torch::optim::AdamParamState&>(*state[key]);
    s.step(steps);
    s.exp_avg(m_views_[i].clone());
    s.exp_avg_sq(v_views_[i].clone());
  }
}

}  // namespace sprites
