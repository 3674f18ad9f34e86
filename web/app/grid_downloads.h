// What "Download grid", "Download atlas" and "Download sprite" save: the grid as a sprite sheet
// (PNG, its link in a tEXt chunk, 8x, RGBA with "Transparent background"), that sheet's atlas for a
// game framework (sprite_atlas.h) under a matching name, and the selected sprite alone.
#pragma once
#include <string>
#include <utility>
#include <vector>

namespace sprites {

struct Studio;

// Every PNG the page saves (these, the denoising animation, a lab view's): 8 screen pixels a sprite
// pixel, and its tEXt chunks: the program, the link that draws it again (none where no one link
// does), and what it shows.
constexpr int kDownloadScale = 8;
std::vector<std::pair<std::string, std::string>> download_text(const std::string& parameters, const std::string& description = "");

void download_grid(const Studio& s);
void download_atlas(const Studio& s);
// Sprite k alone reproduces with first_index k (noise is keyed by sprite index): its PNG says so.
void download_sprite(const Studio& s);

}  // namespace sprites
