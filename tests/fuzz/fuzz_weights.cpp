// libFuzzer target for the weights reader: any byte string must load or throw, never crash.
// Build: cmake -S . -B build/fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_C_COMPILER=clang
//        -DSPRITES_FUZZ=ON -DSPRITES_BUILD_TRAINER=OFF && cmake --build build/fuzz --target fuzz_weights
// Run:   build/fuzz/tests/fuzz_weights -max_total_time=60 assets/weights
#include "safetensors.h"
#include "unet_weights.h"

#include <cstddef>
#include <cstdint>
#include <stdexcept>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    auto st = sprites::parse_safetensors(std::vector<uint8_t>(data, data + size), "fuzz");
    sprites::load_unet_weights(st, "fuzz");
  } catch (const std::runtime_error&) {
    // A clear error is the expected outcome for almost every input.
  }
  return 0;
}
