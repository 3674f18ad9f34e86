// A GL texture holding a grid of sprites (1-px gutters), sampled nearest-neighbour for crisp pixels.
#pragma once
#include <cstdint>
#include <vector>

namespace sprites {

class SpriteTexture {
 public:
  ~SpriteTexture();
  // rgb: count sprites of size x size, HWC.
  void upload(const std::vector<uint8_t>& rgb, int count, int size, int cols);
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
