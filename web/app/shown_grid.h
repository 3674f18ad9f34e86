// The main grid as the page shows, downloads, varies and noises it: the sampler's finished pixels
// with each sprite's colours limited and painted as the link asks (colours=, palette=;
// shared/sprite_colours.h). The lab views and the denoising view show the sampler's own pixels.
#pragma once
#include "generation.h"
#include "sprite_colours.h"

#include <string>
#include <vector>

namespace sprites {

// What the grid's look depends on besides its pixels; "" for the sampler's own.
std::string grid_look(int colours, const Palette& palette);

class ShownGrid {
 public:
  // Of a finished generation; recomputed only when its pixels (their checksum) or the look change.
  const std::vector<uint8_t>& pixels(const Generation& gen, int colours, const Palette& palette) const;
  const std::string& checksum(const Generation& gen, int colours, const Palette& palette) const;

 private:
  mutable std::string key_, checksum_;  // a cache: the same inputs give the same pixels
  mutable std::vector<uint8_t> pixels_;
};

}  // namespace sprites
