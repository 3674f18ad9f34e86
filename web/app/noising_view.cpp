#include "noising_view.h"

#include "browser.h"
#include "checkpoint_files.h"
#include "checksum.h"
#include "grid_downloads.h"
#include "loss_plot.h"
#include "png_writer.h"
#include "sprite_background.h"
#include "sprite_pair.h"
#include "studio.h"
#include "tooltips.h"
#include "ui_style.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace sprites {

namespace {

constexpr int kCurveStep = 10;     // the curve's timesteps: every tenth
constexpr size_t kCurveRowsPerFrame = 10;  // one network batch a frame keeps the page responsive

// The curves to draw: the model in use, or each checkpoint of its run, oldest first.
std::vector<NoiseErrorCurve> curves_for(Studio& s) {
  if (!s.state.noising_over_training || !is_run_checkpoint(s.state.weights_id)) return {{weights_key(s.state), "this model", {}, ""}};
  std::vector<NoiseErrorCurve> curves;
  const auto& table = checkpoint_table();  // newest first
  for (auto c = table.rbegin(); c != table.rend(); ++c)
    if (is_run_checkpoint(c->id) && s.library->index_entry(c->id)) curves.push_back({c->id, c->label, {}, ""});
  return curves;
}

// The next batch of the first curve not yet whole, once its weights are here. Returns whether
// there is more to do.
bool advance_curves(Studio& s, WeightsSlot& active, const SampleParams& q) {
  NoisingView& v = s.noising;
  for (NoiseErrorCurve& c : v.curves) {
    if (!c.error.empty() || c.values.size() == v.curve_ts.size()) continue;
    WeightsSlot* w = &active;
    if (c.weights != weights_key(s.state)) {
      const WeightsEntry* e = s.library->request(c.weights);  // the Checkpoints view fetches the same files
      if (!e || e->state == WeightsEntry::State::failed) {
        c.error = e ? e->error : "not among this page's checkpoints";
        continue;
      }
      if (e->state == WeightsEntry::State::fetching) return true;
      w = e->slot.get();
    }
    try {
      const auto from = v.curve_ts.begin() + static_cast<long>(c.values.size());
      const std::vector<int> ts(from, from + static_cast<long>(std::min(kCurveRowsPerFrame, v.curve_ts.size() - c.values.size())));
      for (const ForwardLook& l : look_at_noised(w->network(s.engine.pool), *w->schedule, q, v.sprite, ts)) c.values.push_back(l.loss);
    } catch (const std::exception& e) {
      c.error = e.what();
    }
    return true;
  }
  return false;
}

// The settings the view noises with: the context and seed, and a grid's sprite with its own noise.
SampleParams noising_params(const Studio& s) {
  SampleParams q = s.state.params;
  q.first_index = q.init.empty() ? s.state.selected : 0;
  return q;
}

// "Download strip": the strip `sprites noising --out` writes, x_t above the network's guesses, 8x.
void download_strip(Studio& s, WeightsSlot& w) {
  NoisingView& v = s.noising;
  const std::vector<int> ts = strip_timesteps(w.schedule->T);
  try {
    const Image sheet = sprite_sheet(noising_strip(w.network(s.engine.pool), *w.schedule, noising_params(s), v.sprite), 2 * kNoisedStripColumns,
                                     16, kNoisedStripColumns, kLabDownloadScale, false);
    const std::string what = "x_t at t = 0, " + std::to_string(ts[1]) + ", ..., " + std::to_string(ts.back()) +
                             " above the network's guesses of x_0, for " + v.source;
    browser::download("noising-" + std::to_string(s.state.params.seed) + "-" + std::to_string(s.state.selected) + ".png",
                      encode_png(sheet, download_text(shareable_link(s, grid_state(s)), what)), "image/png");
  } catch (const std::exception& e) {
    v.error = e.what();  // one line in the view, as update's
  }
}

// Brings the strip, the look at t and the curves up to date; the curves a batch a frame.
void update(Studio& s, WeightsSlot& w) {
  NoisingView& v = s.noising;
  const SampleParams& p = s.state.params;
  const int T = w.schedule->T;
  s.state.noising_t = std::clamp(s.state.noising_t, 1, T);
  const SampleParams q = noising_params(s);
  const std::string key = hex_bytes(v.sprite) + " " + weights_key(s.state) + " " + format_context(p.context) + " " + std::to_string(p.seed) +
                          " " + std::to_string(q.first_index) + (s.state.noising_over_training ? " training" : "");
  try {
    if (key != v.sprite_key) {
      v.sprite_key = key;
      v.shown_t = -1;
      v.error.clear();
      v.strip.upload(noised_sprites(*w.schedule, q, v.sprite, strip_timesteps(T)), kNoisedStripColumns, 16, kNoisedStripColumns);
      v.curve_ts = curve_timesteps(T, kCurveStep);
      v.curves = curves_for(s);
    }
    if (v.shown_t != s.state.noising_t) {
      v.look = look_at_noised(w.network(s.engine.pool), *w.schedule, q, v.sprite, {s.state.noising_t})[0];
      v.shown_t = s.state.noising_t;
      v.x_t.upload(v.look.x_t, 1, 16, 1);
      v.x0.upload(v.look.x0, 1, 16, 1);
    }
  } catch (const std::exception& e) {
    v.error = e.what();
  }
  if (advance_curves(s, w, q)) s.animating = true;  // keep drawing until they are whole
}

// The curves, the option to see them over training, and what they say.
void curves_panel(Studio& s, int T) {
  NoisingView& v = s.noising;
  if (is_run_checkpoint(s.state.weights_id)) {
    ImGui::Checkbox("Over training", &s.state.noising_over_training);
    remember_item(s, "noising_over_training");
    tooltip("The curve for each checkpoint of this run, epoch 0 to the end (fetched when asked for): training "
            "lowers it.");
  }
  std::vector<PlotSeries> series;
  for (size_t i = 0; i < v.curves.size(); ++i) {
    const NoiseErrorCurve& c = v.curves[i];
    if (!c.error.empty()) wrapped_text(kErrorRed, (c.label + ": " + c.error).c_str());
    series.push_back({c.label, c.values, v.curves.size() == 1 ? ImGui::GetColorU32(ImGuiCol_PlotLines) : series_colour(i)});
  }
  loss_plot("##noise_error", std::vector<double>(v.curve_ts.begin(), v.curve_ts.end()), series, {{static_cast<double>(v.shown_t), ""}}, "t",
            ImVec2(std::min(ImGui::GetContentRegionAvail().x, 480.0f), 100.0f));
  remember_item(s, "noising_curve");
  for (const NoiseErrorCurve& c : v.curves)
    if (c.error.empty() && c.values.size() < v.curve_ts.size()) {
      const WeightsEntry* e = c.weights == weights_key(s.state) ? nullptr : s.library->find(c.weights);
      if (e && e->state == WeightsEntry::State::fetching) ImGui::TextDisabled("%s: fetching %.1f of %.1f MB", c.label.c_str(), e->received / 1e6, e->total / 1e6);
      else ImGui::TextDisabled("%s: t = %zu of %d ...", c.label.c_str(), c.values.size() * kCurveStep, T);
      return;
    }
  if (v.curves.empty() || v.curves.back().values.empty()) return;
  char line[240];
  const std::vector<double>& last = v.curves.back().values;
  double mean = 0;
  for (double l : last) mean += l / static_cast<double>(last.size());
  std::snprintf(line, sizeof line,
                "The noise error over t (log scale), %.3g at t = %d to %.3g at %d; mean %.4f for %s, what training's loss averages "
                "(over sprites, draws and t). Small t is the hard part: there the noise is faint.",
                last.front(), v.curve_ts.front(), last.back(), v.curve_ts.back(), mean, v.curves.back().label.c_str());
  wrapped_disabled_text(line);
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
    v.sprite = from_start ? s.state.params.init : sprite_of(grid_pixels(s), s.state.selected);
    v.source = from_start ? "the starting sprite (Variations)" : "sprite " + std::to_string(s.state.selected) + " of the grid";
  }
  if (!w || v.sprite.empty()) {
    ImGui::TextDisabled("Generate a grid (or open a sprite in Variations) to noise one of its sprites.");
    return;
  }
  ImGui::Text("Noising %s%s.", v.source.c_str(), from_start || have_grid ? "" : " (a new grid is on its way)");
  ImGui::SetNextItemWidth(std::min(ImGui::GetContentRegionAvail().x, 420.0f));
  ImGui::SliderInt("t", &s.state.noising_t, 1, w->schedule->T, "t = %d", ImGuiSliderFlags_AlwaysClamp);
  remember_item(s, "noising_t");
  update(s, *w);
  if (!v.error.empty()) {
    wrapped_text(kErrorRed, v.error.c_str());
    return;
  }
  // On a phone the strip shrinks to the panel's width (labels where they fit), and so does the pair.
  const float avail = ImGui::GetContentRegionAvail().x;
  const float zoom = std::min(3.0f, avail / (kNoisedStripColumns * 18.0f)), cell = 18 * zoom;  // a strip sprite with its gutter
  if (!v.strip.empty()) {
    ImGui::Image(v.strip.id(), ImVec2(v.strip.width() * zoom, v.strip.height() * zoom));
    const ImVec2 at = ImGui::GetItemRectMin();
    const int every = cell > ImGui::CalcTextSize("500 ").x ? 1 : cell * 2 > ImGui::CalcTextSize("500 ").x ? 2 : 5;
    const std::vector<int> ts = strip_timesteps(w->schedule->T);
    for (int i = 0; i < kNoisedStripColumns; i += every) {
      char label[16];
      std::snprintf(label, sizeof label, "%d", ts[static_cast<size_t>(i)]);
      ImGui::GetWindowDrawList()->AddText(ImVec2(at.x + i * cell + zoom, at.y + cell), ImGui::GetColorU32(ImGuiCol_TextDisabled), label);
    }
    ImGui::Dummy(ImVec2(0, ImGui::GetTextLineHeight()));
    if (ImGui::SmallButton("Download strip")) download_strip(s, *w);
    remember_item(s, "download_strip");
    tooltip("One PNG, as `sprites noising --out` writes it: the sprite noised to each t above the network's guess "
            "of the clean sprite from that one look.");
  }
  const char* const titles[] = {"x_t (the network's input)", "its guess of x_0"};
  sprite_pair(titles, v.x_t, v.x0, 10.0f);
  remember_item(s, "noising_pair");
  const ForwardLook& l = v.look;
  ImGui::TextWrapped("t = %d: sqrt(abar_t) = %.3f of the sprite, sqrt(1 - abar_t) = %.3f of noise (signal-to-noise %.3g). "
                     "The network's noise error, the training loss at this t for this draw: %.4f.",
                     l.t, l.signal, l.noise, l.signal * l.signal / (l.noise * l.noise), l.loss);
  curves_panel(s, w->schedule->T);
  char note[160];
  std::snprintf(note, sizeof note, "Variations at strength %.2f start from this x_t. Guidance is left out, as in training; the context sliders apply.",
                static_cast<double>(l.t) / w->schedule->T);
  wrapped_disabled_text(note);
}

}  // namespace sprites
