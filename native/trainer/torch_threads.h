// LibTorch's thread count from a --threads value. Left to itself, LibTorch 1.13 sizes its OpenMP
// pool by the physical cores cpuinfo finds, and a VM's CPUID can make two vCPUs look like one
// core's two hyperthreads: on this project's 2-core AMD EPYC VM it ran one thread, half the
// trainer's speed (122-140 against 221-246 images/s), while the inference core used both.
#pragma once
#include <torch/torch.h>

#include <cstdlib>

#include "usable_cores.h"

namespace sprites {

// `threads` > 0 as given; 0: one per core this process may use, as the inference core counts,
// unless OMP_NUM_THREADS starts with a count (LibTorch then takes that, as it always does). An
// empty or unreadable one, which libgomp and LibTorch warn about and ignore, counts as unset.
inline void set_torch_threads(int threads) {
  const char* omp = std::getenv("OMP_NUM_THREADS");
  if (threads > 0)
    torch::set_num_threads(threads);
  else if (!omp || std::strtol(omp, nullptr, 10) <= 0)
    torch::set_num_threads(usable_cores());
}

}  // namespace sprites
