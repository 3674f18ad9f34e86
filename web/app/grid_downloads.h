// What "Download grid", "Download atlas" and "Download sprite" save: the grid as a sprite sheet
// (PNG, its link in a tEXt chunk, at the chosen size, RGBA with "Transparent background"), that
// sheet's atlas for a game framework (sprite_atlas.h) under a matching name, and the selected sprite
// alone; and the widgets of the settings they follow (download_settings.h), stored in the browser.
#pragma once
#include <string>
#include <utility>
#include <vector>

namespace sprites {

struct Studio;

// The lab views' pictures (the denoising animation, the noising strip, a lab view's rows): 8 screen
// pixels a sprite pixel, to be looked at.
constexpr int kLabDownloadScale = 8;
// Every PNG the page saves has these tEXt chunks: the program, the link that draws it again (none
// where no one link does), and what it shows.
std::vector<std::pair<std::string, std::string>> download_text(const std::string& parameters, const std::string& description = "");

void download_grid(const Studio& s);
void download_atlas(const Studio& s);
// Sprite k alone reproduces with first_index k (noise is keyed by sprite index): its PNG says so.
void download_sprite(const Studio& s);

// Reads the settings the browser kept from an earlier visit; damaged ones give the defaults and a
// line under "Download size".
void download_settings_load(Studio& s);
// "Transparent background" and "Download size" (1x 2x 4x 8x): a change is stored at once.
void transparent_checkbox(Studio& s);
void download_size_combo(Studio& s);

}  // namespace sprites
