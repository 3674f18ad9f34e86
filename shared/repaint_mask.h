// Repainting part of a sprite (inpainting): a mask marks the pixels of the starting sprite that are
// redrawn; the others are kept. After every step the kept pixels are set to the start noised to the
// timestep the step arrived at (the replacement method of RePaint, Lugmayr et al. 2022, without its
// resampling), so the network sees them at the noise level it expects and the redrawn pixels grow
// to fit them; after the last step they are the start's own bytes.
#pragma once
#include "schedule.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace sprites {

// One byte per pixel, row-major: 1 redrawn, 0 kept. Throws std::invalid_argument unless `mask` has
// `pixels` values, each 0 or 1, and at least one pixel is redrawn.
void check_repaint_mask(const std::vector<uint8_t>& mask, size_t pixels);

// How many pixels a mask redraws. One that redraws none is no mask at all, never one that keeps all.
size_t redrawn_pixels(const std::vector<uint8_t>& mask);

// For each of `count` sprites (`img` floats each in x, H x W x C), its start noised to timestep t,
// x = sqrt(abar_t) start + sqrt(1 - abar_t) z, as training noises an image (abar_0 = 1 gives the
// start exactly): every pixel with an empty mask (a run's start), else the pixels it keeps. `start`
// is RGB8: one sprite (img bytes) that every sprite starts from, or `count` of them, one each. z may be x.
void noise_start(const Schedule& s, int t, const std::vector<uint8_t>& start, size_t img, const float* z, float* x, size_t count,
                 const std::vector<uint8_t>& mask = {});

// A link's form: bit i (most significant first within each byte) is pixel i.
std::vector<uint8_t> pack_mask(const std::vector<uint8_t>& mask);
std::vector<uint8_t> unpack_mask(const std::vector<uint8_t>& bits, size_t pixels);

// A mask painted as an image (RGB8): light pixels (mean above 127) are redrawn, as inpainting masks
// are painted white on black.
std::vector<uint8_t> mask_from_rgb8(const std::vector<uint8_t>& rgb);

}  // namespace sprites
