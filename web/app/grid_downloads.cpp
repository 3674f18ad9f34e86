#include "grid_downloads.h"

#include "browser.h"
#include "png_writer.h"
#include "printable.h"
#include "share_link.h"
#include "sprite_atlas.h"
#include "sprite_background.h"
#include "studio.h"
#include "tooltips.h"
#include "ui_style.h"

#include <imgui.h>

#include <string>

namespace sprites {
namespace {

constexpr const char* kStorageKey = "sprites.downloads";

std::string sheet_name(const Studio& s, const char* extension) { return "sprites-" + std::to_string(s.gen->params().seed) + extension; }

// A setting that did not stay says so where it is set; it still holds for this page.
void store(Studio& s) {
  s.downloads_error = browser::store_text(kStorageKey, format_download_settings(s.downloads))
                          ? ""
                          : "This browser does not keep settings (its storage is off or full): they hold until the page closes.";
}

}  // namespace

std::vector<std::pair<std::string, std::string>> download_text(const std::string& parameters, const std::string& description) {
  std::vector<std::pair<std::string, std::string>> text = {{"Software", "Sprite Diffusion Studio"}};
  if (!parameters.empty()) text.emplace_back("Parameters", parameters);
  if (!description.empty()) text.emplace_back("Description", description);
  return text;
}

void download_grid(const Studio& s) {
  const SampleParams& p = s.gen->params();
  const auto png = encode_png(sprite_sheet(grid_pixels(s), p.count, 16, grid_columns(p.count), s.downloads.scale, s.downloads.transparent),
                              download_text(shareable_link(s, grid_state(s))));
  browser::download(sheet_name(s, ".png"), png, "image/png");
}

void download_atlas(const Studio& s) {
  const SampleParams& p = s.gen->params();
  const std::string json =
      sprite_atlas_json({sheet_name(s, ".png"), p.count, 16, grid_columns(p.count), s.downloads.scale, s.downloads.transparent, p.first_index});
  browser::download(sheet_name(s, ".json"), std::vector<uint8_t>(json.begin(), json.end()), "application/json");
}

void download_sprite(const Studio& s) {
  // The link's sel= names the sprite, so the CLI's --link reads it as it is.
  const auto png = encode_png(sprite_sheet(sprite_of(grid_pixels(s), s.state.selected), 1, 16, 1, s.downloads.scale, s.downloads.transparent),
                              download_text(shareable_link(s, grid_state(s))));
  browser::download("sprite-" + std::to_string(s.gen->params().seed) + "-" + std::to_string(s.state.selected) + ".png", png, "image/png");
}

void download_settings_load(Studio& s) {
  const std::string stored = browser::stored_text(kStorageKey);
  const auto read = parse_download_settings(stored);
  s.downloads = read.value_or(DownloadSettings{});
  if (!read)
    s.downloads_error = "The download settings stored in this browser could not be read (\"" + printable(stored, 40) +
                        "\"): back to " + std::to_string(s.downloads.scale) + "x, opaque.";
}

void transparent_checkbox(Studio& s) {
  if (ImGui::Checkbox("Transparent background", &s.downloads.transparent)) store(s);
  remember_item(s, "transparent");
  tooltip("Downloads without the flat background around each sprite (RGBA PNG), to draw over a game's scene");
}

void download_size_combo(Studio& s) {
  // A list, not a row of buttons: four touch-sized choices do not fit a phone's width.
  const auto choice = [](int scale) { return std::to_string(scale) + "x (" + std::to_string(16 * scale) + " px)"; };
  // On a phone the label has the room of "non-human" (studio.cpp): the list's items say the rest.
  const bool open = ImGui::BeginCombo(s.layout.touch ? "Size###download_size" : "Download size###download_size", choice(s.downloads.scale).c_str());
  remember_item(s, "download_scale");
  tooltip("The size of Download grid, Download sprite, their atlas and the kept sheet. 1x is the sprite's own pixels, for a game "
          "that scales them up without smoothing; the lab views' pictures stay 8x.");
  if (open) {
    for (const int scale : kDownloadScales) {
      if (ImGui::Selectable(choice(scale).c_str(), s.downloads.scale == scale) && s.downloads.scale != scale) {
        s.downloads.scale = scale;
        store(s);
      }
      remember_item(s, ("download_scale_" + std::to_string(scale)).c_str());
    }
    ImGui::EndCombo();
  }
  if (!s.downloads_error.empty()) {
    wrapped_text(kErrorRed, s.downloads_error.c_str());
    remember_item(s, "downloads_error");
  }
}

}  // namespace sprites
