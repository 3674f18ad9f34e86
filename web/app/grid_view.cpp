#include "grid_view.h"

#include "kept_panel.h"
#include "layout.h"
#include "png_writer.h"
#include "sprite_background.h"
#include "studio.h"
#include "variations.h"

#include <algorithm>
#include <cfloat>
#include <cmath>

namespace sprites {

namespace {

// Beside the grid on a desktop, the enlarged sprite (and its buttons).
constexpr float kSpriteBesideGrid = 190.0f;
constexpr float kGridMargin = 8.0f;  // below the grid

// Whole-number zoom keeps sprite pixels square.
float grid_zoom(float grid_w, float grid_h, float width, float height) {
  return std::max(1.0f, std::floor(std::min(width / grid_w, (height - kGridMargin) / grid_h)));
}

}  // namespace

// Sized for the width alone, a phone's views left a band of empty screen between the grid and the
// first control.
float stacked_views_height(const Studio& s, ImVec2 avail) {
  const int count = s.gen ? s.gen->params().count : s.state.params.count;
  const auto [w, h] = grid_size(count, 16, grid_columns(count), 1);
  const float tabs = ImGui::GetFrameHeightWithSpacing();  // the tab bar, and the spacing under it
  const float grid = grid_zoom(static_cast<float>(w), static_cast<float>(h), avail.x, FLT_MAX) * static_cast<float>(h);
  return std::min(tabs + grid + kGridMargin + 1.0f, avail.y * 0.6f);  // 1: the zoom's floor survives rounding
}

int grid_cell_at_mouse(ImVec2 origin, float zoom, int cols, int count) {
  const ImVec2 m = ImGui::GetIO().MousePos;
  const int cx = static_cast<int>((m.x - origin.x) / (17 * zoom)), cy = static_cast<int>((m.y - origin.y) / (17 * zoom));
  const int k = cy * cols + cx;
  return cx >= 0 && cx < cols && k >= 0 && k < count ? k : -1;
}

void grid_view(Studio& s) {
  if (!s.gen || s.grid_tex.empty()) {
    ImGui::TextDisabled("Press Generate.");
    return;
  }
  if (s.gen->finished() && s.pixel_art.tex_look != grid_look(s.state.colours, s.state.palette)) show_grid(s);  // a control or a link moved
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float beside = sprite_beside_grid(s.layout) ? kSpriteBesideGrid : 0.0f;
  const float zoom = grid_zoom(s.grid_tex.width(), s.grid_tex.height(), avail.x - beside, avail.y);
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImGui::Image(s.grid_tex.id(), ImVec2(s.grid_tex.width() * zoom, s.grid_tex.height() * zoom));
  remember_item(s, "grid");
  if (ImGui::IsItemClicked()) {
    if (const int k = grid_cell_at_mouse(origin, zoom, s.grid_tex.cols(), s.gen->params().count); k >= 0) {
      s.state.selected = k;
      s.picked = true;
      s.shown_snapshot = -2;
    }
  }
  if (beside == 0) return;
  ImGui::SameLine();
  ImGui::BeginGroup();
  ImGui::Text("Sprite %d", s.state.selected);
  const auto sprite = sprite_of(grid_pixels(s), s.state.selected);
  const ImVec2 at = ImGui::GetCursorScreenPos();
  if (s.downloads.transparent) {
    // As it downloads: what is cleared shows a checkerboard, one square per sprite pixel.
    s.sel_tex.upload(with_transparent_background(sprite, 1, 16), 1, 16, 1, 4);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    for (int y = 0; y < s.sel_tex.height(); ++y)
      for (int x = 0; x < s.sel_tex.width(); ++x)
        draw->AddRectFilled(ImVec2(at.x + x * 10.0f, at.y + y * 10.0f), ImVec2(at.x + x * 10.0f + 10, at.y + y * 10.0f + 10),
                            (x + y) % 2 ? IM_COL32(110, 110, 110, 255) : IM_COL32(160, 160, 160, 255));
  } else {
    s.sel_tex.upload(sprite, 1, 16, 1);
  }
  ImGui::Image(s.sel_tex.id(), ImVec2(s.sel_tex.width() * 10.0f, s.sel_tex.height() * 10.0f));
  variations_button(s);
  keep_button(s);
  ImGui::EndGroup();
}

}  // namespace sprites
