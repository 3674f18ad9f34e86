// Two sprites under their titles, as the Denoising and Noising views show x_t beside the
// network's x_0: side by side wherever each column holds a sprite at 6x (a phone included; the
// titles wrap to their column), else one above the other; each as large as its column allows, up
// to `max_zoom` screen pixels a sprite pixel. The pair is ImGui's last item after it.
#pragma once
#include "sprite_texture.h"

namespace sprites {

void sprite_pair(const char* const titles[2], const SpriteTexture& first, const SpriteTexture& second, float max_zoom);

}  // namespace sprites
