#include "studio.h"

#include "browser.h"
#include "layout.h"
#include "checkpoint_files.h"
#include "grid_downloads.h"
#include "pixel_art_panel.h"
#include "png_writer.h"
#include "sampler_advice.h"
#include "sprite_background.h"
#include "sprite_pair.h"
#include "variations.h"
#include "weights_panel.h"
#include "samplers/sampler_table.h"
#include "sampling_help.h"
#include "tooltips.h"
#include "ui_style.h"

#include <imgui.h>
#include <imgui_internal.h>  // the window's MoveId: a drag on empty space scrolls on a phone

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <functional>
#include <random>

namespace sprites {

namespace {

void publish_hash(Studio& s) {
  const WeightsSlot* w = active_weights(s);
  if (w) s.state.weights_hash = w->hash.substr(0, 8);
  const std::string h = shareable_link(s, s.state);
  if (h != s.published_hash) {
    browser::replace_location_hash(h);
    s.published_hash = h;
  }
}

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
  for (size_t i = 0; i < ctx.size(); ++i) {
    ImGui::SliderFloat(w->weights->labels[i].c_str(), &ctx[i], 0.0f, 1.0f, "%.2f");
    tooltip(kContextHelp);
    live_track_item(s);
    remember_item(s, ("context:" + std::to_string(i)).c_str());
  }
  ImGui::TextDisabled("One class:");
  for (size_t i = 0; i < ctx.size(); ++i) {
    if (i) ImGui::SameLine();
    if (ImGui::SmallButton(w->weights->labels[i].c_str())) {
      std::fill(ctx.begin(), ctx.end(), 0.0f);
      ctx[i] = 1;
    }
  }
  // The course's lab 3 mixes (hero + food 0.6, non-human + spell), named by this model's labels.
  if (ctx.size() >= 4) {
    const auto& label = w->weights->labels;
    auto mix = [&](size_t a, size_t b, float wb, const std::string& text) {
      if (!ImGui::SmallButton(text.c_str())) return;
      std::fill(ctx.begin(), ctx.end(), 0.0f);
      ctx[a] = 1;
      ctx[b] = wb;
    };
    ImGui::TextDisabled("Mixes:");
    ImGui::SameLine();
    mix(0, 2, 0.6f, label[0] + " + " + label[2] + " 0.6");
    ImGui::SameLine();
    mix(1, 3, 1.0f, label[1] + " + " + label[3]);
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

void download_sprite_button(Studio& s, bool have) {
  if (ImGui::Button(sprite_beside_grid(s.layout) ? "Download sprite###download_sprite" : "Save sprite###download_sprite") && have)
    download_sprite(s);
  remember_item(s, "download_sprite");
}

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
  if (!s.gen_error.empty()) ImGui::TextColored(kErrorRed, "%s", s.gen_error.c_str());
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
  ImGui::Checkbox("Transparent background", &s.transparent);
  remember_item(s, "transparent");
  tooltip("Downloads without the flat background around each sprite (RGBA PNG), to draw over a game's scene");
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
  }
}

// Beside the grid on a desktop, the enlarged sprite (and its buttons).
constexpr float kSpriteBesideGrid = 190.0f;
constexpr float kGridMargin = 8.0f;  // below the grid

// Whole-number zoom keeps sprite pixels square.
float grid_zoom(float grid_w, float grid_h, float width, float height) {
  return std::max(1.0f, std::floor(std::min(width / grid_w, (height - kGridMargin) / grid_h)));
}

// A phone's views (above the controls) are as high as the tab bar and the grid at the zoom its
// width allows, and at most 60% of the screen: sized for the width alone, they left a band of
// empty screen between the grid and the first control.
float stacked_views_height(const Studio& s, ImVec2 avail) {
  const int count = s.gen ? s.gen->params().count : s.state.params.count;
  const auto [w, h] = grid_size(count, 16, grid_columns(count), 1);
  const float tabs = ImGui::GetFrameHeightWithSpacing();  // the tab bar, and the spacing under it
  const float grid = grid_zoom(static_cast<float>(w), static_cast<float>(h), avail.x, FLT_MAX) * static_cast<float>(h);
  return std::min(tabs + grid + kGridMargin + 1.0f, avail.y * 0.6f);  // 1: the zoom's floor survives rounding
}

void grid_view(Studio& s) {
  if (!s.gen || s.grid_tex.empty()) {
    ImGui::TextDisabled("Press Generate.");
    return;
  }
  if (s.gen->finished() && s.pixel_art.tex_look != grid_look(s.state.colours, s.state.palette)) show_grid(s);  // a control or a link moved
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float beside = sprite_beside_grid(s.layout) ? kSpriteBesideGrid : 0.0f;
  const float zoom = grid_zoom(s.grid_tex.width(), s.grid_tex.height(), avail.x - beside, avail.y);
  const ImVec2 origin = ImGui::GetCursorScreenPos();
  ImGui::Image(s.grid_tex.id(), ImVec2(s.grid_tex.width() * zoom, s.grid_tex.height() * zoom));
  remember_item(s, "grid");
  if (ImGui::IsItemClicked()) {
    const ImVec2 m = ImGui::GetIO().MousePos;
    const int cx = static_cast<int>((m.x - origin.x) / (17 * zoom)), cy = static_cast<int>((m.y - origin.y) / (17 * zoom));
    const int k = cy * s.grid_tex.cols() + cx;
    if (cx >= 0 && cx < s.grid_tex.cols() && k >= 0 && k < s.gen->params().count) {
      s.state.selected = k;
      s.picked = true;
      s.shown_snapshot = -2;
    }
  }
  if (beside == 0) return;
  ImGui::SameLine();
  ImGui::BeginGroup();
  ImGui::Text("Sprite %d", s.state.selected);
  const auto sprite = sprite_of(grid_pixels(s), s.state.selected);
  const ImVec2 at = ImGui::GetCursorScreenPos();
  if (s.transparent) {
    // As it downloads: what is cleared shows a checkerboard, one square per sprite pixel.
    s.sel_tex.upload(with_transparent_background(sprite, 1, 16), 1, 16, 1, 4);
    ImDrawList* draw = ImGui::GetWindowDrawList();
    for (int y = 0; y < s.sel_tex.height(); ++y)
      for (int x = 0; x < s.sel_tex.width(); ++x)
        draw->AddRectFilled(ImVec2(at.x + x * 10.0f, at.y + y * 10.0f), ImVec2(at.x + x * 10.0f + 10, at.y + y * 10.0f + 10),
                            (x + y) % 2 ? IM_COL32(110, 110, 110, 255) : IM_COL32(160, 160, 160, 255));
  } else {
    s.sel_tex.upload(sprite, 1, 16, 1);
  }
  ImGui::Image(s.sel_tex.id(), ImVec2(s.sel_tex.width() * 10.0f, s.sel_tex.height() * 10.0f));
  variations_button(s);
  ImGui::EndGroup();
}

// The denoising of the selected sprite as an animated PNG, as the course shows its gif: x_t and the
// predicted x_0 side by side, one frame per kept step, the finished sprite held at the end.
void download_denoising(Studio& s) {
  std::vector<Image> frames;
  std::vector<int> delays;
  for (const Snapshot& snap : s.gen->snapshots()) {
    std::vector<uint8_t> pair = sprite_of(snap.x, s.state.selected);
    const std::vector<uint8_t> x0 = sprite_of(snap.x0, s.state.selected);
    pair.insert(pair.end(), x0.begin(), x0.end());
    frames.push_back(grid_image(pair, 2, 16, 2, kDownloadScale));
    delays.push_back(120);
  }
  delays.back() = 1500;
  browser::download("denoising-" + std::to_string(s.gen->params().seed) + "-" + std::to_string(s.state.selected) + ".png",
                    encode_apng(frames, delays, download_text(shareable_link(s, grid_state(s)))), "image/png");
}

void denoise_view(Studio& s) {
  if (!s.gen || s.gen->snapshots().empty()) {
    ImGui::TextDisabled("Generate to watch the selected sprite being denoised.");
    return;
  }
  const auto& snaps = s.gen->snapshots();
  const int last = static_cast<int>(snaps.size()) - 1;
  int idx = s.scrub < 0 || s.scrub > last ? last : s.scrub;
  ImGui::TextWrapped("Sprite %d, step %d of %zu kept: timestep t = %d", s.state.selected, idx + 1, snaps.size(), snaps[idx].t);
  int step = idx + 1;  // counted from 1, as the line above says it
  if (ImGui::SliderInt("Step", &step, 1, last + 1)) {
    idx = step - 1;
    s.scrub = idx == last ? -1 : idx;
  }
  if (idx != s.shown_snapshot) {
    s.x0_tex.upload(sprite_of(snaps[idx].x0, s.state.selected), 1, 16, 1);
    s.x_tex.upload(sprite_of(snaps[idx].x, s.state.selected), 1, 16, 1);
    s.shown_snapshot = idx;
  }
  const char* const titles[] = {"x_t (current sample)", "predicted x_0"};
  sprite_pair(titles, s.x_tex, s.x0_tex, 12.0f);
  remember_item(s, "denoise_pair");
  ImGui::TextWrapped("DDPM adds fresh noise at every step; the \"without noise\" sampler shows why that matters "
                     "(lab 1). Predicted x_0 is the model's guess of the finished sprite at each step.");
  if (ImGui::Button("Download animation")) download_denoising(s);
  remember_item(s, "download_animation");
  tooltip("An animated PNG of the selected sprite: x_t beside predicted x_0, step by step.");
}

void advance_generation(Studio& s, double now_ms) {
  if (!s.gen || !s.gen->running()) return;
  // A slice per frame keeps the page responsive; the pthread build spreads each step over workers.
  s.gen->advance(30.0);
  show_grid(s);
  s.shown_snapshot = -2;
  if (s.gen->finished()) {
    ++s.generations;
    s.pacing.wake(now_ms);  // the finished grid goes on screen in this frame
    if (s.first_grid_ms < 0) {
      s.first_grid_ms = now_ms - s.start_ms;
      s.first_grid_at_ms = now_ms;
      s.first_grid_sampling_ms = s.gen->elapsed_ms();
    }
  }
}

void engine_line(const Studio& s) {
  ImGui::TextDisabled("XNNPACK, %d thread%s (%s build)", s.engine.threads, s.engine.threads == 1 ? "" : "s",
                      s.build == "mt" ? "pthread" : "single-thread");
}

void controls(Studio& s) {
  // On a phone, Generate and the link come first, then the sliders; a finger drag on empty space
  // scrolls (ImGui 1.86 scrolls only by wheel or scrollbar).
  // Where the controls show (tests): the width a row may fill, the height that is on screen.
  const ImVec2 at = ImGui::GetWindowPos(), lo = ImGui::GetWindowContentRegionMin(), hi = ImGui::GetWindowContentRegionMax();
  s.ui["controls"] = {at.x + lo.x, at.y, hi.x - lo.x, ImGui::GetWindowHeight()};
  if (s.layout.stacked) run_panel(s);
  else engine_line(s);
  if (!s.layout.stacked && ImGui::CollapsingHeader("Weights", ImGuiTreeNodeFlags_DefaultOpen)) weights_panel(s);
  if (ImGui::CollapsingHeader("Context", ImGuiTreeNodeFlags_DefaultOpen)) context_panel(s);
  if (ImGui::CollapsingHeader("Sampling", ImGuiTreeNodeFlags_DefaultOpen)) sampler_panel(s);
  variations_panel(s);
  if (s.layout.stacked && ImGui::CollapsingHeader("Weights")) weights_panel(s);
  if (!s.layout.stacked) run_panel(s);
  pixel_art_panel(s);
  if (s.layout.stacked) engine_line(s);
  // A press on empty space makes the window itself the active item (ImGui starts a window move,
  // though this one cannot move), so "no item active" would never hold there.
  if (s.layout.touch && ImGui::IsWindowHovered() && ImGui::GetActiveID() == ImGui::GetCurrentWindow()->MoveId &&
      ImGui::IsMouseDragging(ImGuiMouseButton_Left))
    ImGui::SetScrollY(ImGui::GetScrollY() - ImGui::GetIO().MouseDelta.y);
}

void views(Studio& s) {
  // A phone's width truncates six tabs to three letters each ("DDP...", "Den..."): there they keep
  // their names and scroll, with a list of them all behind a button.
  const ImGuiTabBarFlags narrow = ImGuiTabBarFlags_FittingPolicyScroll | ImGuiTabBarFlags_TabListPopupButton;
  if (!ImGui::BeginTabBar("views", s.layout.touch ? narrow : ImGuiTabBarFlags_None)) return;
  // Open the tab a share link asked for, once.
  const std::string open_view = s.open_view;
  s.open_view.clear();
  struct Tab {
    std::string id;
    const char* title;
    std::function<void(Studio&)> draw;
  };
  std::vector<Tab> tabs = {{"grid", "Grid", grid_view}, {"denoise", "Denoising", denoise_view}};
  for (const LabKind& k : lab_kinds()) tabs.push_back({k.id, k.title, [&k](Studio& st) { lab_view(st, k); }});
  tabs.push_back({"noising", "Noising", noising_view});
  for (const Tab& tab : tabs) {
    const bool open = ImGui::BeginTabItem(tab.title, nullptr, open_view == tab.id ? ImGuiTabItemFlags_SetSelected : 0);
    remember_item(s, ("tab:" + tab.id).c_str());
    if (open) {
      s.state.view = tab.id;
      tab.draw(s);
      ImGui::EndTabItem();
    }
  }
  ImGui::EndTabBar();
}

// Touch-sized widgets on phones: the same style, scaled, with finger-high frames.
void apply_layout(Studio& s) {
  static ImGuiStyle desktop_style;
  static float desktop_font_scale = 0;
  ImGuiIO& io = ImGui::GetIO();
  if (desktop_font_scale == 0) {
    desktop_style = ImGui::GetStyle();
    desktop_font_scale = io.FontGlobalScale;
  }
  const Layout next = choose_layout(s.window_w, s.window_h);
  if (s.frames > 0 && next.touch == s.layout.touch) {
    s.layout = next;
    return;
  }
  s.layout = next;
  ImGui::GetStyle() = desktop_style;
  io.FontGlobalScale = desktop_font_scale;
  if (!next.touch) return;
  ImGuiStyle& st = ImGui::GetStyle();
  st.ScaleAllSizes(2.0f);
  st.FramePadding.y = 11.0f;  // ~44 CSS pixels per row: a fingertip
  st.GrabMinSize = 28.0f;
  io.FontGlobalScale = desktop_font_scale * 1.5f;
}

}  // namespace

void remember_item(Studio& s, const char* name) {
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  s.ui[name] = {a.x, a.y, b.x - a.x, b.y - a.y};
}

void remember_text_field(Studio& s, const char* name, bool number) {
  remember_item(s, name);
  // Only where it shows: a field scrolled out of its panel must not take a tap on what covers it.
  const auto& [x, y, w, h] = s.ui[name];
  const ImVec2 ca = ImGui::GetWindowPos(), cb = ImVec2(ca.x + ImGui::GetWindowWidth(), ca.y + ImGui::GetWindowHeight());
  const float x0 = std::max(x, ca.x), y0 = std::max(y, ca.y), x1 = std::min(x + w, cb.x), y1 = std::min(y + h, cb.y);
  if (x1 > x0 && y1 > y0) s.text_fields.push_back({{x0, y0, x1 - x0, y1 - y0}, number});
}

std::vector<uint8_t> sprite_of(const std::vector<uint8_t>& all, int k) {
  const size_t img = 16 * 16 * 3;
  if (all.size() < (k + 1) * img) return std::vector<uint8_t>(img, 0);
  return {all.begin() + k * img, all.begin() + (k + 1) * img};
}

const std::vector<uint8_t>& grid_pixels(const Studio& s) { return s.pixel_art.shown.pixels(*s.gen, s.state.colours, s.state.palette); }
const std::string& grid_checksum(const Studio& s) { return s.pixel_art.shown.checksum(*s.gen, s.state.colours, s.state.palette); }

void show_grid(Studio& s) {
  const SampleParams& p = s.gen->params();
  s.grid_tex.upload(s.gen->finished() ? grid_pixels(s) : s.gen->preview_x0(), p.count, 16, grid_columns(p.count));
  s.pixel_art.tex_look = grid_look(s.state.colours, s.state.palette);
}

std::string shareable_link(const Studio& s, ShareState state) {
  const WeightsEntry* e = s.library ? s.library->find(weights_key(state)) : nullptr;
  if (state.weights_hash.empty() && e && e->slot && e->slot->weights) state.weights_hash = e->slot->hash.substr(0, 8);
  // A training run's checkpoints exist only where they are served: the link names their URL.
  if (e && s.library->share_by_url() && find_checkpoint(state.weights_id)) {
    state.weights_id = kUrlWeights;
    state.weights_url = e->url;
  }
  return encode_share_link(state);
}

ShareState grid_state(const Studio& s) {
  ShareState state = s.state;
  if (!s.gen) return state;
  state.params = s.gen->params();
  state.weights_id = s.shown.weights_id;
  state.weights_url = s.shown.weights_url;
  state.weights_hash = s.gen_weights ? s.gen_weights->hash.substr(0, 8) : s.shown.weights_hash;
  return state;
}

bool controls_moved(const Studio& s) {
  return s.gen && shareable_link(s, s.state) != shareable_link(s, grid_state(s));
}

WeightsSlot* active_weights(Studio& s) { return s.library ? s.library->ready(weights_key(s.state)) : nullptr; }

size_t slice_rows(const Studio& s) { return s.engine.threads > 1 ? 0 : 4; }

namespace {

// Shows what a link says: its settings, its view and, once its weights are in, its grid.
void apply_link(Studio& s, const ShareState& link) {
  s.state = link;
  s.open_view = link.view;
  s.want_lab = find_lab_kind(link.view) ? link.view : "";
  s.want_generation = true;
  studio_poll_weights(s);
}

}  // namespace

void studio_generate(Studio& s) {
  s.gen_error.clear();
  std::shared_ptr<WeightsSlot> w = s.library ? s.library->ready_slot(weights_key(s.state)) : nullptr;
  if (!w) {  // on its way: studio_poll_weights generates when it arrives
    s.want_generation = true;
    studio_poll_weights(s);
    return;
  }
  try {
    s.gen = std::make_unique<Generation>(w->network(s.engine.pool), *w->schedule, s.state.params, 50, slice_rows(s));
    s.gen_weights = w;
    s.state.selected = std::min(s.state.selected, s.state.params.count - 1);
    s.picked = false;
    s.scrub = -1;
    s.shown = s.state;
  } catch (const std::exception& e) {
    s.gen.reset();
    s.gen_error = e.what();
  }
}

void studio_init(Studio& s, const std::string& build, double now_ms) {
  s.build = build;
  s.start_ms = now_ms;
  s.engine = init_engine();
  s.library = std::make_unique<WeightsLibrary>(browser::fetch_weights);
  browser::fetch_weights(kIndexFetchKey, builtin_index_url(), "");
  studio_open_link(s, browser::location_hash());
}

void studio_set_index(Studio& s, const std::string& json, const std::string& error) {
  if (s.index_loaded) return follow_run_index(s, json, error);
  s.index_loaded = true;
  try {
    if (!error.empty()) throw std::runtime_error(error);
    // Absolute, so links that name a checkpoint by URL open from any page.
    s.library->set_index(parse_weights_index(json, builtin_index_url()), browser::absolute_url(kBuiltinWeightsFolder));
  } catch (const std::exception& e) {
    s.index_error = e.what();
  }
  studio_poll_weights(s);
}

void studio_poll_weights(Studio& s) {
  if (!s.want_generation) return;
  // A run still training has no final yet, and one that has finished no latest: both mean its newest.
  const std::string& id = s.state.weights_id;
  if (s.index_loaded && (id == kFinalCheckpoint || id == kLatestCheckpoint) && !s.library->index_entry(id))
    s.state.weights_id = s.library->final_or_newest();
  const std::string key = weights_key(s.state);
  const bool checkpoint = find_checkpoint(s.state.weights_id) != nullptr;
  if (checkpoint && !s.index_loaded) return;  // the index says where checkpoints are
  WeightsEntry* e = s.library->request(key, s.state.weights_hash);
  if (e && e->state == WeightsEntry::State::fetching) return;
  if (!e || e->state == WeightsEntry::State::failed) {
    s.weights_error = e ? e->error : "weights '" + s.state.weights_id + "' are not among this page's checkpoints";
    s.library->forget_failed(key);  // asking again fetches again
    s.want_generation = false;
    s.want_lab.clear();
    // Keep what is on screen; with nothing yet (a link's weights failed), show the default model.
    const ShareState fallback = s.gen ? s.shown : ShareState{};
    if (weights_key(fallback) == key) return;
    s.state.weights_id = fallback.weights_id;
    s.state.weights_hash = fallback.weights_hash;
    s.state.weights_url = fallback.weights_url;
    s.want_generation = !s.gen;
    studio_poll_weights(s);
    return;
  }
  const UnetWeights& w = *e->slot->weights;
  auto& ctx = s.state.params.context;
  if (static_cast<int>(ctx.size()) != w.arch.n_cfeat) {
    if (!ctx.empty())
      s.link_error = "The context has " + std::to_string(ctx.size()) + " values, these weights have " +
                     std::to_string(w.arch.n_cfeat) + " labels; showing the first label instead.";
    ctx.assign(static_cast<size_t>(w.arch.n_cfeat), 0.0f);
    ctx[0] = 1;
  }
  if (checkpoint && !s.state.weights_hash.empty() && e->slot->hash.compare(0, s.state.weights_hash.size(), s.state.weights_hash) != 0)
    s.link_error = "This link was made with other weights (" + s.state.weights_hash + "); the pixels may differ.";
  s.want_generation = false;
  if (!s.engine.ok) return;
  studio_generate(s);
  // A link to a lab view reproduces that view: its runs start once the grid is done.
  if (!s.want_lab.empty()) lab_start(s, s.want_lab);
  s.want_lab.clear();
}

void studio_use_weights(Studio& s, const ShareState& weights_of) {
  s.state.weights_id = weights_of.weights_id;
  s.state.weights_hash = weights_of.weights_hash;
  s.state.weights_url = weights_of.weights_url;
  // Checkpoints not fetched yet are full models: the Model combo offers no students.
  const WeightsSlot* w = active_weights(s);
  fit_sampler_to(s.state.params, w ? w->weights->arch : UnetArch{});
  s.weights_error.clear();
  s.want_generation = true;
  studio_poll_weights(s);
}

void studio_open_file(Studio& s, const std::string& name, std::vector<uint8_t> bytes) {
  const WeightsEntry& e = s.library->add_file(name, std::move(bytes));
  if (e.state != WeightsEntry::State::ready) {
    s.weights_error = e.error;  // the current model stays
    return;
  }
  const ShareState w = weights_of_key(e.key, "");
  if (s.link_file && e.hash.rfind(s.link_file->weights_hash, 0) == 0) {
    ShareState link = *s.link_file;
    link.weights_hash = w.weights_hash;  // the library's key: a link may give more digits
    s.link_file.reset();
    s.link_error.clear();
    s.weights_error.clear();
    return apply_link(s, link);
  }
  if (static_cast<int>(s.state.params.context.size()) != e.slot->weights->arch.n_cfeat)
    s.state.params.context.clear();  // other labels: start from its first one
  studio_use_weights(s, w);
}

void studio_copy_link(Studio& s) {
  // A link carries weights by URL; a file opened here has none until its owner publishes it.
  if (s.state.weights_id == kFileWeights) s.link_needs_url = true;
  else s.want_copy_link = true;
}

void studio_link_copied(Studio& s, const std::string& text, bool ok, const std::string& why) {
  const size_t at = text.find('#');
  const WeightsIndexEntry* ix = s.library ? s.library->index_entry(s.state.weights_id) : nullptr;
  s.copied = copied_link(at == std::string::npos ? "" : text.substr(at + 1), ok, why,
                         {s.state.weights_id, ix ? ix->epoch : "?", s.library && s.library->live(), controls_moved(s)});
}

std::string studio_publish_file_at(Studio& s, const std::string& url) {
  if (s.state.weights_id != kFileWeights || !active_weights(s)) return "no opened file is active";
  if (url.rfind("https://", 0) != 0 && url.rfind("http://", 0) != 0) return "a URL starts with https:// or http://";
  s.library->alias_url(weights_key(s.state), url);
  s.state.weights_id = kUrlWeights;
  s.state.weights_url = url;
  s.link_needs_url = false;
  s.want_copy_link = true;  // once the address bar holds the new link
  return "";
}

void studio_open_link(Studio& s, const std::string& hash) {
  ShareState link;
  link.params.context.clear();  // the weights' first label once they are known
  s.link_error.clear();
  s.link_file.reset();
  if (!hash.empty()) {
    try {
      link = parse_share_link(hash, 0);  // the context length is checked when the weights are known
    } catch (const std::exception& e) {
      s.link_error = std::string("This link could not be read (") + e.what() + "); showing the defaults instead.";
    }
  }
  if (link.weights_id == kFileWeights) {
    // Made where the weights were a local file (a page that opened it, or the CLI): only that file
    // draws its pixels, so the link waits for it to be opened here.
    s.link_error = "This link's weights are a file (" + link.weights_hash + ") that is not published at a URL: open that file here " +
                   "(Open weights..., or drop it on the page) to see the link's sprites. Showing the default weights until then.";
    s.link_file = link;
    link.weights_id = kFinalCheckpoint;
    link.weights_hash.clear();
  }
  apply_link(s, link);
}

void studio_advance(Studio& s, double now_ms) {
  follow_run_advance(s, now_ms);
  live_advance(s, now_ms);
  advance_generation(s, now_ms);
  if (!s.gen || !s.gen->running()) lab_advance(s, now_ms);
}

bool studio_sampling(const Studio& s) {
  return (s.gen && s.gen->running()) || (s.lab && !s.lab->done());
}

void studio_frame(Studio& s) {
  s.animating = false;  // until a view draws one
  apply_layout(s);
  tooltips_new_frame(s.layout.touch);
  s.ui.clear();  // only what this frame draws
  s.text_fields.clear();
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(vp->WorkPos);
  ImGui::SetNextWindowSize(vp->WorkSize);
  // Phones need every line for sprites: no title bar (the browser shows the page's title). The
  // window fills the canvas, so the platform's clear paints its background (main_sdl_gl.cpp): with
  // software WebGL a blended full-canvas quad costs about 13 ms of CPU a frame, a clear nothing.
  ImGui::Begin("Sprite Diffusion Studio", nullptr,
               ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoBackground |
                   (s.layout.touch ? ImGuiWindowFlags_NoTitleBar : 0));
  if (!s.engine.ok) ImGui::TextColored(kErrorRed, "Inference engine failed: %s", s.engine.message.c_str());
  if (!s.index_error.empty()) ImGui::TextColored(kErrorRed, "%s", s.index_error.c_str());
  if (!s.link_error.empty()) {
    ImGui::TextColored(kErrorRed, "%s", s.link_error.c_str());
    ImGui::SameLine();
    if (ImGui::SmallButton("Dismiss")) s.link_error.clear();
  }
  if (s.layout.stacked) {
    // Phones: what a link shares first, at the full width; the controls below, scrolled on their own.
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    ImGui::BeginChild("views", ImVec2(0, stacked_views_height(s, avail)), false);
    views(s);
    ImGui::EndChild();
    ImGui::BeginChild("controls", ImVec2(0, 0), true);
    controls(s);
    ImGui::EndChild();
  } else {
    ImGui::BeginChild("controls", ImVec2(s.layout.controls_width, 0), true);
    controls(s);
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("views", ImVec2(0, 0), false);
    views(s);
    ImGui::EndChild();
  }
  ImGui::End();
  live_frame(s);
  publish_hash(s);
  if (s.want_copy_link) browser::copy_to_clipboard(browser::location_href());
  s.want_copy_link = false;
  ++s.frames;
}

}  // namespace sprites
