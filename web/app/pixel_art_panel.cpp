#include "pixel_art_panel.h"

#include "grid_downloads.h"
#include "studio.h"
#include "tooltips.h"
#include "ui_style.h"

#include <imgui.h>

#include <cstdio>
#include <stdexcept>

namespace sprites {

namespace {

// The sampler's pixels are never changed, so "all" and an empty palette show them again.
void controls(Studio& s) {
  int& n = s.state.colours;
  const int before = n;
  ImGui::SliderInt("Colours", &n, 0, kMaxColours, n == 0 ? "all" : "%d per sprite");
  if (n == 1) n = before == 0 ? kMinColours : 0;  // one colour is no sprite: the slider steps over it
  remember_item(s, "colours");
  tooltip("At most this many colours in each sprite, each one the sprite's own (k-means): clean pixel art "
          "instead of the sampler's near-identical shades. 0 (all): the sampler's pixels.");
  const std::string current = format_palette(s.state.palette);
  if (current != s.pixel_art.synced) {  // a link brought another palette
    std::snprintf(s.pixel_art.field, sizeof s.pixel_art.field, "%s", current.c_str());
    s.pixel_art.synced = current;
    s.pixel_art.error.clear();
  }
  if (ImGui::InputTextWithHint("Palette", "hex colours: 1a1c2c,5d275d,...", s.pixel_art.field, sizeof s.pixel_art.field)) {
    try {
      const std::string text = s.pixel_art.field;
      s.state.palette = text.find_first_not_of(" ,\t") == std::string::npos ? Palette{} : parse_palette(text);
      s.pixel_art.error.clear();
    } catch (const std::invalid_argument& e) {
      s.pixel_art.error = std::string("Palette: ") + e.what();  // the last good palette stays
    }
    s.pixel_art.synced = format_palette(s.state.palette);
  }
  remember_text_field(s, "palette");
  tooltip("Your game's colours (a palette from lospec.com, pasted as hex): each group of a sprite's colours, or "
          "each colour with Colours at \"all\", is painted in the palette's colour nearest it.");
  const bool have = s.gen && s.gen->finished();
  ImGui::BeginDisabled(!have);
  if (ImGui::SmallButton("Palette of this grid") && have)  // the sampler's pixels: the same grid gives the same palette
    s.state.palette = palette_of(s.gen->pixels(), s.state.colours > 0 ? s.state.colours : kGridPaletteColours);
  ImGui::EndDisabled();
  remember_item(s, "palette_of_grid");
  static const std::string grid_palette = "One palette for every sprite: this grid's own colours, as many as Colours says (" +
                                          std::to_string(kGridPaletteColours) +
                                          " at \"all\"), so the sheet's sprites share them. The link carries the palette itself.";
  tooltip(grid_palette.c_str(), ImGuiHoveredFlags_AllowWhenDisabled);
  if (!s.pixel_art.error.empty()) wrapped_text(kErrorRed, s.pixel_art.error.c_str());
  download_size_combo(s);
}

}  // namespace

void pixel_art_panel(Studio& s) {
  if (!s.downloads_error.empty()) ImGui::SetNextItemOpen(true, ImGuiCond_Once);  // where it is said
  if (ImGui::CollapsingHeader("Pixel art", s.layout.stacked ? 0 : ImGuiTreeNodeFlags_DefaultOpen)) controls(s);
}

}  // namespace sprites
