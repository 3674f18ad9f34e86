// The "Noising" view (lab 2's forward process): the selected sprite, or the starting sprite of
// variations, noised to a timestep t chosen with a slider, beside the network's guess of the clean
// sprite from that one look and its noise error (forward_process.h); a strip shows t = 0..T.
#pragma once
#include "forward_process.h"
#include "sprite_texture.h"

#include <string>

namespace sprites {

struct Studio;

struct NoisingView {
  std::string shown;     // what the textures show (sprite, t, weights, context, seed), redrawn when it changes
  SpriteTexture strip, x_t, x0;
  ForwardLook look;
  std::string source;    // "sprite N of the grid" or "the starting sprite"
  std::string error;
};

void noising_view(Studio& s);

}  // namespace sprites
