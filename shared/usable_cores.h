// How many threads "--threads 0" means, for the inference core and LibTorch alike.
#pragma once

namespace sprites {

// The cores this process may run on, as nproc counts them: `taskset`, a container's cpuset or a
// scheduler's CPU list may allow fewer than the machine has, and a thread per missing core only
// waits for one that runs.
int usable_cores();

}  // namespace sprites
