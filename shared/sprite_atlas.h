// A sprite sheet's atlas: where each sprite of grid_image's layout lies, in the JSON "hash" format
// TexturePacker writes and game frameworks read beside a sheet (PixiJS's Spritesheet, Phaser's
// load.atlas, and others), so a sheet the CLI writes loads as named frames without measuring it.
#pragma once
#include <string>
#include <vector>

namespace sprites {

struct AtlasSheet {
  std::string image;  // the sheet's file name as the atlas refers to it (relative to the atlas)
  int count = 0, size = 16, cols = 1, scale = 1;
  bool transparent = false;  // RGBA (RGBA8888) or RGB (RGB888)
  int first_index = 0;       // sprite k's frame is "sprite_<first_index + k>": the link's sprite number
};

// The atlas text: a frame per sprite, and the sheet's order as the animation "sheet".
std::string sprite_atlas_json(const AtlasSheet& sheet);

}  // namespace sprites
