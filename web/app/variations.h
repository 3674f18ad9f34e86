// Variations of a sprite in the studio (image-to-image, sample.h): the selected sprite of the grid,
// or a PNG the user opens or drops, becomes where every sprite of the next grids starts, noised by
// the strength. The sprite itself travels in the share link (init=), so a link to variations opens
// anywhere with the same pixels.
#pragma once
#include "mask_painter.h"
#include "sprite_texture.h"

#include <cstdint>
#include <string>
#include <vector>

namespace sprites {

struct Studio;

struct Variations {
  SpriteTexture tex;           // the starting sprite, in the panel
  std::vector<uint8_t> shown;  // the sprite tex holds
  std::string error;           // a PNG that could not be used
  MaskPainter painter;         // the pixels to redraw, painted on the starting sprite (the mask is in state)
};

// "Variations of sprite N": the selected sprite of the finished grid becomes the start, and a grid
// of its variations is generated. Beside the enlarged sprite on a desktop, beside "Save sprite" under
// the downloads on a phone once a sprite is tapped.
void variations_button(Studio& s);
// The Variations header and panel: the starting sprite with its strength, the pixels to redraw
// painted on it, and the way back to noise; or how to start. It opens by itself when a new starting sprite arrives.
void variations_panel(Studio& s);
// An image opened or dropped on the page, as the browser decoded it (RGBA; null if it could not):
// its sprite becomes the start (a grid follows), or a message.
void variations_open_image(Studio& s, const std::string& name, const uint8_t* rgba, int width, int height);

}  // namespace sprites
