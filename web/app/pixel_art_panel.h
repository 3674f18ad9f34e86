// The "Pixel art" panel: each sprite's colours limited to a few and painted in a game's palette
// (shared/sprite_colours.h). The settings are the link's (ShareState colours, palette); the grid as
// shown, downloaded and varied is shown_grid.h's. Open on a desktop below Generate, closed on a
// phone, where the context sliders must stay on the first screen below the views.
#pragma once
#include "shown_grid.h"

#include <string>

namespace sprites {

struct Studio;

struct PixelArt {
  ShownGrid shown;             // the grid with the look applied
  std::string tex_look;        // the look the grid's texture was drawn with (grid_look)
  char field[640] = "";        // the Palette field as typed (64 colours fit)
  std::string synced;          // the state's palette when the field last matched it
  std::string error;           // why the field is not a palette (the last good one stays)
};

void pixel_art_panel(Studio& s);

}  // namespace sprites
