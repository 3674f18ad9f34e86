// libFuzzer target for reading a sprite or a sheet of them from a PNG (the CLI's --init and --mask,
// `sprites dataset`), and its text (a saved sheet's link: png_text.h): any bytes must give sprites
// or one line, never a crash, and never memory for an image that a header only claims.
#include "one_line.h"
#include "png_text.h"
#include "repaint_mask.h"
#include "sprite_png.h"

#include <cstddef>
#include <cstdint>
#include <stdexcept>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    const auto rgb = sprites::decode_sprite_png(std::vector<uint8_t>(data, data + size), 16, "fuzz.png");
    if (rgb.size() != 16 * 16 * 3) std::abort();
    if (sprites::mask_from_rgb8(rgb).size() != 16 * 16) std::abort();
  } catch (const std::runtime_error& e) {
    require_one_line(e);
  }
  try {
    const auto sheet = sprites::decode_sprite_sheet_png(std::vector<uint8_t>(data, data + size), 16, "fuzz.png");
    if (sheet.empty() || sheet.size() % (16 * 16 * 3) != 0 || sheet.size() > sprites::kMaxSheetSprites * 16 * 16 * 3) std::abort();
  } catch (const std::runtime_error& e) {
    require_one_line(e);
  }
  size_t text = 0;  // no more than the bytes hold
  for (const auto& [key, value] : sprites::png_text(std::vector<uint8_t>(data, data + size))) text += key.size() + value.size();
  if (text > size) std::abort();
  if (sprites::png_share_link(std::vector<uint8_t>(data, data + size)).size() > size) std::abort();
  return 0;
}
