// --context of `sprites sample` and `sprites noising`: what to draw, as one number per label
// ("1,0,0.6,0,0", what links carry) or by the weights' own labels ("knight", "hero,food=0.6"), so
// a model of your own classes is asked for them by name.
#pragma once
#include <string>
#include <vector>

namespace sprites {

// One weight in [0, 1] per label; throws std::runtime_error("--context: ...") naming what is wrong.
std::vector<float> context_flag(const std::string& flag, const std::vector<std::string>& labels);

}  // namespace sprites
