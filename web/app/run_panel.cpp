#include "run_panel.h"

#include "grid_downloads.h"
#include "kept_panel.h"
#include "studio.h"
#include "tooltips.h"
#include "ui_style.h"
#include "variations.h"

#include <imgui.h>

#include <cstdio>

namespace sprites {

namespace {

void download_sprite_button(Studio& s, bool have) {
  if (ImGui::Button(sprite_beside_grid(s.layout) ? "Download sprite###download_sprite" : "Save sprite###download_sprite") && have)
    download_sprite(s);
  remember_item(s, "download_sprite");
}

}  // namespace

void run_panel(Studio& s) {
  const bool running = s.gen && s.gen->running();
  if (!running) {
    const bool moved = controls_moved(s);
    if (ImGui::Button(moved ? "Generate (settings changed)###generate" : "Generate###generate", ImVec2(-1, 0))) studio_generate(s);
    remember_item(s, "generate");
    if (moved) tooltip("The grid on screen was drawn with other settings (its downloads keep them): Generate draws these.");
  } else if (ImGui::Button("Cancel", ImVec2(-1, 0))) {
    s.gen->cancel();
  }
  if (s.gen) {
    const float frac = static_cast<float>(s.gen->steps_done()) / static_cast<float>(s.gen->total_steps());
    char label[64];
    std::snprintf(label, sizeof label, "%zu / %zu steps", s.gen->steps_done(), s.gen->total_steps());
    ImGui::ProgressBar(frac, ImVec2(-1, 0), label);
    ImGui::Text("%s in %.0f ms%s", s.gen->finished() ? "Done" : (s.gen->cancelled() ? "Cancelled" : "Sampling"),
                s.gen->elapsed_ms(), s.gen->finished() ? "" : "...");
    if (s.gen->finished() && !s.layout.stacked)
      ImGui::TextDisabled("pixels fnv1a64 %s", grid_checksum(s).c_str());
  }
  if (!s.gen_error.empty()) wrapped_text(kErrorRed, s.gen_error.c_str());
  ImGui::Separator();
  if (ImGui::Button("Copy link")) studio_copy_link(s);
  remember_item(s, "copy_link");
  const bool have = s.gen && s.gen->finished();
  ImGui::BeginDisabled(!have);
  ImGui::SameLine();
  if (ImGui::Button("Download grid") && have) download_grid(s);
  remember_item(s, "download_grid");
  if (sprite_beside_grid(s.layout)) {
    ImGui::SameLine();
    download_sprite_button(s, have);
  }
  ImGui::EndDisabled();
  if (!s.copied.note.empty() && s.copied.hash == s.published_hash) {  // until the link changes
    wrapped_text(s.copied.failed ? kErrorRed : ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled), s.copied.note.c_str());
    remember_item(s, "copied_note");
  }
  transparent_checkbox(s);
  // Only where it fits beside the box: a row of its own would push a phone's first slider off the
  // screen, for a file a phone has no game project to save into.
  const char* atlas = "Download atlas";
  if (ImGui::GetContentRegionAvail().x - ImGui::GetItemRectSize().x >
      ImGui::CalcTextSize(atlas).x + 2 * ImGui::GetStyle().FramePadding.x + ImGui::GetStyle().ItemSpacing.x) {
    ImGui::SameLine();
    ImGui::BeginDisabled(!have);
    if (ImGui::Button(atlas) && have) download_atlas(s);
    ImGui::EndDisabled();
    remember_item(s, "download_atlas");
    tooltip("The grid's sheet as named frames (JSON, TexturePacker's hash format) for PixiJS, Phaser and others; "
            "save it beside the downloaded grid, whose file name it names", ImGuiHoveredFlags_AllowWhenDisabled);
  }
  // On a phone, what acts on one sprite comes once a sprite is tapped (there is no enlarged sprite
  // to show it), in a row of its own: touch-sized text fits only two buttons a row, and a row that
  // appears only then leaves the controls below where they were. On a desktop it is beside the
  // enlarged sprite.
  if (!sprite_beside_grid(s.layout) && s.picked) {
    ImGui::BeginDisabled(!have);
    download_sprite_button(s, have);
    ImGui::EndDisabled();
    ImGui::SameLine();
    variations_button(s);
    keep_button(s);
  }
}

}  // namespace sprites
