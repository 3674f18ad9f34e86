// The course's samplers in LibTorch, kept as the reference the inference core is compared with
// (parity tests, benchmarks) and for looking at a checkpoint without the core.
#pragma once
#include "context_unet.h"

#include <functional>
#include <string>
#include <vector>

namespace sprites {

// The course's three samplers, a subset of the core's sampler_table() under the same ids.
const std::vector<std::string>& reference_sampler_ids();

struct ReferenceSampling {
  std::string sampler = "ddim";  // one of reference_sampler_ids()
  int steps = 25;                // DDIM only
  uint64_t seed = 0;
  torch::Tensor x_init;          // optional starting noise [N, C, H, W]; drawn from `seed` if undefined
  int start_t = 0;               // 0: from T; else from the sampler's first timestep <= start_t, x_init noised to it
  bool channels_last = false;    // keep x in NHWC memory order (benchmarks)
  // Repainting (repaint_mask.h): after each step the pixels where `keep` [1, 1, H, W] is 1 become
  // `start` [N, C, H, W] noised with `start_noise` to the step's timestep. Undefined: none kept.
  torch::Tensor keep, start, start_noise;
  // With keep, DDIM's steps run `resample` times each; between runs x goes back to the step's
  // timestep with back_noise(t, run) [N, C, H, W], run 1.. (sample.h's resampling).
  int resample = 1;
  std::function<torch::Tensor(int64_t t, int run)> back_noise;
};

// context: [N, n_cfeat] (zeros: unconditional). Returns [N, 3, H, W] in [-1, 1] (not clamped).
torch::Tensor sample_reference(ContextUnet& model, const torch::Tensor& context, const ReferenceSampling& opt);

// uint8 RGB grid image (rows x cols sprites, `scale`x nearest-neighbour, 1-px white gutters).
void write_grid_png(const torch::Tensor& images, int64_t cols, int scale, const std::string& path);

}  // namespace sprites
