#include "shown_grid.h"

#include "checksum.h"

namespace sprites {

std::string grid_look(int colours, const Palette& palette) {
  return colours == 0 && palette.empty() ? "" : std::to_string(colours) + "/" + format_palette(palette);
}

const std::vector<uint8_t>& ShownGrid::pixels(const Generation& gen, int colours, const Palette& palette) const {
  const std::string look = grid_look(colours, palette);
  if (look.empty()) return gen.pixels();
  // A generation's checksum is of its finished pixels; one advanced elsewhere may not have it yet.
  const std::string key = (gen.checksum().empty() ? fnv1a64_hex(gen.pixels()) : gen.checksum()) + "/" + look;
  if (key != key_) {
    pixels_ = limit_colours(gen.pixels(), 16, colours, palette);
    checksum_ = fnv1a64_hex(pixels_);
    key_ = key;
  }
  return pixels_;
}

const std::string& ShownGrid::checksum(const Generation& gen, int colours, const Palette& palette) const {
  if (grid_look(colours, palette).empty()) return gen.checksum();
  pixels(gen, colours, palette);
  return checksum_;
}

}  // namespace sprites
