// Transparent backgrounds, for sprites a game draws over its own scene. The training sprites, and
// so the generated ones, sit on a flat background (white for 84% of the dataset, black or grey for
// the rest): here it is the colour of the sprite's border (its median), and the background is every
// pixel near that colour that the border reaches through such pixels, so white inside an outline
// stays. Written by hand: a flood fill over 256 pixels, which no library the page has offers.
#pragma once
#include "png_writer.h"

#include <cstdint>
#include <vector>

namespace sprites {

// How far (in levels of 255, on any channel) a background pixel may be from the border's colour.
// Measured on 256 generated sprites of each shipped model and on the dataset: at 48 the background
// is found in 96-100% of them, 1.0-1.2 light pixels per sprite stay around its outline (3.0-3.9 at
// 24), and a sprite on an exactly flat background loses 3.6 pixels beyond it (2.0 at 24, 15 at 64).
inline constexpr int kBackgroundTolerance = 48;

// Alpha of one size x size RGB sprite (HWC): 0 on its background, 255 on the sprite. A sprite
// whose border is mostly not one colour (it fills its square) has no background: all 255.
std::vector<uint8_t> background_alpha(const uint8_t* rgb, int size, int tolerance = kBackgroundTolerance);

// `count` RGB sprites (HWC, one after another) as RGBA with background_alpha.
std::vector<uint8_t> with_transparent_background(const std::vector<uint8_t>& rgb, int count, int size,
                                                 int tolerance = kBackgroundTolerance);

// What the CLI writes and the page downloads: grid_image of `count` RGB sprites, or with
// `transparent` an RGBA sprite sheet with each sprite's background cleared.
Image sprite_sheet(const std::vector<uint8_t>& rgb, int count, int size, int cols, int scale, bool transparent);

}  // namespace sprites
