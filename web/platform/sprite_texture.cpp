#include "sprite_texture.h"

#include "png_writer.h"

#include <GLES3/gl3.h>

namespace sprites {

SpriteTexture::~SpriteTexture() {
  if (tex_) glDeleteTextures(1, &tex_);
}

void SpriteTexture::upload(const std::vector<uint8_t>& pixels, int count, int size, int cols, int channels) {
  const Image img = grid_image(pixels, count, size, cols, 1, channels);
  if (!tex_) {
    glGenTextures(1, &tex_);
    glBindTexture(GL_TEXTURE_2D, tex_);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  }
  glBindTexture(GL_TEXTURE_2D, tex_);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
  const bool rgba = channels == 4;
  glTexImage2D(GL_TEXTURE_2D, 0, rgba ? GL_RGBA8 : GL_RGB8, img.width, img.height, 0, rgba ? GL_RGBA : GL_RGB, GL_UNSIGNED_BYTE, img.pixels.data());
  w_ = img.width;
  h_ = img.height;
  cols_ = cols;
}

}  // namespace sprites
