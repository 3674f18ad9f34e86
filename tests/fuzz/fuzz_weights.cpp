// libFuzzer target for the weights reader: any byte string must load or throw, never crash.
// Build: cmake --preset asan && cmake --build --preset asan (ASan + UBSan, with every fuzz target)
// Run:   build/asan/tests/fuzz_weights -max_total_time=60 tests/fuzz/corpus/weights
#include "one_line.h"
#include "safetensors.h"
#include "unet_weights.h"

#include <cstddef>
#include <cstdint>
#include <stdexcept>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    auto st = sprites::parse_safetensors(std::vector<uint8_t>(data, data + size), "fuzz");
    sprites::load_unet_weights(st, "fuzz");
  } catch (const std::runtime_error& e) {
    require_one_line(e);  // the expected outcome for almost every input
  }
  return 0;
}
