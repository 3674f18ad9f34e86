// The forward process as training sees it (lab 2): a sprite noised to timestep t,
// x_t = sqrt(abar_t) x_0 + sqrt(1 - abar_t) eps, and the network's one look at x_t: the noise it
// predicts, drawn as the clean sprite that noise implies, and how far that noise is from eps (the
// training loss at t, for one draw). The noise is the one variations at strength t/T start from.
#pragma once
#include "sample.h"

#include <cstdint>
#include <vector>

namespace sprites {

struct ForwardLook {
  int t = 0;
  float signal = 1, noise = 0;   // sqrt(abar_t), sqrt(1 - abar_t)
  std::vector<uint8_t> x_t, x0;  // RGB8: the noised sprite, the network's guess of the clean one
  double loss = 0;               // mean squared error of the predicted noise against eps
};

// What the Noising view and `sprites noising` show: the sprite at t = 0, T/10, ..., T in a strip,
// and the noise error at every `every`-th timestep from `every` to T.
constexpr int kNoisedStripColumns = 11;
std::vector<int> strip_timesteps(int T);
std::vector<int> curve_timesteps(int T, int every);

// `sprite` (RGB8) noised to each of `ts` (0 gives the sprite), side by side as one RGB8 run of
// sprites, with the noise of sprite p.first_index of seed p.seed.
std::vector<uint8_t> noised_sprites(const Schedule& s, const SampleParams& p, const std::vector<uint8_t>& sprite, const std::vector<int>& ts);

// The network's looks at the sprite noised to each of `ts` (1..T), in one batch, with p's context
// and without guidance (training sees the conditional network alone). Throws std::invalid_argument.
std::vector<ForwardLook> look_at_noised(UnetXnn& net, const Schedule& s, const SampleParams& p, const std::vector<uint8_t>& sprite,
                                        const std::vector<int>& ts);

// The strip `sprites noising --out` writes and the Noising view downloads: the sprite noised to
// strip_timesteps(T) in one row, and under it the sprite itself, then the network's guess of it
// from each of those looks (at t = 0 there is nothing to guess): 2 x kNoisedStripColumns sprites.
std::vector<uint8_t> noising_strip(UnetXnn& net, const Schedule& s, const SampleParams& p, const std::vector<uint8_t>& sprite);

}  // namespace sprites
