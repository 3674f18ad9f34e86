#include "png_writer.h"

#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STBI_WRITE_NO_STDIO
#include <stb/stb_image_write.h>

#include <stdexcept>

namespace sprites {

int grid_columns(int count) {
  int cols = 1;
  while (cols * cols < count) ++cols;
  return cols;
}

RgbImage grid_image(const std::vector<uint8_t>& sprites, int count, int size, int cols, int scale) {
  const int rows = (count + cols - 1) / cols, cell = size * scale + 1;
  RgbImage img{cols * cell + 1, rows * cell + 1, {}};
  img.rgb.assign(static_cast<size_t>(img.width) * img.height * 3, 255);
  for (int k = 0; k < count; ++k)
    for (int y = 0; y < size * scale; ++y)
      for (int x = 0; x < size * scale; ++x)
        for (int c = 0; c < 3; ++c)
          img.rgb[((static_cast<size_t>(k / cols) * cell + 1 + y) * img.width + (k % cols) * cell + 1 + x) * 3 + c] =
              sprites[((static_cast<size_t>(k) * size + y / scale) * size + x / scale) * 3 + c];
  return img;
}

static uint32_t crc32(const uint8_t* p, size_t n, uint32_t crc = 0) {
  crc = ~crc;
  for (size_t i = 0; i < n; ++i) {
    crc ^= p[i];
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

static void put_be32(std::vector<uint8_t>& v, uint32_t x) {
  for (int s = 24; s >= 0; s -= 8) v.push_back(static_cast<uint8_t>(x >> s));
}

std::vector<uint8_t> encode_png(const RgbImage& img, const std::vector<std::pair<std::string, std::string>>& text) {
  std::vector<uint8_t> png;
  auto sink = [](void* ctx, void* data, int size) {
    auto* out = static_cast<std::vector<uint8_t>*>(ctx);
    out->insert(out->end(), static_cast<uint8_t*>(data), static_cast<uint8_t*>(data) + size);
  };
  if (!stbi_write_png_to_func(sink, &png, img.width, img.height, 3, img.rgb.data(), img.width * 3))
    throw std::runtime_error("PNG encoding failed");
  // tEXt chunks go right after IHDR (8-byte signature + 25-byte IHDR chunk).
  std::vector<uint8_t> chunks;
  for (const auto& [key, value] : text) {
    std::vector<uint8_t> body = {'t', 'E', 'X', 't'};
    body.insert(body.end(), key.begin(), key.end());
    body.push_back(0);
    body.insert(body.end(), value.begin(), value.end());
    put_be32(chunks, static_cast<uint32_t>(body.size() - 4));
    chunks.insert(chunks.end(), body.begin(), body.end());
    put_be32(chunks, crc32(body.data(), body.size()));
  }
  png.insert(png.begin() + 33, chunks.begin(), chunks.end());
  return png;
}

}  // namespace sprites
