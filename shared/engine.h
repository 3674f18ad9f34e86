// Process-wide start-up of the inference core: XNNPACK and its thread pool.
#pragma once
#include <string>

typedef struct pthreadpool* pthreadpool_t;

namespace sprites {

struct EngineInfo {
  bool ok = false;
  int threads = 1;                // workers in the pool (1: no pool)
  pthreadpool_t pool = nullptr;   // null: run on the calling thread
  std::string message;            // why initialisation failed, if it did
};

// Initialises XNNPACK once; `threads` 0 means a thread per core this process may use (1 in
// single-thread builds).
// Later calls return the first call's result.
EngineInfo init_engine(int threads = 0);

}  // namespace sprites
