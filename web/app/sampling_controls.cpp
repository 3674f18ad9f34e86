#include "sampling_controls.h"

#include "live_preview.h"
#include "sampler_advice.h"
#include "samplers/sampler_table.h"
#include "sampling_help.h"
#include "studio.h"
#include "tooltips.h"
#include "ui_style.h"
#include "verbatim_text.h"

#include <imgui.h>

#include <algorithm>
#include <cfloat>
#include <random>

namespace sprites {

void context_panel(Studio& s) {
  WeightsSlot* w = active_weights(s);
  if (!w) {  // the sliders are the weights' labels
    ImGui::TextDisabled("The sliders come with the weights (loading).");
    return;
  }
  auto& ctx = s.state.params.context;
  bool uncond = is_unconditional(ctx);
  if (ImGui::Checkbox("Unconditional", &uncond)) {
    if (uncond) {
      s.context_before_unconditional = ctx;
      std::fill(ctx.begin(), ctx.end(), 0.0f);
    } else {
      ctx = s.context_before_unconditional.size() == ctx.size() ? s.context_before_unconditional : ctx;
      if (is_unconditional(ctx)) ctx[0] = 1;
    }
  }
  tooltip(kContextHelp);
  remember_item(s, "unconditional");
  // A model's labels go beside their sliders where all of them fit there, else each above its
  // slider, wrapped: a user's class names may be longer than a phone's panel is wide.
  const auto& label = w->weights->labels;
  const float beside = ImGui::GetContentRegionAvail().x - ImGui::CalcItemWidth() - ImGui::GetStyle().ItemInnerSpacing.x;
  const bool fit = std::all_of(label.begin(), label.end(), [&](const std::string& l) { return ImGui::CalcTextSize(l.c_str()).x <= beside; });
  for (size_t i = 0; i < ctx.size(); ++i) {
    const std::string id = "context:" + std::to_string(i);
    auto name = [&] {
      ImGui::TextWrapped("%s", label[i].c_str());
      tooltip(kContextHelp);
      remember_item(s, ("label:" + std::to_string(i)).c_str());
    };
    if (!fit) {
      name();
      ImGui::SetNextItemWidth(-FLT_MIN);
    }
    ImGui::SliderFloat(("##" + id).c_str(), &ctx[i], 0.0f, 1.0f, "%.2f");
    tooltip(kContextHelp);
    live_track_item(s);
    remember_item(s, id.c_str());
    if (fit) {
      ImGui::SameLine(0, ImGui::GetStyle().ItemInnerSpacing.x);
      name();
    }
  }
  ImGui::TextDisabled("One class:");
  for (size_t i = 0; i < ctx.size(); ++i) {
    const std::string id = "class:" + std::to_string(i);
    if (i) same_line_if_fits(label[i].c_str());
    if (text_button(id.c_str(), label[i])) {
      std::fill(ctx.begin(), ctx.end(), 0.0f);
      ctx[i] = 1;
    }
    remember_item(s, id.c_str());
  }
  // The course's lab 3 mixes (hero + food 0.6, non-human + spell), named by this model's labels.
  if (ctx.size() >= 4) {
    auto mix = [&](const char* id, size_t a, size_t b, float wb, const std::string& text) {
      same_line_if_fits(text.c_str());
      if (text_button(id, text)) {
        std::fill(ctx.begin(), ctx.end(), 0.0f);
        ctx[a] = 1;
        ctx[b] = wb;
      }
      remember_item(s, id);
    };
    ImGui::TextDisabled("Mixes:");
    mix("mix:0", 0, 2, 0.6f, label[0] + " + " + label[2] + " 0.6");
    mix("mix:1", 1, 3, 1.0f, label[1] + " + " + label[3]);
  }
}

void sampler_panel(Studio& s) {
  SampleParams& p = s.state.params;
  const SamplerInfo* sampler = find_sampler(p.sampler);
  if (ImGui::BeginCombo("Sampler", sampler ? sampler->label : p.sampler.c_str())) {
    for (const SamplerInfo& info : sampler_table()) {
      if (ImGui::Selectable(info.label, &info == sampler)) p.sampler = info.id;
      tooltip(info.about);
      remember_item(s, (std::string("sampler:") + info.id).c_str());
    }
    ImGui::EndCombo();
  } else if (sampler) {
    tooltip(sampler->about);
  }
  remember_item(s, "sampler");  // the combo's: a window's end gives its parent's last item back
  sampler = find_sampler(p.sampler);
  if (sampler && sampler->uses_steps) {
    ImGui::SliderInt("Steps", &p.steps, 1, 500, "%d", ImGuiSliderFlags_Logarithmic);
    tooltip(kStepsHelp);
  }
  if (sampler && sampler->uses_eta) {
    ImGui::SliderFloat("Eta", &p.eta, 0.0f, 1.0f, "%.2f");
    tooltip(kEtaHelp);
  }
  ImGui::SliderFloat("Guidance", &p.guidance, 0.0f, 10.0f, "%.1f");
  tooltip(kGuidanceHelp);
  remember_item(s, "guidance");
  live_track_item(s);
  const WeightsSlot* active = active_weights(s);
  if (const FastSetting* fast = active ? best_fast_setting(active->weights->arch) : nullptr) {
    if (ImGui::SmallButton("Best fast setting")) {
      p.sampler = fast->sampler;
      p.steps = fast->steps;
      p.guidance = fast->guidance;
    }
    tooltip(fast->measured);
    remember_item(s, "best_fast");
  }
  ImGui::SliderInt("Sprites", &p.count, 1, 64);
  unsigned seed = static_cast<unsigned>(p.seed);
  if (ImGui::InputScalar("Seed", ImGuiDataType_U32, &seed)) p.seed = seed;
  tooltip(kSeedHelp);
  remember_text_field(s, "seed", true);
  if (entered()) studio_generate(s);  // the typed seed's grid
  live_track_item(s);
  ImGui::SameLine();
  if (ImGui::Button("Dice")) p.seed = std::random_device{}();
  remember_item(s, "dice");
  live_controls(s);
  remember_item(s, "live");
}

}  // namespace sprites
