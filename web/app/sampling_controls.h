// The studio's sampling controls: the context (the weights' labels as sliders, one class, the
// course's mixes) and the sampler with its steps, eta, guidance, count and seed.
#pragma once

namespace sprites {

struct Studio;

void context_panel(Studio& s);
void sampler_panel(Studio& s);

}  // namespace sprites
