// The studio's side of web/soft_keyboard.js, which opens a phone's on-screen keyboard for a tap on a
// text field: where this frame drew the fields, whether a field wants text, and the edits the
// keyboard made, as SDL events (sprites_soft_input).
#pragma once

#include "layout.h"

#include <vector>

namespace sprites {

// Once a drawn frame, after the studio's: where it drew its text fields, and ImGui's WantTextInput.
void soft_keyboard_frame(const std::vector<TextField>& fields, bool text_wanted);

}  // namespace sprites
