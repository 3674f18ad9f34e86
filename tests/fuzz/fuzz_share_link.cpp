// libFuzzer target for share links: any hash must parse or give a one-line message, never crash, and
// whatever parses must survive encode -> parse unchanged (the page rewrites the hash it read).
#include "one_line.h"
#include "share_link.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string hash(reinterpret_cast<const char*>(data), size);
  try {
    const sprites::ShareState s = sprites::parse_share_link(hash, 5);
    const std::string again = sprites::encode_share_link(s);
    if (sprites::encode_share_link(sprites::parse_share_link(again, 5)) != again) std::abort();
  } catch (const std::invalid_argument& e) {
    require_one_line(e);
  }
  return 0;
}
