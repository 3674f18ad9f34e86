// Buttons for text the page does not write itself, a model's labels above all: shown as they are
// (ImGui reads "##" in a widget's label as the start of its id, so "C##" would show as "C") and cut
// with "..." where a phone's width cannot hold them. (Labels as plain text need nothing of the
// kind: ImGui::TextWrapped("%s", ...) shows them whole.)
#pragma once
#include <string>

namespace sprites {

// A small button that shows `text`, cut to the room left on its line, with the whole of it as a
// tooltip where it is cut; `id` tells buttons apart.
bool text_button(const char* id, const std::string& text);

}  // namespace sprites
