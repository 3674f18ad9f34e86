// libFuzzer target for the course's .pth as the page opens one: the reader (zip + pickle, no
// LibTorch), the conversion to an export (course_checkpoint.h) and the weights loader. Any bytes
// must give weights or a clear error, never crash, read outside the file or allocate without bound.
#include "course_checkpoint.h"
#include "one_line.h"
#include "unet_weights.h"

#include <cstddef>
#include <cstdint>
#include <stdexcept>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    sprites::load_unet_weights(sprites::parse_safetensors(sprites::course_checkpoint_export({data, data + size}, "fuzz.pth"), "fuzz.pth"), "fuzz.pth");
  } catch (const std::runtime_error& e) {
    require_one_line(e);
  }
  return 0;
}
