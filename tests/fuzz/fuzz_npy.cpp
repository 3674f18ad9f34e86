// libFuzzer target for the .npy reader (the course's sprites and labels): any bytes must load or give
// a clear error, never crash or allocate more than the file holds.
#include "common/npy.h"
#include "one_line.h"

#include <cstddef>
#include <cstdint>
#include <stdexcept>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    sprites::parse_npy(std::vector<uint8_t>(data, data + size), "fuzz.npy");
  } catch (const std::runtime_error& e) {
    require_one_line(e);
  }
  return 0;
}
