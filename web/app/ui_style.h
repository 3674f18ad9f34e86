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

// Enter ended the edit of the text field just drawn: it acts, as a search box or a form's field
// does on Enter (and a phone keyboard's Go, web/soft_keyboard.js).
inline bool entered() {
  return ImGui::IsItemDeactivated() &&
         (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter)) || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_KeyPadEnter)));
}

// A row of small buttons that wraps at the panel's edge: the next button, labelled `next`, goes on
// the same line only where it fits (touch-sized text on a phone cut a row's last ones off).
inline void same_line_if_fits(const char* next) {
  const ImGuiStyle& style = ImGui::GetStyle();
  const float right = ImGui::GetItemRectMax().x + style.ItemSpacing.x + ImGui::CalcTextSize(next).x + 2 * style.FramePadding.x;
  if (right <= ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x) ImGui::SameLine();
}

}  // namespace sprites
