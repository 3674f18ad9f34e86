// A GL texture holding a grid of sprites (1-px gutters), sampled nearest-neighbour for crisp pixels.
#pragma once
#include <cstdint>
#include <vector>

namespace sprites {

class SpriteTexture {
 public:
  ~SpriteTexture();
  // pixels: count sprites of size x size, HWC, RGB or (channels 4) RGBA.
  void upload(const std::vector<uint8_t>& pixels, int count, int size, int cols, int channels = 3);
  void* id() const { return reinterpret_cast<void*>(static_cast<intptr_t>(tex_)); }
  int width() const { return w_; }
  int height() const { return h_; }
  int cols() const { return cols_; }
  bool empty() const { return tex_ == 0; }

 private:
  unsigned tex_ = 0;
  int w_ = 0, h_ = 0, cols_ = 1;
};

}  // namespace sprites
