#include "mask_painter.h"

#include "repaint_mask.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>

namespace sprites {

namespace {

// A brush-sized square at sprite pixel (x, y), painted or erased; parts outside are skipped.
// Returns whether a pixel changed.
bool paint_pixels(std::vector<uint8_t>& mask, int pixels, int x, int y, int brush, bool erase) {
  bool changed = false;
  const int x0 = x - (brush - 1) / 2, y0 = y - (brush - 1) / 2;
  for (int yy = std::max(y0, 0); yy < std::min(y0 + brush, pixels); ++yy)
    for (int xx = std::max(x0, 0); xx < std::min(x0 + brush, pixels); ++xx) {
      uint8_t& v = mask[static_cast<size_t>(yy * pixels + xx)];
      changed |= v != (erase ? 0 : 1);
      v = erase ? 0 : 1;
    }
  return changed;
}

}  // namespace

bool paint_mask(MaskPainter& m, void* tex, int pixels, float side, std::vector<uint8_t>& mask) {
  const ImVec2 at = ImGui::GetCursorScreenPos(), end(at.x + side, at.y + side);
  ImGui::InvisibleButton("##mask", ImVec2(side, side), ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight);
  const float cell = side / static_cast<float>(pixels), gutter = 1.0f / (pixels + 2);
  ImDrawList* draw = ImGui::GetWindowDrawList();
  draw->AddImage(tex, at, end, ImVec2(gutter, gutter), ImVec2(1 - gutter, 1 - gutter));
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  const int mx = static_cast<int>(std::floor((mouse.x - at.x) / cell)), my = static_cast<int>(std::floor((mouse.y - at.y) / cell));
  if (ImGui::IsItemActive()) {
    if (mask.empty()) mask.assign(static_cast<size_t>(pixels * pixels), 0);
    const bool erase = m.erase || ImGui::IsMouseDown(ImGuiMouseButton_Right);
    // The pixels between last frame's position and this one, so a quick drag leaves no gaps.
    const int fx = m.last_x < 0 ? mx : m.last_x, fy = m.last_y < 0 ? my : m.last_y;
    const int n = std::max({std::abs(mx - fx), std::abs(my - fy), 1});
    for (int i = 0; i <= n; ++i)
      m.changed |= paint_pixels(mask, pixels, fx + (mx - fx) * i / n, fy + (my - fy) * i / n, m.brush, erase);
    m.last_x = mx;
    m.last_y = my;
  }
  bool ended = false;
  if (ImGui::IsItemDeactivated()) {
    ended = m.changed;
    m.changed = false;
    m.last_x = m.last_y = -1;
  }
  // None painted is no mask (the whole sprite varies), never a mask that redraws nothing.
  if (redrawn_pixels(mask) == 0) mask.clear();
  for (size_t i = 0; i < mask.size(); ++i)
    if (mask[i]) {
      const float x = at.x + static_cast<float>(i % pixels) * cell, y = at.y + static_cast<float>(i / pixels) * cell;
      draw->AddRectFilled(ImVec2(x, y), ImVec2(x + cell, y + cell), IM_COL32(255, 0, 200, 110));
    }
  if (ImGui::IsItemHovered() && mx >= 0 && my >= 0 && mx < pixels && my < pixels) {
    const int x0 = mx - (m.brush - 1) / 2, y0 = my - (m.brush - 1) / 2;
    draw->AddRect(ImVec2(at.x + x0 * cell, at.y + y0 * cell), ImVec2(at.x + (x0 + m.brush) * cell, at.y + (y0 + m.brush) * cell),
                  IM_COL32(255, 255, 255, 220));
  }
  draw->AddRect(at, end, IM_COL32(128, 128, 128, 255));
  return ended;
}

}  // namespace sprites
