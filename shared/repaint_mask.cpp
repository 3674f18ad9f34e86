#include "repaint_mask.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace sprites {

void check_repaint_mask(const std::vector<uint8_t>& mask, size_t pixels) {
  if (mask.size() != pixels)
    throw std::invalid_argument("the mask has " + std::to_string(mask.size()) + " pixels; the sprite has " + std::to_string(pixels));
  if (std::any_of(mask.begin(), mask.end(), [](uint8_t m) { return m > 1; }))
    throw std::invalid_argument("a mask's pixels are 0 (kept) or 1 (redrawn)");
  if (redrawn_pixels(mask) == 0) throw std::invalid_argument("the mask marks no pixel to redraw");
}

size_t redrawn_pixels(const std::vector<uint8_t>& mask) {
  return static_cast<size_t>(std::count_if(mask.begin(), mask.end(), [](uint8_t m) { return m != 0; }));
}

void noise_start(const Schedule& s, int t, const std::vector<uint8_t>& start, size_t img, const float* z, float* x, size_t count,
                 const std::vector<uint8_t>& mask) {
  const float a = std::sqrt(s.ab[static_cast<size_t>(t)]), sg = std::sqrt(1 - s.ab[static_cast<size_t>(t)]);
  const size_t channels = mask.empty() ? 1 : img / mask.size();
  const bool one_each = start.size() != img;
  for (size_t k = 0; k < count; ++k) {
    const uint8_t* from = start.data() + (one_each ? k * img : 0);
    for (size_t c = 0; c < img; ++c)
      if (mask.empty() || !mask[c / channels]) {
        const size_t j = k * img + c;
        x[j] = a * (from[c] / 127.5f - 1) + sg * z[j];
      }
  }
}

std::vector<uint8_t> pack_mask(const std::vector<uint8_t>& mask) {
  std::vector<uint8_t> bits((mask.size() + 7) / 8, 0);
  for (size_t i = 0; i < mask.size(); ++i)
    if (mask[i]) bits[i / 8] |= static_cast<uint8_t>(0x80u >> (i % 8));
  return bits;
}

std::vector<uint8_t> unpack_mask(const std::vector<uint8_t>& bits, size_t pixels) {
  std::vector<uint8_t> mask(pixels);
  for (size_t i = 0; i < pixels && i / 8 < bits.size(); ++i) mask[i] = (bits[i / 8] >> (7 - i % 8)) & 1;
  return mask;
}

std::vector<uint8_t> mask_from_rgb8(const std::vector<uint8_t>& rgb) {
  std::vector<uint8_t> mask(rgb.size() / 3);
  for (size_t p = 0; p < mask.size(); ++p) mask[p] = rgb[3 * p] + rgb[3 * p + 1] + rgb[3 * p + 2] > 3 * 127;
  return mask;
}

}  // namespace sprites
