#include "variations.h"

#include "browser.h"
#include "sprite_png.h"
#include "studio.h"
#include "ui_style.h"

#include <imgui.h>

#include <stdexcept>

namespace sprites {

namespace {

void start_from(Studio& s, std::vector<uint8_t> sprite) {
  s.variations.error.clear();
  s.state.params.init = std::move(sprite);
  s.selected = 0;
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
    ImGui::TextDisabled("From t = %d: %zu of %zu steps%s", ts.front(), ts.size(), all,
                        ts.front() > init_timestep(*w->schedule, s.state.params.strength) ? ", its last" : "");
  } catch (const std::exception&) {
    // The settings are invalid: Generate says why.
  }
}

}  // namespace

void variations_button(Studio& s) {
  const bool have = s.gen && s.gen->finished();
  ImGui::BeginDisabled(!have);
  const std::string label = "Variations of sprite " + std::to_string(s.selected);
  if (ImGui::Button(label.c_str()) && have) start_from(s, sprite_of(s.gen->pixels(), s.selected));
  ImGui::EndDisabled();
  remember_item(s, "variations");
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip("A grid that starts from this sprite, partly noised, instead of from pure noise:\n"
                      "sprites like it, with the context and sampler set here.");
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
    ImGui::Image(s.variations.tex.id(), ImVec2(s.variations.tex.width() * 3.0f, s.variations.tex.height() * 3.0f));
    ImGui::SameLine();
    ImGui::BeginGroup();
    ImGui::TextUnformatted("Every sprite starts from this one.");
    ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x - ImGui::CalcTextSize("Strength").x - ImGui::GetStyle().ItemInnerSpacing.x);
    ImGui::SliderFloat("Strength", &p.strength, 0.05f, 1.0f, "%.2f");
    remember_item(s, "strength");
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("How much of the sprite the noise takes away: low keeps its shape and colours, 1 keeps almost nothing.\n"
                        "The sampler runs only the steps from strength x 500 down.");
    steps_line(s);
    if (ImGui::Button("From noise again")) {
      p.init.clear();
      studio_generate(s);
    }
    remember_item(s, "from_noise");
    ImGui::EndGroup();
  }
  if (ImGui::Button("Open sprite...")) browser::open_file_picker();
  if (!s.variations.error.empty()) {
    ImGui::TextColored(kErrorRed, "%s", s.variations.error.c_str());
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
