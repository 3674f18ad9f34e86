// The studio's run panel: Generate (or Cancel) with the progress, "Copy link", and the downloads of
// the grid and of the selected sprite.
#pragma once

namespace sprites {

struct Studio;

void run_panel(Studio& s);

}  // namespace sprites
