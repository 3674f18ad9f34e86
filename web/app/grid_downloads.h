// What "Download grid" and "Download atlas" save: the grid as a sprite sheet (PNG, its link in a
// tEXt chunk, 8x, RGBA with "Transparent background"), and that sheet's atlas for a game
// framework (sprite_atlas.h), under matching names.
#pragma once

namespace sprites {

struct Studio;

void download_grid(const Studio& s);
void download_atlas(const Studio& s);

}  // namespace sprites
