// libFuzzer target for a folder's index.json, which the page fetches from wherever it is served:
// any bytes must parse or give a one-line error, and what parses must write and parse back the same.
#include "one_line.h"
#include "weights_index.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    const auto index = sprites::parse_weights_index(std::string(data, data + size), "index.json");
    const auto again = sprites::parse_weights_index(sprites::weights_index_json(index), "again");
    if (again.weights.size() != index.weights.size() || again.share_by_url != index.share_by_url) std::abort();
  } catch (const std::runtime_error& e) {
    require_one_line(e);
  }
  return 0;
}
