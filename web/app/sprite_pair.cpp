#include "sprite_pair.h"

#include <imgui.h>

#include <algorithm>

namespace sprites {

void sprite_pair(const char* const titles[2], const SpriteTexture& first, const SpriteTexture& second, float max_zoom) {
  const float avail = ImGui::GetContentRegionAvail().x, gap = 3 * ImGui::GetStyle().ItemSpacing.x;
  constexpr float kWidth = 18;  // a sprite with its gutters
  const bool side_by_side = avail >= 2 * kWidth * 6 + gap;
  const float column = side_by_side ? (avail - gap) / 2 : avail;
  const float zoom = std::min(max_zoom, column / kWidth);
  // Both images start at the same height, under the taller of the wrapped titles.
  const float title_h = std::max(ImGui::CalcTextSize(titles[0], nullptr, false, column).y,
                                 ImGui::CalcTextSize(titles[1], nullptr, false, column).y);
  ImGui::BeginGroup();  // the pair is the last item, for the caller's layout rectangle
  for (int i = 0; i < 2; ++i) {
    const SpriteTexture& tex = i == 0 ? first : second;
    if (i == 1 && side_by_side) ImGui::SameLine(0, gap);
    ImGui::BeginGroup();
    const float top = ImGui::GetCursorPosY();
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + column);
    ImGui::TextUnformatted(titles[i]);
    ImGui::PopTextWrapPos();
    ImGui::SetCursorPosY(top + title_h + ImGui::GetStyle().ItemSpacing.y);
    if (!tex.empty()) ImGui::Image(tex.id(), ImVec2(tex.width() * zoom, tex.height() * zoom));
    ImGui::EndGroup();
  }
  ImGui::EndGroup();
}

}  // namespace sprites
