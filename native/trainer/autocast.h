// bf16 autocast for a scope, on one device, across LibTorch versions (1.13's per-device setters
// became set_autocast_enabled(device, on) in 2.4). Its weight cache is off: a CUDA graph cannot
// capture the cache's casts, and a training step changes the weights anyway.
#pragma once
#include <ATen/autocast_mode.h>
#include <torch/torch.h>
#include <torch/version.h>

namespace sprites {

#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
inline bool autocast_enabled(torch::DeviceType d) { return at::autocast::is_autocast_enabled(d); }
inline void set_autocast(torch::DeviceType d, bool on) {
  at::autocast::set_autocast_enabled(d, on);
  if (on) at::autocast::set_autocast_dtype(d, at::kBFloat16);
}
#else
inline bool autocast_enabled(torch::DeviceType d) {
  return d == torch::kCUDA ? at::autocast::is_enabled() : at::autocast::is_cpu_enabled();
}
inline void set_autocast(torch::DeviceType d, bool on) {
  if (d == torch::kCUDA) {
    at::autocast::set_enabled(on);
    if (on) at::autocast::set_autocast_gpu_dtype(at::kBFloat16);
  } else {
    at::autocast::set_cpu_enabled(on);
    if (on) at::autocast::set_autocast_cpu_dtype(at::kBFloat16);
  }
}
#endif

class AutocastScope {
 public:
  AutocastScope(torch::DeviceType d, bool on) : d_(d), was_(autocast_enabled(d)) {
    at::autocast::set_autocast_cache_enabled(false);
    set_autocast(d_, on);
  }
  ~AutocastScope() { set_autocast(d_, was_); }
  AutocastScope(const AutocastScope&) = delete;
  AutocastScope& operator=(const AutocastScope&) = delete;

 private:
  torch::DeviceType d_;
  bool was_;
};

}  // namespace sprites
