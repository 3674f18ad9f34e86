// What each sampling setting does, in the course's terms, for people: the studio's tooltips and
// `sprites sample --help` read the same sentences (a sampler's own is SamplerInfo::about).
#pragma once

namespace sprites {

extern const char* const kContextHelp;
extern const char* const kStepsHelp;
extern const char* const kEtaHelp;
extern const char* const kGuidanceHelp;
extern const char* const kSeedHelp;

}  // namespace sprites
