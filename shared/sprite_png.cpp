#include "sprite_png.h"

#include "printable.h"

#define STB_IMAGE_STATIC
#define STB_IMAGE_IMPLEMENTATION
#define STBI_ONLY_PNG
#include <stb/stb_image.h>

#include <cmath>
#include <memory>
#include <stdexcept>

namespace sprites {

std::vector<uint8_t> decode_sprite_png(const std::vector<uint8_t>& bytes, int size, const std::string& shown) {
  int w = 0, h = 0, n = 0;
  std::unique_ptr<stbi_uc, void (*)(void*)> px(
      stbi_load_from_memory(bytes.data(), static_cast<int>(bytes.size()), &w, &h, &n, 4), stbi_image_free);
  if (!px) throw std::runtime_error(shown + ": not a PNG image this reads (" + printable(stbi_failure_reason()) + ")");
  return sprite_from_rgba(px.get(), w, h, size, shown);
}

std::vector<uint8_t> sprite_from_rgba(const uint8_t* rgba, int w, int h, int size, const std::string& shown) {
  // A one-sprite sheet as grid_image writes it (`sprites sample --count 1`, the page's "Download
  // sprite") has a 1-pixel gutter around the sprite; a multiple of `size` never leaves 2 over.
  const int border = w % size == 2 % size && size > 2 ? 1 : 0;
  if (w != h || (w - 2 * border) % size != 0)
    throw std::runtime_error(shown + ": " + std::to_string(w) + "x" + std::to_string(h) + " pixels; sprites are " + std::to_string(size) +
                             "x" + std::to_string(size) + " or a square multiple (" + std::to_string(2 * size) + "x" + std::to_string(2 * size) + ", ...)");
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
