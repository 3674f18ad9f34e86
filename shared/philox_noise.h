// Portable Gaussian noise: Philox4x32-10 (Salmon et al., "Parallel random numbers: as easy as 1, 2,
// 3", SC'11) with Box-Muller. Counter-based, so noise is a pure function of
// (seed, sprite index, step): any sprite of a grid reproduces alone, on every platform and build.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>

namespace sprites {

std::array<uint32_t, 4> philox4x32_10(std::array<uint32_t, 4> counter, std::array<uint32_t, 2> key);

// Step 0 is the starting noise x_T; step t >= 1 is the noise a sampler injects at timestep t.
void gaussian_noise(uint64_t seed, uint32_t sprite, uint32_t step, float* out, size_t n);

// The step keys of resampling (sample.h), past every timestep's: run `run` (>= 1) of the step at
// timestep t draws its sampler noise from (t, run, false) and is taken back to t with (t, run, true).
uint32_t resample_noise_key(int t, int run, bool back);

}  // namespace sprites
