#include "sampling_help.h"

namespace sprites {

const char* const kContextHelp =
    "What to draw: one weight in [0, 1] per label, given to the network beside the noisy sprite (lab L3). One label "
    "at 1 asks for its class, two or more mix them (hero 1 + food 0.6), all at 0 asks for no class in particular, "
    "which the network learned from the 10% of training sprites whose labels were dropped.";

const char* const kStepsHelp =
    "How many of the 500 timesteps the sampler stops at on its way from noise to sprite, one network evaluation "
    "each (two with guidance): fewer is faster and less faithful.";

const char* const kEtaHelp =
    "DDIM's fresh noise at each step: 0 adds none, so a seed always draws the same sprite (the course's DDIM); 1 "
    "adds about as much as DDPM does.";

const char* const kGuidanceHelp =
    "Classifier-free guidance w: each step asks the network with the context and without it, and goes w times "
    "further away from the answer without: eps = (1 + w) eps(x, context) - w eps(x, no context). Sprites look more "
    "like their class, at twice the network evaluations; a large w exaggerates them. 0: off, as in the course.";

const char* const kSeedHelp =
    "Picks the starting noise: the same seed, settings and weights draw the same pixels here, through a share link "
    "and in `sprites sample`; sprite k always starts from the same noise, however many sprites the grid has.";

}  // namespace sprites
