// What the studio's panels share in how they look.
#pragma once
#include <imgui.h>

namespace sprites {

inline const ImVec4 kErrorRed(1.0f, 0.45f, 0.4f, 1.0f);  // one-line messages: a file, a link, a fetch that failed

// Text in `colour`, wrapped at the panel's edge (ImGui's TextDisabled and TextColored do not wrap).
inline void wrapped_text(const ImVec4& colour, const char* text) {
  ImGui::PushStyleColor(ImGuiCol_Text, colour);
  ImGui::TextWrapped("%s", text);
  ImGui::PopStyleColor();
}
inline void wrapped_disabled_text(const char* text) { wrapped_text(ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled), text); }

}  // namespace sprites
