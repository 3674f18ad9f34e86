// One sprite from a PNG file's bytes, as the model draws them: RGB8, size x size. Pixel art drawn
// larger (a k x k square per pixel: 32x32, 48x48, ...) is averaged back down, which gives each
// pixel exactly), and a sheet of one sprite as this project writes them (1-pixel gutter around) is
// that sprite; transparent pixels are laid over white, the dataset's background. Training sets
// (native/common/sprite_folder.h) and the starting sprite of variations (sample.h) read sprites so.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace sprites {

// Sprites drawn larger than this many times their size are refused; `sprites sample --scale` draws
// up to it, so every sheet the CLI writes reads back.
constexpr int kMaxSpriteScale = 64;

// Throws std::runtime_error with one line starting with `shown` (the file's name) if the bytes are
// not a PNG stb_image decodes, or not a square multiple of `size` (up to kMaxSpriteScale).
std::vector<uint8_t> decode_sprite_png(const std::vector<uint8_t>& bytes, int size, const std::string& shown);

// The same from pixels already decoded (width x height RGBA, not premultiplied): the page lets the
// browser decode, which keeps stb_image out of its wasm.
std::vector<uint8_t> sprite_from_rgba(const uint8_t* rgba, int width, int height, int size, const std::string& shown);

// A sheet's sprites are at most this many (`sprites sample --count`'s limit) and its sides at most
// this many pixels (a 4096x4096 RGBA image inflates to 64 MB, the decoder's bound).
constexpr int kMaxSheetSprites = 1024;
constexpr int kMaxSheetSide = 4096;

// Every sprite of a sheet as grid_image lays them out (`sprites sample`, the page's downloads: cells
// of size x scale pixels with 1-pixel gutters), row by row, RGB8 count x size x size x 3; its empty
// last cells (all white or all transparent) are left out. A file decode_sprite_png reads is a sheet of
// that one sprite. Throws std::runtime_error with one line starting with `shown`.
std::vector<uint8_t> decode_sprite_sheet_png(const std::vector<uint8_t>& bytes, int size, const std::string& shown);

}  // namespace sprites
