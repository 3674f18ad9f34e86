#include "verbatim_text.h"

#include "tooltips.h"

#include <imgui.h>
#include <imgui_internal.h>  // ButtonEx: SmallButton's look, its text drawn apart from its id

namespace sprites {

namespace {

// `text`, cut to `width` pixels of the current font with "..." at the end; whole characters only.
std::string fitted_text(const std::string& text, float width) {
  if (ImGui::CalcTextSize(text.c_str()).x <= width) return text;
  std::string cut = text;
  while (!cut.empty()) {  // drop the last character: its UTF-8 continuation bytes, then its first
    while (!cut.empty() && (static_cast<unsigned char>(cut.back()) & 0xc0) == 0x80) cut.pop_back();
    if (!cut.empty()) cut.pop_back();
    if (ImGui::CalcTextSize((cut + "...").c_str()).x <= width) break;
  }
  return cut + "...";
}

}  // namespace

bool text_button(const char* id, const std::string& text) {
  const float pad = ImGui::GetStyle().FramePadding.x;
  const std::string shown = fitted_text(text, ImGui::GetContentRegionAvail().x - 2 * pad);
  ImGui::PushID(id);
  ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(pad, 0.0f));
  const bool pressed = ImGui::ButtonEx("##text_button", ImVec2(ImGui::CalcTextSize(shown.c_str()).x + 2 * pad, ImGui::GetTextLineHeight()),
                                       ImGuiButtonFlags_AlignTextBaseLine);
  ImGui::PopStyleVar();
  ImGui::PopID();
  const ImVec2 at = ImGui::GetItemRectMin();
  ImGui::GetWindowDrawList()->AddText(ImVec2(at.x + pad, at.y), ImGui::GetColorU32(ImGuiCol_Text), shown.c_str());
  if (shown != text) tooltip(text.c_str());
  return pressed;
}

}  // namespace sprites
