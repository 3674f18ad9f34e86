// libFuzzer target for the Kept panel's list (shared/kept_sprites.h), which the page reads from the
// browser's storage and from a dropped sheet's text: any text gives the sprites that read and a
// count of the rest, never a crash, and what it gives survives serialize -> parse unchanged.
#include "kept_sprites.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  size_t skipped = 0;
  const sprites::KeptSprites kept = sprites::KeptSprites::parse(std::string(reinterpret_cast<const char*>(data), size), skipped);
  if (kept.sprites().size() > sprites::kMaxKeptSprites) std::abort();
  const std::string again = kept.serialize();
  if (sprites::KeptSprites::parse(again, skipped).serialize() != again || skipped != 0) std::abort();
  return 0;
}
