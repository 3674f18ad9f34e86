// The studio's "Weights" panel: which model (built-in checkpoints, URLs, opened files), fetch
// progress, "Open weights...", clearing the cache, and publishing a local file's URL for links.
#pragma once

namespace sprites {

struct Studio;
void weights_panel(Studio& s);

}  // namespace sprites
