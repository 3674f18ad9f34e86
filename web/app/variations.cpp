#include "variations.h"

#include "browser.h"
#include "repaint_mask.h"
#include "samplers/sampler_table.h"
#include "sprite_png.h"
#include "studio.h"
#include "tooltips.h"
#include "ui_style.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace sprites {

namespace {

void start_from(Studio& s, std::vector<uint8_t> sprite) {
  s.variations.error.clear();
  s.state.params.init = std::move(sprite);
  s.state.selected = 0;
  studio_generate(s);
}

// Which steps the sampler will run: a sampler with no timestep at or below strength x T (a 1-step
// student) starts from its last one, and then little of the sprite is left; this shows it.
void steps_line(Studio& s) {
  const WeightsSlot* w = active_weights(s);
  if (!w) return;
  try {
    SampleParams from_noise = s.state.params;
    from_noise.init.clear();
    const size_t all = make_sampler(*w->schedule, from_noise)->timesteps().size();
    const std::vector<int> ts = make_sampler(*w->schedule, s.state.params)->timesteps();
    const std::string line = "From t = " + std::to_string(ts.front()) + ": " + std::to_string(ts.size()) + " of " + std::to_string(all) + " steps" +
                             (ts.front() > init_timestep(*w->schedule, s.state.params.strength) ? ", its last" : "");
    wrapped_disabled_text(line.c_str());
  } catch (const std::exception&) {
    // The settings are invalid: Generate says why.
  }
}

// How the painter paints, and edits of the whole mask.
void mask_controls(Studio& s) {
  std::vector<uint8_t>& mask = s.state.params.mask;
  MaskPainter& m = s.variations.painter;
  const std::string line = mask.empty() ? "Paint on it to redraw only those pixels."
                                        : "Redrawing " + std::to_string(redrawn_pixels(mask)) + " of " +
                                              std::to_string(mask.size()) + " pixels; the others are kept.";
  wrapped_disabled_text(line.c_str());
  if (ImGui::RadioButton("Paint", !m.erase)) m.erase = false;
  ImGui::SameLine();
  if (ImGui::RadioButton("Erase", m.erase)) m.erase = true;
  remember_item(s, "mask_erase");
  ImGui::SameLine();
  ImGui::SetNextItemWidth(ImGui::CalcTextSize("000000").x);
  ImGui::SliderInt("Brush", &m.brush, 1, 4, "%d", ImGuiSliderFlags_AlwaysClamp);
  ImGui::BeginDisabled(mask.empty());
  if (ImGui::Button("Clear")) {
    mask.clear();
    studio_generate(s);
  }
  remember_item(s, "mask_clear");
  ImGui::SameLine();
  if (ImGui::Button("Invert")) {
    for (uint8_t& v : mask) v = v ? 0 : 1;
    if (redrawn_pixels(mask) == 0) mask.clear();
    studio_generate(s);
  }
  remember_item(s, "mask_invert");
  ImGui::EndDisabled();
  if (mask.empty()) {
    s.state.params.resample = 1;  // it fits redrawn pixels to kept ones: without a mask there are none
    return;
  }
  ImGui::SetNextItemWidth(ImGui::CalcTextSize("000000").x);
  ImGui::SliderInt("Resample", &s.state.params.resample, 1, SampleParams::kMaxResample, "%dx", ImGuiSliderFlags_AlwaysClamp);
  remember_item(s, "resample");
  tooltip("Each step runs this many times, noised back in between, so the redrawn pixels fit the kept ones "
          "better (RePaint's resampling). Sampling takes about that many times longer.");
  if (const std::string why = s.state.params.resample > 1 ? resample_refusal(s.state.params.sampler) : ""; !why.empty())
    wrapped_text(kErrorRed, (why + ".").c_str());
}

}  // namespace

void variations_button(Studio& s) {
  const bool have = s.gen && s.gen->finished();
  ImGui::BeginDisabled(!have);
  // On a phone, beside "Save sprite" under the tapped grid: the short label fits the row.
  const std::string label = sprite_beside_grid(s.layout) ? "Variations of sprite " + std::to_string(s.state.selected) + "###variations" : "Variations###variations";
  if (ImGui::Button(label.c_str()) && have) start_from(s, sprite_of(grid_pixels(s), s.state.selected));
  ImGui::EndDisabled();
  remember_item(s, "variations");
  tooltip("A grid that starts from this sprite, partly noised, instead of from pure noise: sprites like it, "
          "with the context and sampler set here.", ImGuiHoveredFlags_AllowWhenDisabled);
}

void variations_panel(Studio& s) {
  SampleParams& p = s.state.params;
  if (!p.init.empty() && p.init != s.variations.shown) ImGui::SetNextItemOpen(true);
  if (!ImGui::CollapsingHeader("Variations")) return;
  if (p.init.empty()) {
    ImGui::TextWrapped("Click a sprite of the grid, then \"Variations of sprite N\"; or start from a sprite of your own "
                       "(a 16x16 PNG, or a square multiple such as 32x32: open or drop it).");
  } else {
    if (p.init != s.variations.shown) {
      s.variations.tex.upload(p.init, 1, 16, 1);
      s.variations.shown = p.init;
    }
    // A finger covers several pixels of a small canvas: on touch layouts it takes the panel's width
    // (up to 20 CSS pixels a sprite pixel, in whole ones so the pixels stay even), the rest below.
    const float side = s.layout.touch ? std::floor(std::min(ImGui::GetContentRegionAvail().x, 320.0f) / 16.0f) * 16.0f : 128.0f;
    if (paint_mask(s.variations.painter, s.variations.tex.id(), 16, side, p.mask)) studio_generate(s);
    remember_item(s, "mask");
    if (!ImGui::IsItemActive() && p.mask.empty())  // afterwards the count line says it
      tooltip("Paint the pixels to redraw: the others are kept as they are, and the redrawn ones grow to fit them. "
              "Right button (or Erase) erases. Nothing painted: the whole sprite varies.");
    if (!s.layout.touch) ImGui::SameLine();
    ImGui::BeginGroup();
    ImGui::TextWrapped("Every sprite starts from this one.");
    ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x - ImGui::CalcTextSize("Strength").x - ImGui::GetStyle().ItemInnerSpacing.x);
    ImGui::SliderFloat("Strength", &p.strength, 0.05f, 1.0f, "%.2f");
    remember_item(s, "strength");
    tooltip("How much of the sprite the noise takes away: low keeps its shape and colours, 1 keeps almost "
            "nothing. The sampler runs only the steps from strength x 500 down.");
    steps_line(s);
    if (ImGui::Button("From noise again")) {
      p.init.clear();
      p.mask.clear();
      studio_generate(s);
    }
    remember_item(s, "from_noise");
    ImGui::EndGroup();
    mask_controls(s);
  }
  if (ImGui::Button("Open sprite...")) browser::open_file_picker();
  tooltip("A PNG to vary: a 16x16 sprite, larger pixel art, or a sprite this page saved; or drop one on the page. "
          "A grid this page saved opens the settings it was drawn with.");
  if (!s.variations.error.empty()) {
    wrapped_text(kErrorRed, s.variations.error.c_str());
    if (ImGui::SmallButton("Dismiss##variations")) s.variations.error.clear();
  }
}

void variations_open_image(Studio& s, const std::string& name, const uint8_t* rgba, int width, int height) {
  try {
    if (!rgba && width > 0)
      throw std::runtime_error(name + ": " + std::to_string(width) + "x" + std::to_string(height) + " pixels, far more than a sprite's");
    if (!rgba) throw std::runtime_error(name + ": not an image this browser decodes");
    start_from(s, sprite_from_rgba(rgba, width, height, 16, name));
  } catch (const std::exception& e) {
    s.variations.error = e.what();  // the current start, if any, stays
  }
}

}  // namespace sprites
