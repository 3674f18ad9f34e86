// What "Download grid", "Download atlas" and "Download sprite" save: the grid as a sprite sheet
// (PNG, its link in a tEXt chunk, 8x, RGBA with "Transparent background"), that sheet's atlas for a
// game framework (sprite_atlas.h) under a matching name, and the selected sprite alone.
#pragma once

namespace sprites {

struct Studio;

void download_grid(const Studio& s);
void download_atlas(const Studio& s);
// Sprite k alone reproduces with first_index k (noise is keyed by sprite index): its PNG says so.
void download_sprite(const Studio& s);

}  // namespace sprites
