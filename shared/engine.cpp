#include "engine.h"

#include <pthreadpool.h>
#include <xnnpack.h>

#include "usable_cores.h"

namespace sprites {

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
