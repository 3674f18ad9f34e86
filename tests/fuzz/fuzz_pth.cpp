// libFuzzer target for the course's .pth reader (zip + pickle, no LibTorch): any bytes must give a
// state_dict or a clear error, never crash, read outside the file or allocate without bound.
#include "pth_reader.h"

#include <cstddef>
#include <cstdint>
#include <stdexcept>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    sprites::parse_pth_state_dict(std::vector<uint8_t>(data, data + size), "fuzz.pth");
  } catch (const std::runtime_error&) {
  }
  return 0;
}
