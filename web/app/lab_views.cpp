#include "lab_views.h"

#include "checkpoint_files.h"
#include "lab_downloads.h"
#include "label_names.h"
#include "png_writer.h"
#include "printable.h"
#include "studio.h"
#include "tooltips.h"
#include "training_plot.h"
#include "ui_style.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <string>

namespace sprites {

namespace {

LabPanel panel(const std::string& title, const std::string& weights_id, const SampleParams& p) {
  LabPanel l;
  l.title = title;
  l.weights_id = weights_id;
  l.params = p;
  return l;
}

}  // namespace

const std::vector<LabKind>& lab_kinds() {
  static const std::vector<LabKind> kinds = {
      {"compare", "DDPM vs DDIM",
       "DDPM (500 steps) and DDIM (25 steps) from the same noise: DDIM skips steps by following the deterministic path (lab 4).",
       "Run comparison", 3.0f, 4, "Download comparison",
       "One PNG: DDPM's sprites in the first row, DDIM's from the same noise in the second."},
      {"checkpoints", "Checkpoints", "The current settings on the weights saved after epochs 0, 4, 8 and at the end of training (lab 2).",
       "Run checkpoints", 3.0f, 4, "Download comparison",
       "One PNG, a row per checkpoint, oldest first: each column is one sprite's noise as training went on."},
      {"interpolate", "Interpolate",
       "The selected sprite's noise held fixed while the context slides from the current mix to the next class (lab 3).",
       "Run interpolation", 4.0f, 8, "Download animation", "An animated PNG of the frames, there and back, as the view plays them."},
  };
  return kinds;
}

const LabKind* find_lab_kind(const std::string& id) {
  for (const LabKind& k : lab_kinds())
    if (id == k.id) return &k;
  return nullptr;
}

namespace {

// The panels a run of `kind` draws, from the settings as they are now.
std::vector<LabPanel> lab_panels(const Studio& s, const std::string& kind) {
  std::vector<LabPanel> panels;
  const SampleParams& base = s.state.params;
  if (kind == "compare") {
    SampleParams ddpm = base, ddim = base;
    ddpm.sampler = "ddpm";
    ddim.sampler = "ddim";
    ddim.steps = 25;
    ddim.eta = 0;
    panels.push_back(panel("DDPM, 500 steps", weights_key(s.state), ddpm));
    panels.push_back(panel("DDIM, 25 steps", weights_key(s.state), ddim));
  } else if (kind == "checkpoints") {
    const auto& table = checkpoint_table();  // oldest first, as training went
    for (auto c = table.rbegin(); c != table.rend(); ++c) {
      const WeightsIndexEntry* ix = is_run_checkpoint(c->id) ? s.library->index_entry(c->id) : nullptr;  // those this page has
      // The epoch of "latest" moves as its run trains: its panel says which one it shows.
      if (ix) panels.push_back(panel(c->id == std::string(kLatestCheckpoint) ? checkpoint_label(*ix) : c->label, c->id, base));
    }
  } else if (kind == "interpolate") {
    // From the current context to the class after its strongest one, 8 frames, one sprite.
    const auto& a = base.context;
    const size_t top = static_cast<size_t>(std::max_element(a.begin(), a.end()) - a.begin());
    std::vector<float> b(a.size(), 0.0f);
    b[(top + 1) % b.size()] = 1;
    for (int i = 0; i < 8; ++i) {
      SampleParams p = base;
      p.count = 1;
      p.first_index = s.state.selected;
      const float u = static_cast<float>(i) / 7.0f;
      for (size_t k = 0; k < a.size(); ++k) p.context[k] = (1 - u) * a[k] + u * b[k];
      panels.push_back(panel(std::to_string((i * 100 + 3) / 7) + "%", weights_key(s.state), p));  // i/7, rounded
    }
  }
  return panels;
}

// What a panel is drawn from: its weights and sampling settings (a link's, and the first sprite).
std::string panel_inputs(const LabPanel& l) {
  ShareState in;
  in.params = l.params;
  return l.weights_id + " " + std::to_string(l.params.first_index) + " " + encode_share_link(in);
}

}  // namespace

void lab_start(Studio& s, const std::string& kind) {
  auto run = std::make_unique<LabRun>();
  run->kind = kind;
  run->state = s.state;
  if (const WeightsSlot* w = active_weights(s)) run->state.weights_hash = link_hash(w->hash);  // not the one a link asked for
  run->panels = lab_panels(s, kind);
  s.lab = std::move(run);
}

bool lab_settings_moved(const Studio& s) {
  if (!s.lab) return false;
  const std::vector<LabPanel> now = lab_panels(s, s.lab->kind);
  return !std::equal(now.begin(), now.end(), s.lab->panels.begin(), s.lab->panels.end(),
                     [](const LabPanel& a, const LabPanel& b) { return panel_inputs(a) == panel_inputs(b); });
}

void lab_advance(Studio& s, double now_ms) {
  if (!s.lab || s.lab->done()) return;
  LabPanel& l = s.lab->panels[s.lab->current];
  if (!l.gen) {
    // Checkpoints are fetched when this view first asks for them.
    const WeightsEntry* e = s.library->request(l.weights_id);
    if (e && e->state == WeightsEntry::State::fetching) return;
    std::shared_ptr<WeightsSlot> w = e && e->state == WeightsEntry::State::ready ? e->slot : nullptr;
    try {
      if (!w) throw std::runtime_error(e ? e->error : "'" + l.weights_id + "' is not among this page's checkpoints");
      // A checkpoint of the page's run beside a model of other classes opened here: its sliders cannot say what to draw.
      if (const auto& labels = w->weights->labels; labels.size() != l.params.context.size()) {
        throw std::runtime_error(std::to_string(labels.size()) + " labels (" + printable(join_labels(labels, ", ")) + "), not the " +
                                 std::to_string(l.params.context.size()) + " of the model in use: choose this run's model under Weights");
      }
      l.gen = std::make_unique<Generation>(w->network(s.engine.pool), *w->schedule, l.params, 1, slice_rows(s));
      l.weights = w;
    } catch (const std::exception& e) {
      l.error = e.what();
      ++s.lab->current;
      return;
    }
  }
  const bool finished = l.gen->advance(30.0);
  l.tex.upload(finished ? l.gen->pixels() : l.gen->preview_x0(), l.params.count, 16, grid_columns(l.params.count));
  if (finished) {
    ++s.lab->current;
    s.pacing.wake(now_ms);
  }
}

namespace {

// The grids of the view's run, as far as it has come, and what the finished run shows.
void lab_results(Studio& s, const LabKind& k) {
  const std::string kind = k.id;
  const float zoom = k.zoom;
  // At most per_row a row, and fewer where the next would not fit (a phone): each panel goes beside
  // the last only if a panel as wide ends inside the view.
  const float right = ImGui::GetCursorScreenPos().x + ImGui::GetContentRegionAvail().x;
  for (size_t i = 0; i < s.lab->panels.size(); ++i) {
    LabPanel& l = s.lab->panels[i];
    if (i % static_cast<size_t>(k.per_row) != 0 &&
        ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + ImGui::GetItemRectSize().x <= right)
      ImGui::SameLine();
    const auto [w, h] = grid_size(l.params.count, 16, grid_columns(l.params.count), 1);
    const ImVec2 size(static_cast<float>(w) * zoom, static_cast<float>(h) * zoom);
    ImGui::BeginGroup();
    ImGui::TextUnformatted(l.title.c_str());
    if (!l.error.empty()) {  // within the panel's width, so the panels keep their rows
      ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + size.x);
      ImGui::TextColored(kErrorRed, "%s", l.error.c_str());
      ImGui::PopTextWrapPos();
    }
    const WeightsEntry* fetching = !l.gen && l.error.empty() ? s.library->find(l.weights_id) : nullptr;
    if (fetching && fetching->state == WeightsEntry::State::fetching)
      ImGui::TextDisabled("fetching %.1f of %.1f MB", fetching->received / 1e6, fetching->total / 1e6);
    // A panel not started yet keeps its grid's place, so the rows wrap as they will when it is drawn.
    if (!l.tex.empty()) ImGui::Image(l.tex.id(), size);
    else ImGui::Dummy(size);
    if (l.gen && l.gen->finished()) ImGui::TextDisabled("%.0f ms", l.gen->elapsed_ms());
    else if (l.gen) ImGui::TextDisabled("%zu/%zu", l.gen->steps_done(), l.gen->total_steps());
    ImGui::EndGroup();
    remember_item(s, ("lab_panel_" + std::to_string(i)).c_str());
  }
  if (kind == "interpolate" && s.lab->done() && !s.lab->panels.empty()) {
    // Play the frames A -> B -> A as an animation.
    const int n = static_cast<int>(s.lab->panels.size()), period = 2 * n - 2;
    const int tick = static_cast<int>(ImGui::GetTime() * 6) % std::max(period, 1);
    s.animating = true;
    const LabPanel& l = s.lab->panels[static_cast<size_t>(tick < n ? tick : period - tick)];
    if (!l.tex.empty()) ImGui::Image(l.tex.id(), ImVec2(l.tex.width() * 12.0f, l.tex.height() * 12.0f));
  }
  if (kind == "compare" && s.lab->done() && s.lab->panels.size() == 2 && s.lab->panels[0].gen && s.lab->panels[1].gen) {
    const double a = s.lab->panels[0].gen->elapsed_ms(), b = s.lab->panels[1].gen->elapsed_ms();
    ImGui::Text("Speed-up of DDIM-25 over DDPM-500: %.1fx (%.0f ms vs %.0f ms)", a / std::max(b, 1e-3), b, a);
  }
}

}  // namespace

std::string checkpoints_source(const Studio& s) {
  const std::string key = weights_key(s.state);
  const WeightsEntry* e = s.library ? s.library->find(key) : nullptr;
  if (!e || find_checkpoint(key)) return "";
  for (const WeightsIndexEntry& ix : s.library->index())
    if (!e->hash.empty() && ix.hash.compare(0, e->hash.size(), e->hash) == 0) return "";  // the run's own file, opened or at a URL
  return "These are the checkpoints of this page's run; the model in use, " + s.library->shown_label(*e) + ", is not one of them.";
}

void lab_view(Studio& s, const LabKind& k) {
  const std::string kind = k.id;
  ImGui::TextWrapped("%s", k.what);
  if (const std::string source = kind == "checkpoints" ? checkpoints_source(s) : ""; !source.empty()) wrapped_disabled_text(source.c_str());
  const bool running = s.lab && s.lab->kind == kind && !s.lab->done();
  ImGui::BeginDisabled(running);
  const bool moved = s.lab && s.lab->kind == kind && lab_settings_moved(s);
  if (ImGui::Button((std::string(k.button) + (moved ? " (settings changed)" : "") + "###run_lab").c_str())) lab_start(s, kind);
  ImGui::EndDisabled();
  remember_item(s, "run_lab");
  if (moved) tooltip("These grids were drawn with other settings (their download keeps them): running it again draws these.");
  if (s.lab && s.lab->kind == kind) {
    lab_results(s, k);
    const bool ready = lab_download_ready(s, k);
    ImGui::BeginDisabled(!ready);
    if (ImGui::Button(k.download) && ready) download_lab(s, k);
    ImGui::EndDisabled();
    remember_item(s, "download_lab");
    tooltip(k.download_about, ImGuiHoveredFlags_AllowWhenDisabled);
  }
  if (kind == "checkpoints") training_plot(*s.library);  // under the grids: on a phone the sprites come first
}

}  // namespace sprites
