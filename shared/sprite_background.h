// Transparent backgrounds, for sprites a game draws over its own scene. The training sprites, and
// so the generated ones, sit on a flat background (white for 84% of the dataset, black or grey for
// the rest): here it is the colour of the sprite's border (its median), and the background is every
// pixel near that colour that the border reaches through such pixels, so white inside an outline
// stays. Written by hand: a flood fill over 256 pixels, which no library the page has offers.
#pragma once
#include <cstdint>
#include <vector>

namespace sprites {

// How far (in levels of 255, on any channel) a background pixel may be from the border's colour:
// generated backgrounds are within a few levels of flat.
inline constexpr int kBackgroundTolerance = 48;

// Alpha of one size x size RGB sprite (HWC): 0 on its background, 255 on the sprite. A sprite
// whose border is mostly not one colour (it fills its square) has no background: all 255.
std::vector<uint8_t> background_alpha(const uint8_t* rgb, int size, int tolerance = kBackgroundTolerance);

// `count` RGB sprites (HWC, one after another) as RGBA with background_alpha.
std::vector<uint8_t> with_transparent_background(const std::vector<uint8_t>& rgb, int count, int size,
                                                 int tolerance = kBackgroundTolerance);

}  // namespace sprites
