// The sampler the page suggests or picks for the model in use: the "Best fast setting" that the
// quality report measured for a model of its kind (docs/quality.md), and a distilled student's own
// sampler. No ImGui, so it is tested natively.
#pragma once
#include "sample.h"
#include "unet_layout.h"

namespace sprites {

struct FastSetting {
  const char* sampler;
  int steps;
  float guidance;
  const char* measured;  // the report's numbers behind it, for the button's tooltip
};

// The setting of few steps that came closest to DDPM-500 for a model like `arch`. The course's eps
// model and the v-prediction model want different ones: guidance rescues the first's deterministic
// steps and only costs the second. nullptr for a distilled student: its own sampler is the fast one.
const FastSetting* best_fast_setting(const UnetArch& arch);

// After the user picks other weights: a student samples on the grid it was distilled for, as
// `sprites sample` does for a student file, and a full model picked after a student goes back to the
// default sampler (a student's 1-step grid is noise for it). Other choices stay; links set their own.
void fit_sampler_to(SampleParams& p, const UnetArch& arch);

}  // namespace sprites
