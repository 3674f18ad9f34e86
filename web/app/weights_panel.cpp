#include "weights_panel.h"

#include "browser.h"
#include "checkpoint_files.h"
#include "studio.h"
#include "tooltips.h"
#include "ui_style.h"

#include <imgui.h>

#include <cstdio>
#include <cstring>

namespace sprites {

namespace {

std::string megabytes(size_t bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f MB", static_cast<double>(bytes) / 1e6);
  return buf;
}

void choose_weights(Studio& s) {
  const std::string key = weights_key(s.state);
  const WeightsEntry* current = s.library->find(key);
  const std::string shown = current ? s.library->shown_label(*current) : key;
  if (!ImGui::BeginCombo("Model", shown.c_str())) return;
  for (const WeightsIndexEntry& ix : s.library->index()) {
    const CheckpointInfo* c = find_checkpoint(ix.id);
    if (c && c->student_steps > 0) continue;  // students serve the live preview (live_preview.h)
    if (ImGui::Selectable(checkpoint_label(ix).c_str(), ix.id == key)) studio_use_weights(s, weights_of_key(ix.id, ""));
  }
  for (const WeightsEntry* e : s.library->entries()) {
    if (e->state != WeightsEntry::State::ready || find_checkpoint(e->key)) continue;
    ImGui::PushID(e->key.c_str());  // two files of one name are two items
    if (ImGui::Selectable(s.library->shown_label(*e).c_str(), e->key == key)) studio_use_weights(s, weights_of_key(e->key, link_hash(e->hash)));
    ImGui::PopID();
  }
  ImGui::EndCombo();
}

// A link names weights by URL: a local file has to be put somewhere first.
void publish_file(Studio& s) {
  ImGui::TextWrapped("This model is a file on your computer. To share a link, publish the file at a URL "
                     "(any static host that allows cross-origin requests) and paste that URL here:");
  ImGui::InputText("URL", s.publish_url, sizeof s.publish_url);
  remember_text_field(s, "publish_url");
  const bool use = entered();
  if (ImGui::Button("Use this URL in links") || use) s.publish_error = studio_publish_file_at(s, s.publish_url);
  ImGui::SameLine();
  if (ImGui::Button("Not now")) s.link_needs_url = false;
  if (!s.publish_error.empty()) wrapped_text(kErrorRed, s.publish_error.c_str());
}

}  // namespace

void weights_panel(Studio& s) {
  if (!s.library) return;
  choose_weights(s);
  run_progress_line(s);
  if (const WeightsEntry* e = s.library->find(weights_key(s.state)); e && e->state == WeightsEntry::State::fetching) {
    const std::string text = "fetching " + megabytes(e->received) + (e->total ? " of " + megabytes(e->total) : "");
    ImGui::ProgressBar(e->total ? static_cast<float>(e->received) / static_cast<float>(e->total) : 0.0f, ImVec2(-1, 0), text.c_str());
  }
  if (ImGui::Button("Open weights...")) browser::open_file_picker();
  tooltip("A .safetensors from sprites-train or sprites-import, or the course's own .pth; or drop one on the page.");
  ImGui::SameLine();
  if (ImGui::Button("Clear cache")) browser::clear_weights_cache();
  tooltip("Forget the weights this browser keeps from earlier visits.");
  if (!s.weights_error.empty()) {
    wrapped_text(kErrorRed, s.weights_error.c_str());
    if (ImGui::SmallButton("Dismiss##weights")) s.weights_error.clear();
  }
  if (s.link_needs_url) publish_file(s);
}

}  // namespace sprites
