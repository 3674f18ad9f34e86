// PNG encoding (stb_image_write) with tEXt chunks, so a saved sprite grid carries the parameters
// that reproduce it. Also lays sprites out in a grid, nearest-neighbour upscaled. RGB, or RGBA for
// sprites with a transparent background (sprite_background.h).
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace sprites {

struct Image {
  int width = 0, height = 0;
  std::vector<uint8_t> pixels;  // width * height * channels, row-major
  int channels = 3;             // 3: RGB; 4: RGBA
};

// Columns of a square-ish grid of `count` sprites.
int grid_columns(int count);

// sprites: count images of size x size pixels of `channels` bytes (HWC); 1-px gutters between
// cells, white, or transparent for RGBA.
Image grid_image(const std::vector<uint8_t>& sprites, int count, int size, int cols, int scale, int channels = 3);

// Width and height of grid_image's result, known before there are sprites to lay out.
std::pair<int64_t, int64_t> grid_size(int count, int size, int cols, int scale);
// Where sprite k's top-left pixel lies in grid_image's result (after the gutters before it).
std::pair<int64_t, int64_t> grid_cell_origin(int k, int size, int cols, int scale);

// Whether encode_png can write an image this large: stb_image_write counts the filtered image's
// bytes in an int, so height * (width * channels + 1) must stay below 2^31.
bool png_can_encode(int64_t width, int64_t height, int channels = 3);

// Throws std::runtime_error if encoding fails.
std::vector<uint8_t> encode_png(const Image& img, const std::vector<std::pair<std::string, std::string>>& text);

// An animated PNG (APNG) of equally sized frames, frame i shown delays_ms[i], looping forever;
// browsers play it, and viewers without APNG show the first frame. Throws std::runtime_error on
// frames of different sizes or a failed encoding.
std::vector<uint8_t> encode_apng(const std::vector<Image>& frames, const std::vector<int>& delays_ms,
                                 const std::vector<std::pair<std::string, std::string>>& text);

}  // namespace sprites
