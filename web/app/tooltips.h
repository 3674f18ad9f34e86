// The studio's tooltips: what a control does, shown beside it. One way for all of them, so each
// wraps to fit a phone's screen, a touch screen shows it only while the finger is down (the pointer
// stays where a finger left it, and a tooltip left there would cover the grid), and the page's
// status can say which one is showing.
#pragma once
#include <imgui.h>

namespace sprites {

// Once a frame, before the panels: whether the screen is a touch one (Layout::touch).
void tooltips_new_frame(bool touch);

// The tooltip of the item just drawn, while the pointer is on it.
void tooltip(const char* text, ImGuiHoveredFlags flags = ImGuiHoveredFlags_None);

// The text of the tooltip the last drawn frame showed; "" for none.
const char* shown_tooltip();

}  // namespace sprites
