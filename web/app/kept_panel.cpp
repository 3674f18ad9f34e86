#include "kept_panel.h"

#include "browser.h"
#include "grid_view.h"
#include "grid_downloads.h"
#include "png_writer.h"
#include "sprite_atlas.h"
#include "sprite_background.h"
#include "studio.h"
#include "tooltips.h"
#include "ui_style.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>

namespace sprites {

namespace {

constexpr const char* kStorageKey = "sprites.kept";
constexpr int kKeptColumns = 8;
constexpr const char* kSheetName = "kept-sprites";

// Another tab of the page may have changed the list since this one read it: a change starts from
// the stored list, with the selection kept on the same sprite.
void reread(KeptPanel& k) {
  if (!k.stored) return;
  const std::string selected = k.selected >= 0 ? k.sprites.sprites()[static_cast<size_t>(k.selected)].link : "";
  size_t skipped = 0;  // said when the page started; the next store drops them
  k.sprites = KeptSprites::parse(browser::stored_text(kStorageKey), skipped);
  k.selected = k.sprites.index_of(selected);
  ++k.version;
}

std::string kept_sprites(size_t n) { return std::to_string(n) + " kept sprite" + (n == 1 ? "" : "s"); }

void changed(Studio& s) {
  KeptPanel& k = s.kept;
  ++k.version;
  k.confirm_clear = false;
  if (k.selected >= static_cast<int>(k.sprites.sprites().size())) k.selected = -1;
  k.stored = browser::store_text(kStorageKey, k.sprites.serialize());
  k.message_is_error = !k.stored;
  if (!k.stored) k.message = "This browser does not keep them (its storage is off or full): download the sheet to keep them.";
}

void download_kept_sheet(const Studio& s) {
  const KeptSprites& kept = s.kept.sprites;
  const int n = static_cast<int>(kept.sprites().size());
  const std::string description = kept_sprites(static_cast<size_t>(n)) +
                                  ", in order; the text under 'Kept' is each one's pixels and the link that draws its grid";
  auto text = download_text("", description);  // no one link draws the sheet: "Kept" holds each sprite's
  text.emplace_back(kKeptTextKey, kept.serialize());
  browser::download(std::string(kSheetName) + ".png",
                    encode_png(sprite_sheet(kept.pixels(), n, 16, std::min(n, kKeptColumns), s.downloads.scale, s.downloads.transparent), text), "image/png");
}

void download_kept_atlas(const Studio& s) {
  const int n = static_cast<int>(s.kept.sprites.sprites().size());
  const std::string json = sprite_atlas_json({std::string(kSheetName) + ".png", n, 16, std::min(n, kKeptColumns), s.downloads.scale, s.downloads.transparent, 0});
  browser::download(std::string(kSheetName) + ".json", std::vector<uint8_t>(json.begin(), json.end()), "application/json");
}

// The kept sprites, 8 a row, as large as the panel's width allows; a click selects one.
void kept_grid(Studio& s) {
  KeptPanel& k = s.kept;
  const int n = static_cast<int>(k.sprites.sprites().size());
  if (k.uploaded != k.version) {
    k.tex.upload(k.sprites.pixels(), n, 16, std::min(n, kKeptColumns));
    k.uploaded = k.version;
  }
  const float zoom = std::max(1.0f, std::floor(ImGui::GetContentRegionAvail().x / static_cast<float>(kKeptColumns * 17 + 1)));
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImGui::Image(k.tex.id(), ImVec2(k.tex.width() * zoom, k.tex.height() * zoom));
  remember_item(s, "kept_grid");
  if (ImGui::IsItemClicked())
    if (const int i = grid_cell_at_mouse(origin, zoom, k.tex.cols(), n); i >= 0) k.selected = i;
  if (k.selected >= 0) {  // a frame around the selected one
    const float x = origin.x + static_cast<float>(k.selected % k.tex.cols()) * 17 * zoom;
    const float y = origin.y + static_cast<float>(k.selected / k.tex.cols()) * 17 * zoom;
    ImGui::GetWindowDrawList()->AddRect(ImVec2(x, y), ImVec2(x + 18 * zoom, y + 18 * zoom), IM_COL32(255, 200, 0, 255), 0, 0, 2);
  }
}

}  // namespace

void kept_load(Studio& s) {
  size_t skipped = 0;
  s.kept.sprites = KeptSprites::parse(browser::stored_text(kStorageKey), skipped);
  s.kept.message_is_error = skipped > 0;
  s.kept.open_once = skipped > 0;  // where its message shows
  if (skipped)
    s.kept.message = kept_sprites(skipped) +
                     " stored in this browser could not be read (damaged) and " + (skipped == 1 ? "was" : "were") + " left out.";
}

void keep_button(Studio& s) {
  const bool have = s.gen && s.gen->finished();
  KeptSprite sprite;
  if (have) {
    sprite.rgb = sprite_of(grid_pixels(s), s.state.selected);
    sprite.link = shareable_link(s, grid_state(s));  // its sel= is this sprite
  }
  const bool kept = have && s.kept.sprites.contains(sprite.link);
  ImGui::BeginDisabled(!have || kept || s.kept.sprites.full());
  const std::string label = kept ? "Kept###keep" : sprite_beside_grid(s.layout) ? "Keep sprite " + std::to_string(s.state.selected) + "###keep" : "Keep###keep";
  if (ImGui::Button(label.c_str()) && have) {
    reread(s.kept);
    s.kept.sprites.add(sprite);  // false where another tab kept it meanwhile: kept all the same
    s.kept.message.clear();
    s.kept.selected = s.kept.sprites.index_of(sprite.link);
    s.kept.open_once = true;
    // On a phone Keep sits in the controls: scrolling them would take it away from the next tap.
    s.kept.reveal = sprite_beside_grid(s.layout);
    changed(s);
  }
  ImGui::EndDisabled();
  remember_item(s, "keep");
  const std::string full = "The Kept panel is full (" + std::to_string(kMaxKeptSprites) + " sprites): download its sheet, then remove some.";
  tooltip(s.kept.sprites.full() ? full.c_str() : "Adds this sprite to the Kept panel: the sprites you keep from any grid make one sheet for a game.",
          ImGuiHoveredFlags_AllowWhenDisabled);
}

void kept_panel(Studio& s) {
  KeptPanel& k = s.kept;
  const int n = static_cast<int>(k.sprites.sprites().size());
  if (k.open_once) ImGui::SetNextItemOpen(true);
  k.open_once = false;
  const std::string header = "Kept sprites (" + std::to_string(n) + ")###kept";
  const bool open = ImGui::CollapsingHeader(header.c_str());
  remember_item(s, "kept_header");
  if (!open) {
    k.reveal = false;
    return;
  }
  if (n == 0) {
    ImGui::TextWrapped("Click a sprite of a grid, then \"Keep\": the sprites you keep from any grid come here, stay in this "
                       "browser, and download as one sheet. Each opens its grid again.");
  } else {
    kept_grid(s);
    ImGui::BeginDisabled(k.selected < 0);
    if (ImGui::Button("Open") && k.selected >= 0) studio_open_link(s, k.sprites.sprites()[static_cast<size_t>(k.selected)].link);
    remember_item(s, "kept_open");
    tooltip("Opens the grid this sprite came from, with it selected: its settings, seed and weights", ImGuiHoveredFlags_AllowWhenDisabled);
    ImGui::SameLine();
    if (ImGui::Button("Remove") && k.selected >= 0) {
      reread(k);
      if (k.selected >= 0) k.sprites.remove(static_cast<size_t>(k.selected));
      k.message.clear();
      changed(s);
    }
    remember_item(s, "kept_remove");
    ImGui::EndDisabled();
    // Three short buttons a row, two long ones below: what fits a phone's touch-sized text.
    ImGui::SameLine();
    if (ImGui::Button(k.confirm_clear ? "Clear all?###kept_clear" : "Clear###kept_clear")) {
      if (!k.confirm_clear) {
        k.confirm_clear = true;
      } else {
        k.sprites.clear();
        k.message.clear();
        changed(s);
      }
    }
    remember_item(s, "kept_clear");
    tooltip(k.confirm_clear ? "Click again to remove every kept sprite" : "Removes every kept sprite (it asks first)");
    if (ImGui::Button("Download sheet")) download_kept_sheet(s);
    remember_item(s, "kept_download");
    tooltip("The kept sprites as one PNG, 8 a row, at the Download size (transparent with \"Transparent background\"); dropped on this page it "
            "brings them back");
    ImGui::SameLine();
    if (ImGui::Button("Atlas")) download_kept_atlas(s);
    remember_item(s, "kept_atlas");
    tooltip("The sheet's frames as JSON (TexturePacker's hash format) for PixiJS, Phaser and others");
  }
  if (!k.message.empty()) {
    wrapped_text(k.message_is_error ? kErrorRed : ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled), k.message.c_str());
    remember_item(s, "kept_message");
  }
  if (k.reveal) ImGui::SetScrollHereY(1.0f);
  k.reveal = false;
}

bool kept_open_sheet(Studio& s, const std::string& name, const std::string& kept_text) {
  size_t skipped = 0;
  const KeptSprites opened = KeptSprites::parse(kept_text, skipped);
  if (opened.sprites().empty() && skipped == 0) return false;
  reread(s.kept);
  size_t added = 0, already = 0;
  for (const KeptSprite& sprite : opened.sprites()) {
    if (s.kept.sprites.full()) break;
    if (s.kept.sprites.add(sprite)) ++added;
    else ++already;
  }
  const size_t left = opened.sprites().size() - added - already;
  s.kept.message = name + ": " + kept_sprites(added) + " added" +
                   (already ? ", " + std::to_string(already) + " kept already" : "") +
                   (left ? ", " + std::to_string(left) + " left out (the panel holds " + std::to_string(kMaxKeptSprites) + ")" : "") +
                   (skipped ? ", " + std::to_string(skipped) + " damaged" : "") + ".";
  s.kept.open_once = true;
  changed(s);
  return true;
}

}  // namespace sprites
