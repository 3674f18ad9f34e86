#include "noising_view.h"

#include "checksum.h"
#include "studio.h"
#include "ui_style.h"

#include <imgui.h>

#include <algorithm>
#include <cstdio>

namespace sprites {

namespace {

constexpr int kStripColumns = 11;  // t = 0, T/10, ..., T

// Recomputes the strip and the look when what they depend on changed: one network evaluation.
void update(Studio& s, WeightsSlot& w, const std::vector<uint8_t>& sprite) {
  NoisingView& v = s.noising;
  const SampleParams& p = s.state.params;
  const int T = w.schedule->T;
  s.state.noising_t = std::clamp(s.state.noising_t, 1, T);
  const std::string key = hex_bytes(sprite) + " " + std::to_string(s.state.noising_t) + " " + weights_key(s.state) + " " +
                          format_context(p.context) + " " + std::to_string(p.seed) + " " + std::to_string(s.selected);
  if (key == v.shown) return;
  v.shown = key;
  v.error.clear();
  SampleParams q = p;
  q.first_index = p.init.empty() ? s.selected : 0;  // the grid's sprite with its own noise
  try {
    std::vector<int> ts;
    for (int i = 0; i < kStripColumns; ++i) ts.push_back(i * T / (kStripColumns - 1));
    v.strip.upload(noised_sprites(*w.schedule, q, sprite, ts), kStripColumns, 16, kStripColumns);
    v.look = look_at_noised(w.network(s.engine.pool), *w.schedule, q, sprite, s.state.noising_t);
    v.x_t.upload(v.look.x_t, 1, 16, 1);
    v.x0.upload(v.look.x0, 1, 16, 1);
  } catch (const std::exception& e) {
    v.error = e.what();
  }
}

}  // namespace

void noising_view(Studio& s) {
  ImGui::TextWrapped("What training shows the network (lab 2): a sprite noised to timestep t, "
                     "x_t = sqrt(abar_t) x_0 + sqrt(1 - abar_t) eps, and the network's one guess of the noise in it, "
                     "drawn as the clean sprite that noise implies. Training lowers that noise error over every t.");
  const bool from_start = !s.state.params.init.empty();
  const bool have_grid = s.gen && s.gen->finished();
  WeightsSlot* w = active_weights(s);
  if (!w || (!from_start && !have_grid)) {
    ImGui::TextDisabled("Generate a grid (or open a sprite in Variations) to noise one of its sprites.");
    return;
  }
  const std::vector<uint8_t> sprite = from_start ? s.state.params.init : sprite_of(s.gen->pixels(), s.selected);
  s.noising.source = from_start ? "the starting sprite (Variations)" : "sprite " + std::to_string(s.selected) + " of the grid";
  ImGui::Text("Noising %s.", s.noising.source.c_str());
  ImGui::SetNextItemWidth(std::min(ImGui::GetContentRegionAvail().x, 420.0f));
  ImGui::SliderInt("t", &s.state.noising_t, 1, w->schedule->T, "t = %d", ImGuiSliderFlags_AlwaysClamp);
  remember_item(s, "noising_t");
  update(s, *w, sprite);
  NoisingView& v = s.noising;
  if (!v.error.empty()) {
    wrapped_text(kErrorRed, v.error.c_str());
    return;
  }
  // On a phone the strip and the pair shrink to the panel's width.
  const float avail = ImGui::GetContentRegionAvail().x, gap = 3 * ImGui::GetStyle().ItemSpacing.x;
  const float zoom = std::min(3.0f, avail / (kStripColumns * 18.0f)), cell = 18 * zoom;  // a strip sprite with its gutter
  const float big = std::min(10.0f, (avail - gap) / (2 * 18.0f));
  if (!v.strip.empty()) {
    ImGui::Image(v.strip.id(), ImVec2(v.strip.width() * zoom, v.strip.height() * zoom));
    const ImVec2 at = ImGui::GetItemRectMin();
    for (int i = 0; i < kStripColumns; ++i) {
      char label[16];
      std::snprintf(label, sizeof label, "%d", i * w->schedule->T / (kStripColumns - 1));
      ImGui::GetWindowDrawList()->AddText(ImVec2(at.x + i * cell + zoom, at.y + cell), ImGui::GetColorU32(ImGuiCol_TextDisabled), label);
    }
    ImGui::Dummy(ImVec2(0, ImGui::GetTextLineHeight()));
  }
  for (auto [tex, title] : {std::pair<SpriteTexture*, const char*>{&v.x_t, "x_t (the network's input)"},
                            {&v.x0, "its guess of x_0"}}) {
    ImGui::BeginGroup();
    ImGui::TextUnformatted(title);
    if (!tex->empty()) ImGui::Image(tex->id(), ImVec2(tex->width() * big, tex->height() * big));
    ImGui::EndGroup();
    ImGui::SameLine(0, gap);
  }
  ImGui::NewLine();
  const ForwardLook& l = v.look;
  ImGui::TextWrapped("t = %d: sqrt(abar_t) = %.3f of the sprite, sqrt(1 - abar_t) = %.3f of noise (signal-to-noise %.3g). "
                     "The network's noise error, the training loss at this t for this draw: %.4f.",
                     l.t, l.signal, l.noise, l.signal * l.signal / (l.noise * l.noise), l.loss);
  char note[160];
  std::snprintf(note, sizeof note, "Variations at strength %.2f start from this x_t. Guidance is left out, as in training; the context sliders apply.",
                static_cast<double>(l.t) / w->schedule->T);
  wrapped_disabled_text(note);
}

}  // namespace sprites
