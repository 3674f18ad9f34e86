// What a lab view saves, for a student to show what a model learned or a game developer to keep:
// DDPM vs DDIM and Checkpoints as one PNG with a row per panel (every row from the same noise, so
// a column follows one sprite across the samplers or through training), the interpolation as an
// animated PNG that plays its frames there and back as the view does. "Transparent background"
// applies, as to the grid's downloads; the link and the rows' names go in tEXt chunks.
#pragma once

namespace sprites {

struct Studio;
struct LabKind;

// Whether the view's run has finished with every panel drawn (a checkpoint that failed to load
// leaves nothing to save).
bool lab_download_ready(const Studio& s, const LabKind& k);
// Saves it as "checkpoints-42.png", "ddpm-vs-ddim-42.png" or "interpolation-42-3.png" (seed, sprite).
void download_lab(const Studio& s, const LabKind& k);

}  // namespace sprites
