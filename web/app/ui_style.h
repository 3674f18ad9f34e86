// What the studio's panels share in how they look.
#pragma once
#include <imgui.h>

namespace sprites {

inline const ImVec4 kErrorRed(1.0f, 0.45f, 0.4f, 1.0f);  // one-line messages: a file, a link, a fetch that failed

}  // namespace sprites
