#include "png_writer.h"

#define STB_IMAGE_WRITE_IMPLEMENTATION
#define STBI_WRITE_NO_STDIO
#include <stb/stb_image_write.h>

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace sprites {

int grid_columns(int count) {
  int cols = 1;
  while (cols * cols < count) ++cols;
  return cols;
}

std::pair<int64_t, int64_t> grid_size(int count, int size, int cols, int scale) {
  const int64_t rows = (count + cols - 1) / cols, cell = int64_t{size} * scale + 1;
  return {cols * cell + 1, rows * cell + 1};
}

std::pair<int64_t, int64_t> grid_cell_origin(int k, int size, int cols, int scale) {
  const int64_t cell = int64_t{size} * scale + 1;
  return {(k % cols) * cell + 1, (k / cols) * cell + 1};
}

bool png_can_encode(int64_t width, int64_t height, int channels) {
  return width > 0 && height > 0 && height * (width * channels + 1) <= std::numeric_limits<int>::max();
}

Image grid_image(const std::vector<uint8_t>& sprites, int count, int size, int cols, int scale, int channels) {
  const auto [width, height] = grid_size(count, size, cols, scale);
  Image img{static_cast<int>(width), static_cast<int>(height), {}, channels};
  img.pixels.assign(static_cast<size_t>(img.width) * img.height * channels, 255);
  if (channels == 4)  // transparent gutters
    for (size_t i = 3; i < img.pixels.size(); i += 4) img.pixels[i] = 0;
  for (int k = 0; k < count; ++k) {
    const auto [x0, y0] = grid_cell_origin(k, size, cols, scale);
    for (int y = 0; y < size * scale; ++y)
      for (int x = 0; x < size * scale; ++x)
        for (int c = 0; c < channels; ++c)
          img.pixels[((static_cast<size_t>(y0) + y) * img.width + x0 + x) * channels + c] =
              sprites[((static_cast<size_t>(k) * size + y / scale) * size + x / scale) * channels + c];
  }
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

// One chunk: length, type and body, CRC of type and body.
static void put_chunk(std::vector<uint8_t>& out, const char* type, const std::vector<uint8_t>& body) {
  std::vector<uint8_t> typed(type, type + 4);
  typed.insert(typed.end(), body.begin(), body.end());
  put_be32(out, static_cast<uint32_t>(body.size()));
  out.insert(out.end(), typed.begin(), typed.end());
  put_be32(out, crc32(typed.data(), typed.size()));
}

static std::vector<uint8_t> text_chunks(const std::vector<std::pair<std::string, std::string>>& text) {
  std::vector<uint8_t> chunks;
  for (const auto& [key, value] : text) {
    std::vector<uint8_t> body(key.begin(), key.end());
    body.push_back(0);
    body.insert(body.end(), value.begin(), value.end());
    put_chunk(chunks, "tEXt", body);
  }
  return chunks;
}

static std::vector<uint8_t> stb_png(const Image& img) {
  std::vector<uint8_t> png;
  auto sink = [](void* ctx, void* data, int size) {
    auto* out = static_cast<std::vector<uint8_t>*>(ctx);
    out->insert(out->end(), static_cast<uint8_t*>(data), static_cast<uint8_t*>(data) + size);
  };
  if (img.channels != 3 && img.channels != 4) throw std::runtime_error("PNG: RGB or RGBA images only");
  if (!png_can_encode(img.width, img.height, img.channels))
    throw std::runtime_error("a " + std::to_string(img.width) + "x" + std::to_string(img.height) + " image is too large for PNG encoding");
  if (!stbi_write_png_to_func(sink, &png, img.width, img.height, img.channels, img.pixels.data(), img.width * img.channels))
    throw std::runtime_error("PNG encoding failed");
  return png;
}

// Signature (8 bytes) + IHDR chunk (25 bytes): where chunks after IHDR go.
constexpr size_t kAfterIhdr = 33;

std::vector<uint8_t> encode_png(const Image& img, const std::vector<std::pair<std::string, std::string>>& text) {
  std::vector<uint8_t> png = stb_png(img);
  const auto chunks = text_chunks(text);
  png.insert(png.begin() + kAfterIhdr, chunks.begin(), chunks.end());
  return png;
}

// The compressed image data of a PNG stb wrote: its IDAT chunks' bodies, in order.
static std::vector<uint8_t> idat_data(const std::vector<uint8_t>& png) {
  std::vector<uint8_t> data;
  for (size_t at = 8; at + 12 <= png.size();) {
    const uint32_t len = (uint32_t(png[at]) << 24) | (uint32_t(png[at + 1]) << 16) | (uint32_t(png[at + 2]) << 8) | png[at + 3];
    if (std::equal(png.begin() + at + 4, png.begin() + at + 8, "IDAT")) data.insert(data.end(), png.begin() + at + 8, png.begin() + at + 8 + len);
    at += 12 + len;
  }
  return data;
}

// stb_image_write compresses each frame; the animation chunks around them (acTL, fcTL, fdAT; APNG
// 1.0) are written here, since no library the wasm build has writes APNG.
std::vector<uint8_t> encode_apng(const std::vector<Image>& frames, const std::vector<int>& delays_ms,
                                 const std::vector<std::pair<std::string, std::string>>& text) {
  if (frames.empty() || delays_ms.size() != frames.size()) throw std::runtime_error("APNG: one delay per frame, at least one frame");
  const Image& first = frames.front();
  for (const Image& f : frames)
    if (f.width != first.width || f.height != first.height || f.channels != first.channels) throw std::runtime_error("APNG: frames differ in size or channels");
  const std::vector<uint8_t> head = stb_png(first);
  std::vector<uint8_t> out(head.begin(), head.begin() + kAfterIhdr);
  std::vector<uint8_t> actl;
  put_be32(actl, static_cast<uint32_t>(frames.size()));
  put_be32(actl, 0);  // plays: forever
  put_chunk(out, "acTL", actl);
  const auto texts = text_chunks(text);
  out.insert(out.end(), texts.begin(), texts.end());
  uint32_t sequence = 0;
  for (size_t i = 0; i < frames.size(); ++i) {
    std::vector<uint8_t> fctl;
    put_be32(fctl, sequence++);
    put_be32(fctl, static_cast<uint32_t>(first.width));
    put_be32(fctl, static_cast<uint32_t>(first.height));
    put_be32(fctl, 0);  // x offset
    put_be32(fctl, 0);  // y offset
    const int delay = std::max(0, std::min(delays_ms[i], 65535));
    fctl.insert(fctl.end(), {static_cast<uint8_t>(delay >> 8), static_cast<uint8_t>(delay & 255), 0x03, 0xe8});  // delay / 1000 s
    fctl.insert(fctl.end(), {0, 0});  // dispose none, blend source
    put_chunk(out, "fcTL", fctl);
    const std::vector<uint8_t> data = idat_data(i == 0 ? head : stb_png(frames[i]));
    if (i == 0) {
      put_chunk(out, "IDAT", data);  // the first frame is also the still image
    } else {
      std::vector<uint8_t> fdat;
      put_be32(fdat, sequence++);
      fdat.insert(fdat.end(), data.begin(), data.end());
      put_chunk(out, "fdAT", fdat);
    }
  }
  put_chunk(out, "IEND", {});
  return out;
}

}  // namespace sprites
