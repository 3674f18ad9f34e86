#include "noising_view.h"

#include "checksum.h"
#include "studio.h"
#include "ui_style.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace sprites {

namespace {

constexpr int kStripColumns = 11;  // t = 0, T/10, ..., T
constexpr int kCurveStep = 10;     // the curve's timesteps: every tenth
constexpr size_t kCurveRowsPerFrame = 10;  // one network batch a frame keeps the page responsive

// Brings the strip, the look at t and the curve up to date; the curve a batch a frame.
void update(Studio& s, WeightsSlot& w, const std::vector<uint8_t>& sprite) {
  NoisingView& v = s.noising;
  const SampleParams& p = s.state.params;
  const int T = w.schedule->T;
  s.state.noising_t = std::clamp(s.state.noising_t, 1, T);
  SampleParams q = p;
  q.first_index = p.init.empty() ? s.selected : 0;  // a grid's sprite with its own noise
  const std::string key = hex_bytes(sprite) + " " + weights_key(s.state) + " " + format_context(p.context) + " " + std::to_string(p.seed) +
                          " " + std::to_string(q.first_index);
  UnetXnn& net = w.network(s.engine.pool);
  try {
    if (key != v.sprite_key) {
      v.sprite_key = key;
      v.shown_t = -1;
      v.curve_ts.clear();
      v.curve.clear();
      v.error.clear();
      std::vector<int> ts;
      for (int i = 0; i < kStripColumns; ++i) ts.push_back(i * T / (kStripColumns - 1));
      v.strip.upload(noised_sprites(*w.schedule, q, sprite, ts), kStripColumns, 16, kStripColumns);
      for (int t = kCurveStep; t <= T; t += kCurveStep) v.curve_ts.push_back(t);
    }
    if (v.shown_t != s.state.noising_t) {
      v.look = look_at_noised(net, *w.schedule, q, sprite, {s.state.noising_t})[0];
      v.shown_t = s.state.noising_t;
      v.x_t.upload(v.look.x_t, 1, 16, 1);
      v.x0.upload(v.look.x0, 1, 16, 1);
    }
    if (v.curve.size() < v.curve_ts.size()) {
      const auto from = v.curve_ts.begin() + static_cast<long>(v.curve.size());
      const std::vector<int> ts(from, from + static_cast<long>(std::min(kCurveRowsPerFrame, v.curve_ts.size() - v.curve.size())));
      for (const ForwardLook& l : look_at_noised(net, *w.schedule, q, sprite, ts)) v.curve.push_back(l.loss);
      if (v.curve.size() < v.curve_ts.size()) s.animating = true;  // keep drawing until it is whole
    }
  } catch (const std::exception& e) {
    v.error = e.what();
  }
}

// The noise error over t, on a log scale (it spans two orders of magnitude), with the slider's t marked.
void curve_plot(Studio& s, const NoisingView& v, int T) {
  if (v.curve.empty()) return;
  std::vector<float> logs;
  // Floored at 1e-4: a zero-terminal-SNR model's x_T is the noise itself, an error of exactly 0.
  for (double l : v.curve) logs.push_back(static_cast<float>(std::log10(std::max(l, 1e-4))));
  const auto [lo, hi] = std::minmax_element(logs.begin(), logs.end());
  double mean = 0;
  for (double l : v.curve) mean += l / static_cast<double>(v.curve.size());
  char overlay[96];
  std::snprintf(overlay, sizeof overlay, "noise error over t, log scale: %.3g at t = %d to %.3g", v.curve.front(), v.curve_ts.front(),
                v.curve.back());
  const ImVec2 size(std::min(ImGui::GetContentRegionAvail().x, 480.0f), 90.0f);
  ImGui::PlotLines("##noise_error", logs.data(), static_cast<int>(v.curve_ts.size()), 0, overlay, *lo - 0.1f, *hi + 0.1f, size);
  remember_item(s, "noising_curve");
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  const float x = a.x + (b.x - a.x) * static_cast<float>(v.shown_t - kCurveStep) / static_cast<float>(T - kCurveStep);
  if (x >= a.x && x <= b.x) ImGui::GetWindowDrawList()->AddLine(ImVec2(x, a.y), ImVec2(x, b.y), ImGui::GetColorU32(ImGuiCol_PlotLinesHovered));
  if (v.curve.size() < v.curve_ts.size()) {
    ImGui::TextDisabled("t = %d of %d ...", v.curve_ts[v.curve.size() - 1], T);
  } else {
    char line[200];
    std::snprintf(line, sizeof line,
                  "Mean over t: %.4f, what training's loss averages (over sprites, draws and t). Small t is the hard part: "
                  "there the noise is faint and the network must find it in the sprite's detail.",
                  mean);
    wrapped_disabled_text(line);
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
  NoisingView& v = s.noising;
  // While a new grid is drawn the last sprite stays, so a context slider does not blank the view.
  if (from_start || have_grid) {
    v.sprite = from_start ? s.state.params.init : sprite_of(s.gen->pixels(), s.selected);
    v.source = from_start ? "the starting sprite (Variations)" : "sprite " + std::to_string(s.selected) + " of the grid";
  }
  if (!w || v.sprite.empty()) {
    ImGui::TextDisabled("Generate a grid (or open a sprite in Variations) to noise one of its sprites.");
    return;
  }
  ImGui::Text("Noising %s%s.", v.source.c_str(), from_start || have_grid ? "" : " (a new grid is on its way)");
  ImGui::SetNextItemWidth(std::min(ImGui::GetContentRegionAvail().x, 420.0f));
  ImGui::SliderInt("t", &s.state.noising_t, 1, w->schedule->T, "t = %d", ImGuiSliderFlags_AlwaysClamp);
  remember_item(s, "noising_t");
  update(s, *w, v.sprite);
  if (!v.error.empty()) {
    wrapped_text(kErrorRed, v.error.c_str());
    return;
  }
  // On a phone the strip shrinks to the panel's width (labels where they fit) and the pair stacks.
  const float avail = ImGui::GetContentRegionAvail().x, gap = 3 * ImGui::GetStyle().ItemSpacing.x;
  const float zoom = std::min(3.0f, avail / (kStripColumns * 18.0f)), cell = 18 * zoom;  // a strip sprite with its gutter
  if (!v.strip.empty()) {
    ImGui::Image(v.strip.id(), ImVec2(v.strip.width() * zoom, v.strip.height() * zoom));
    const ImVec2 at = ImGui::GetItemRectMin();
    const int every = cell > ImGui::CalcTextSize("500 ").x ? 1 : cell * 2 > ImGui::CalcTextSize("500 ").x ? 2 : 5;
    for (int i = 0; i < kStripColumns; i += every) {
      char label[16];
      std::snprintf(label, sizeof label, "%d", i * w->schedule->T / (kStripColumns - 1));
      ImGui::GetWindowDrawList()->AddText(ImVec2(at.x + i * cell + zoom, at.y + cell), ImGui::GetColorU32(ImGuiCol_TextDisabled), label);
    }
    ImGui::Dummy(ImVec2(0, ImGui::GetTextLineHeight()));
  }
  const char* titles[] = {"x_t (the network's input)", "its guess of x_0"};
  const bool side_by_side = avail >= 2 * std::max(ImGui::CalcTextSize(titles[0]).x, 18 * 6.0f) + gap;
  const float big = std::min(10.0f, side_by_side ? (avail - gap) / (2 * 18.0f) : avail / 18.0f);
  for (int i = 0; i < 2; ++i) {
    const SpriteTexture& tex = i == 0 ? v.x_t : v.x0;
    if (i == 1 && side_by_side) ImGui::SameLine(0, gap);
    ImGui::BeginGroup();
    ImGui::TextUnformatted(titles[i]);
    if (!tex.empty()) ImGui::Image(tex.id(), ImVec2(tex.width() * big, tex.height() * big));
    ImGui::EndGroup();
  }
  const ForwardLook& l = v.look;
  ImGui::TextWrapped("t = %d: sqrt(abar_t) = %.3f of the sprite, sqrt(1 - abar_t) = %.3f of noise (signal-to-noise %.3g). "
                     "The network's noise error, the training loss at this t for this draw: %.4f.",
                     l.t, l.signal, l.noise, l.signal * l.signal / (l.noise * l.noise), l.loss);
  curve_plot(s, v, w->schedule->T);
  char note[160];
  std::snprintf(note, sizeof note, "Variations at strength %.2f start from this x_t. Guidance is left out, as in training; the context sliders apply.",
                static_cast<double>(l.t) / w->schedule->T);
  wrapped_disabled_text(note);
}

}  // namespace sprites
