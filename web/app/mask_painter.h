// Painting which pixels of the starting sprite are redrawn (repaint_mask.h): the sprite enlarged,
// the painted pixels tinted over it. A drag paints (with the right button, or in Erase mode, it
// erases); a stroke is one edit, so the studio generates once it ends, not at every pixel.
#pragma once
#include <cstdint>
#include <vector>

namespace sprites {

struct MaskPainter {
  bool erase = false;  // the left button (a finger) erases
  int brush = 1;       // the brush's side, in sprite pixels
  bool changed = false;         // the stroke under way has changed the mask
  int last_x = -1, last_y = -1;  // where the stroke was last frame, in sprite pixels
};

// Draws the sprite of `tex` (an 18x18 SpriteTexture of one 16x16 sprite) `side` CSS pixels wide
// with `mask` (pixels x pixels bytes, 1 painted; empty: none) over it, and edits it with the mouse or
// a finger. Returns true on the frame a stroke that changed the mask ends.
bool paint_mask(MaskPainter& m, void* tex, int pixels, float side, std::vector<uint8_t>& mask);

}  // namespace sprites
