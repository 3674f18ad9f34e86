#include "engine.h"

#include <pthreadpool.h>
#include <xnnpack.h>

#include <algorithm>
#include <thread>
#if defined(__linux__) && !defined(__EMSCRIPTEN__)
#include <sched.h>
#endif

namespace sprites {

namespace {

// The cores this process may run on, as nproc counts them: `taskset`, a container's cpuset or a
// scheduler's CPU list may allow fewer than the machine has, and a thread per missing core only
// waits for one that runs (LibTorch's OpenMP, the trainer's, counts the same way).
int usable_cores() {
#if defined(__linux__) && !defined(__EMSCRIPTEN__)
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0) return CPU_COUNT(&set);
#endif
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

}  // namespace

EngineInfo init_engine(int threads) {
  static EngineInfo info;
  if (info.ok) return info;
  const xnn_status s = xnn_initialize(/*allocator=*/nullptr);
  if (s != xnn_status_success) {
    info.message = "xnn_initialize failed with status " + std::to_string(static_cast<int>(s)) +
                   (s == xnn_status_unsupported_hardware ? " (unsupported hardware: no SIMD?)" : "");
    return info;
  }
#if defined(__EMSCRIPTEN__) && !defined(__EMSCRIPTEN_PTHREADS__)
  (void)threads;
  info.threads = 1;
#else
  info.threads = threads > 0 ? threads : usable_cores();
  if (info.threads > 1) info.pool = pthreadpool_create(static_cast<size_t>(info.threads));
  if (!info.pool) info.threads = 1;
#endif
  info.ok = true;
  return info;
}

}  // namespace sprites
