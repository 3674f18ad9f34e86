// The studio's Denoising view (the course's lab 1): the selected sprite's x_t beside the predicted
// x_0 at each kept step of the last grid, a slider through them, and the animation as a download.
#pragma once

namespace sprites {

struct Studio;

void denoise_view(Studio& s);

}  // namespace sprites
