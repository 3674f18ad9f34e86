#include "sprite_png.h"

#include "printable.h"

#include <cstdlib>

// stb_image grows its inflate buffer by doubling for as long as the compressed stream goes on, so a
// zlib bomb of a few MB (deflate reaches 1032:1) would take gigabytes before the pixel count is
// checked. No sprite needs a buffer this large: 1026x1026 pixels of 16-bit RGBA inflate to 8.4 MB.
static constexpr size_t kMaxPngAllocation = size_t{64} << 20;
static thread_local bool png_allocation_refused = false;

static void* bounded_png_malloc(size_t n) {
  if (n > kMaxPngAllocation) return png_allocation_refused = true, nullptr;
  return std::malloc(n);
}

static void* bounded_png_realloc(void* p, size_t n) {
  if (n > kMaxPngAllocation) return png_allocation_refused = true, nullptr;
  return std::realloc(p, n);
}

#define STBI_MALLOC(n) bounded_png_malloc(n)
#define STBI_REALLOC(p, n) bounded_png_realloc(p, n)
#define STBI_FREE(p) std::free(p)
#define STB_IMAGE_STATIC
#define STB_IMAGE_IMPLEMENTATION
#define STBI_ONLY_PNG
#include <stb/stb_image.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstring>
#include <memory>
#include <stdexcept>

namespace sprites {

namespace {

// A sprite sheet of one sprite, as grid_image writes it (`sprites sample --count 1`, the page's
// "Download sprite"), has a 1-pixel gutter around it; a multiple of `size` never leaves 2 over.
int gutter(int w, int size) { return w % size == 2 % size && size > 2 ? 1 : 0; }

// Checked before decoding, so a file that claims a huge image is refused before its pixels take memory.
void check_sprite_shape(int w, int h, int size, const std::string& shown) {
  const int border = gutter(w, size);
  if (w != h || w < size || (w - 2 * border) % size != 0 || w > kMaxSpriteScale * size + 2)
    throw std::runtime_error(shown + ": " + std::to_string(w) + "x" + std::to_string(h) + " pixels; sprites are " + std::to_string(size) +
                             "x" + std::to_string(size) + " or a square multiple (" + std::to_string(2 * size) + "x" + std::to_string(2 * size) +
                             ", ... up to " + std::to_string(kMaxSpriteScale * size) + "x" + std::to_string(kMaxSpriteScale * size) + ")");
}

// stb_image sizes its buffer for compressed data from each IDAT chunk's declared length before it
// reads the chunk, so a few damaged bytes could make it ask for gigabytes. Each chunk (length, type,
// data, CRC) up to IEND must fit in the bytes the file has.
void check_chunk_lengths(const std::vector<uint8_t>& bytes, const std::string& shown) {
  size_t at = 8;  // after the signature, which stbi_info has checked
  while (at + 8 <= bytes.size()) {
    const uint64_t length = uint64_t{bytes[at]} << 24 | uint64_t{bytes[at + 1]} << 16 | uint64_t{bytes[at + 2]} << 8 | bytes[at + 3];
    if (length + 12 > bytes.size() - at)
      throw std::runtime_error(shown + ": a damaged PNG (a chunk at byte " + std::to_string(at) + " claims " + std::to_string(length) +
                               " bytes, " + std::to_string(bytes.size() - at) + " are left)");
    if (std::memcmp(&bytes[at + 4], "IEND", 4) == 0) break;  // what follows is not read
    at += 12 + static_cast<size_t>(length);
  }
}

}  // namespace

std::vector<uint8_t> decode_sprite_png(const std::vector<uint8_t>& bytes, int size, const std::string& shown) {
  int w = 0, h = 0, n = 0;
  const int len = static_cast<int>(std::min<size_t>(bytes.size(), INT_MAX));
  if (!stbi_info_from_memory(bytes.data(), len, &w, &h, &n))
    throw std::runtime_error(shown + ": not a PNG image this reads (" + printable(stbi_failure_reason()) + ")");
  check_sprite_shape(w, h, size, shown);
  check_chunk_lengths(bytes, shown);
  png_allocation_refused = false;
  std::unique_ptr<stbi_uc, void (*)(void*)> px(stbi_load_from_memory(bytes.data(), len, &w, &h, &n, 4), stbi_image_free);
  if (!px && png_allocation_refused)
    throw std::runtime_error(shown + ": a damaged PNG (its pixel data inflates past " + std::to_string(kMaxPngAllocation >> 20) +
                             " MB, more than any sprite needs)");
  if (!px) throw std::runtime_error(shown + ": not a PNG image this reads (" + printable(stbi_failure_reason()) + ")");
  return sprite_from_rgba(px.get(), w, h, size, shown);
}

std::vector<uint8_t> sprite_from_rgba(const uint8_t* rgba, int w, int h, int size, const std::string& shown) {
  check_sprite_shape(w, h, size, shown);
  const int border = gutter(w, size);
  const int k = (w - 2 * border) / size;
  std::vector<uint8_t> rgb(static_cast<size_t>(size) * size * 3);
  for (int y = 0; y < size; ++y)
    for (int x = 0; x < size; ++x)
      for (int c = 0; c < 3; ++c) {
        double sum = 0;
        for (int dy = 0; dy < k; ++dy)
          for (int dx = 0; dx < k; ++dx) {
            const uint8_t* p = rgba + ((static_cast<size_t>(y) * k + dy + border) * w + static_cast<size_t>(x) * k + dx + border) * 4;
            sum += (p[c] * p[3] + 255.0 * (255 - p[3])) / 255.0;
          }
        rgb[(static_cast<size_t>(y) * size + x) * 3 + c] = static_cast<uint8_t>(std::lround(sum / (k * k)));
      }
  return rgb;
}

}  // namespace sprites
