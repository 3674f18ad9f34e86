// All randomness of a training step comes from a generator keyed by (seed, stream, index), so a
// resumed run draws exactly what the uninterrupted one would have, with no RNG state to save.
#pragma once
#include <torch/torch.h>

namespace sprites {

enum class RandomStream : uint64_t { epoch_order = 1, step = 2, validation = 3 };

inline torch::Generator keyed_generator(uint64_t seed, RandomStream stream, uint64_t index) {
  uint64_t z = seed * 0x9E3779B97F4A7C15ull ^ (static_cast<uint64_t>(stream) << 56) ^ index;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return at::make_generator<at::CPUGeneratorImpl>(z ^ (z >> 31));
}

}  // namespace sprites
