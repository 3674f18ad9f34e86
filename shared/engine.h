// Process-wide start-up of the inference core: XNNPACK and its thread pool.
#pragma once
#include <string>

namespace sprites {

struct EngineInfo {
  bool ok = false;
  int threads = 1;        // workers in the pool (1: no pool)
  std::string message;    // why initialisation failed, if it did
};

// Initialises XNNPACK once; `threads` 0 means all hardware threads (1 in single-thread builds).
EngineInfo init_engine(int threads = 0);

}  // namespace sprites
