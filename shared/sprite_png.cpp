#include "sprite_png.h"

#include "png_writer.h"
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

bool is_one_sprite(int w, int h, int size) {
  const int border = gutter(w, size);
  return w == h && w >= size && (w - 2 * border) % size == 0 && w <= kMaxSpriteScale * size + 2;
}

// Checked before decoding, so a file that claims a huge image is refused before its pixels take memory.
void check_sprite_shape(int w, int h, int size, const std::string& shown) {
  if (!is_one_sprite(w, h, size))
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

using Pixels = std::unique_ptr<stbi_uc, void (*)(void*)>;

int png_length(const std::vector<uint8_t>& bytes) { return static_cast<int>(std::min<size_t>(bytes.size(), INT_MAX)); }

void png_size(const std::vector<uint8_t>& bytes, int& w, int& h, const std::string& shown) {
  int n = 0;
  if (!stbi_info_from_memory(bytes.data(), png_length(bytes), &w, &h, &n))
    throw std::runtime_error(shown + ": not a PNG image this reads (" + printable(stbi_failure_reason()) + ")");
}

// RGBA pixels, once the file's size has been checked against what it should hold.
Pixels png_pixels(const std::vector<uint8_t>& bytes, const std::string& shown) {
  check_chunk_lengths(bytes, shown);
  png_allocation_refused = false;
  int w = 0, h = 0, n = 0;
  Pixels px(stbi_load_from_memory(bytes.data(), png_length(bytes), &w, &h, &n, 4), stbi_image_free);
  if (!px && png_allocation_refused)
    throw std::runtime_error(shown + ": a damaged PNG (its pixel data inflates past " + std::to_string(kMaxPngAllocation >> 20) +
                             " MB, more than any sprite needs)");
  if (!px) throw std::runtime_error(shown + ": not a PNG image this reads (" + printable(stbi_failure_reason()) + ")");
  return px;
}

// Whether every gutter line of grid_image's layout at this cell size is white or transparent, as it
// writes them: what tells a sheet from one sprite drawn large whose size happens to fit a layout too.
bool has_gutters(const stbi_uc* rgba, int w, int h, int cell) {
  auto blank = [&](int x, int y) {
    const stbi_uc* p = rgba + (static_cast<size_t>(y) * w + x) * 4;
    return p[3] == 0 || (p[0] == 255 && p[1] == 255 && p[2] == 255);
  };
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; x += (y % cell == 0 ? 1 : cell))
      if (!blank(x, y)) return false;
  return true;
}

// The scale of grid_image's layout (width = cols x (size x scale + 1) + 1, and so the height) with
// more than one cell whose gutters are there, the largest if several fit; 0 if none.
int sheet_scale(const stbi_uc* rgba, int w, int h, int size) {
  for (int k = kMaxSpriteScale; k >= 1; --k) {
    const int cell = size * k + 1, cols = (w - 1) / cell, rows = (h - 1) / cell;
    if ((w - 1) % cell == 0 && (h - 1) % cell == 0 && cols >= 1 && rows >= 1 && cols * rows > 1 && has_gutters(rgba, w, h, cell)) return k;
  }
  return 0;
}

}  // namespace

std::vector<uint8_t> decode_sprite_png(const std::vector<uint8_t>& bytes, int size, const std::string& shown) {
  int w = 0, h = 0;
  png_size(bytes, w, h, shown);
  check_sprite_shape(w, h, size, shown);
  const Pixels px = png_pixels(bytes, shown);
  return sprite_from_rgba(px.get(), w, h, size, shown);
}

std::vector<uint8_t> decode_sprite_sheet_png(const std::vector<uint8_t>& bytes, int size, const std::string& shown) {
  int w = 0, h = 0;
  png_size(bytes, w, h, shown);
  const bool one = is_one_sprite(w, h, size);
  const std::string sizes = shown + ": " + std::to_string(w) + "x" + std::to_string(h) + " pixels; neither a " + std::to_string(size) + "x" +
                            std::to_string(size) + " sprite (or a square multiple) nor a sheet of them with 1-pixel gutters, as sprites sample writes";
  if (!one && (w > kMaxSheetSide || h > kMaxSheetSide)) throw std::runtime_error(sizes + ", up to " + std::to_string(kMaxSheetSide) + " pixels a side");
  if (!one && (w < size || h < size)) throw std::runtime_error(sizes);
  const Pixels px = png_pixels(bytes, shown);
  const int scale = sheet_scale(px.get(), w, h, size), cell = size * scale + 1;
  if (scale == 0) {
    if (one) return sprite_from_rgba(px.get(), w, h, size, shown);
    throw std::runtime_error(sizes);
  }
  const int cols = (w - 1) / cell, rows = (h - 1) / cell;
  if (cols * rows > kMaxSheetSprites)
    throw std::runtime_error(shown + ": a sheet of " + std::to_string(cols * rows) + " sprites; at most " + std::to_string(kMaxSheetSprites));
  const int side = cell + 1;  // a cell with the gutter around it: what sprite_from_rgba reads as one sprite
  std::vector<uint8_t> rgb, cell_px(static_cast<size_t>(side) * side * 4);
  std::vector<bool> empty;
  for (int k = 0; k < cols * rows; ++k) {
    const auto [x0, y0] = grid_cell_origin(k, size, cols, scale);  // the cell's first pixel; its gutter is one before
    for (int y = 0; y < side; ++y) {
      const stbi_uc* row = px.get() + ((static_cast<size_t>(y0 - 1) + y) * w + static_cast<size_t>(x0 - 1)) * 4;
      std::copy(row, row + side * 4, cell_px.begin() + static_cast<long>(y) * side * 4);
    }
    const auto sprite = sprite_from_rgba(cell_px.data(), side, side, size, shown);
    rgb.insert(rgb.end(), sprite.begin(), sprite.end());
    empty.push_back(std::all_of(sprite.begin(), sprite.end(), [](uint8_t v) { return v == 255; }));  // transparent is white by now
  }
  size_t count = empty.size();
  while (count > 1 && empty[count - 1]) --count;
  rgb.resize(count * size * size * 3);
  return rgb;
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
