// The "Noising" view (lab 2's forward process): the selected sprite, or the starting sprite of
// variations, noised to a timestep t chosen with a slider, beside the network's guess of the clean
// sprite from that one look and its noise error (forward_process.h); a strip shows t = 0..T, and a
// curve the noise error at every tenth timestep, the quantity training averages: for the model in
// use, or ("Over training") for each checkpoint of its run, epoch 0 to the end.
#pragma once
#include "forward_process.h"
#include "sprite_texture.h"

#include <cstdint>
#include <string>
#include <vector>

namespace sprites {

struct Studio;

struct NoiseErrorCurve {
  std::string weights;         // a library key
  std::string label;           // "this model", "epoch 4", ...
  std::vector<double> values;  // at NoisingView::curve_ts[0..size): filled a batch a frame
  std::string error;           // its weights could not be had
};

struct NoisingView {
  std::vector<uint8_t> sprite;   // RGB8, the last one given: it stays while a new grid is drawn
  std::string sprite_key;        // the sprite, weights, context, noise and curves shown
  int shown_t = -1;              // the timestep `look` shows
  SpriteTexture strip, x_t, x0;
  ForwardLook look;
  std::vector<int> curve_ts;     // t = 10, 20, ..., T
  std::vector<NoiseErrorCurve> curves;
  std::string source;            // "sprite N of the grid" or "the starting sprite (Variations)"
  std::string error;
};

void noising_view(Studio& s);

}  // namespace sprites
