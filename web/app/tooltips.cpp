#include "tooltips.h"

#include <algorithm>
#include <string>

namespace sprites {

namespace {

bool g_touch = false;
std::string g_text;      // the tooltip drawn in frame g_frame
int g_frame = -1;

}  // namespace

void tooltips_new_frame(bool touch) { g_touch = touch; }

void tooltip(const char* text, ImGuiHoveredFlags flags) {
  if (!ImGui::IsItemHovered(flags)) return;
  if (g_touch && !ImGui::IsMouseDown(ImGuiMouseButton_Left)) return;
  const float em = ImGui::GetFontSize();
  const float wrap = std::min(32.0f * em, ImGui::GetIO().DisplaySize.x - 4.0f * em);
  ImGui::BeginTooltip();
  ImGui::PushTextWrapPos(std::max(wrap, 8.0f * em));
  ImGui::TextUnformatted(text);
  ImGui::PopTextWrapPos();
  ImGui::EndTooltip();
  g_text = text;
  g_frame = ImGui::GetFrameCount();
}

const char* shown_tooltip() { return g_frame == ImGui::GetFrameCount() ? g_text.c_str() : ""; }

}  // namespace sprites
