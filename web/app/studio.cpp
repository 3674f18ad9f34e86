#include "studio.h"

#include "browser.h"
#include "checkpoint_files.h"
#include "denoising_view.h"
#include "grid_downloads.h"
#include "grid_view.h"
#include "layout.h"
#include "pixel_art_panel.h"
#include "png_writer.h"
#include "run_panel.h"
#include "sampler_advice.h"
#include "sampling_controls.h"
#include "tooltips.h"
#include "variations.h"
#include "weights_panel.h"
#include "ui_style.h"

#include <imgui.h>
#include <imgui_internal.h>  // the window's MoveId: a drag on empty space scrolls on a phone

#include <algorithm>
#include <functional>

namespace sprites {

namespace {

void publish_hash(Studio& s) {
  const WeightsSlot* w = active_weights(s);
  if (w) s.state.weights_hash = link_hash(w->hash);
  const std::string h = shareable_link(s, s.state);
  if (h != s.published_hash) {
    browser::replace_location_hash(h);
    s.published_hash = h;
  }
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
  // Wrapped: a phone's touch-sized text cut it at "(single-thr".
  const std::string line = "XNNPACK, " + std::to_string(s.engine.threads) + " thread" + (s.engine.threads == 1 ? "" : "s") + " (" +
                           (s.build == "mt" ? "pthread" : "single-thread") + " build)";
  wrapped_disabled_text(line.c_str());
}

void controls(Studio& s) {
  // On a phone, Generate and the link come first, then the sliders; a finger drag on empty space
  // scrolls (ImGui 1.86 scrolls only by wheel or scrollbar).
  // Where the controls show (tests): the width a row may fill, the height that is on screen.
  const ImVec2 at = ImGui::GetWindowPos(), lo = ImGui::GetWindowContentRegionMin(), hi = ImGui::GetWindowContentRegionMax();
  s.ui["controls"] = {at.x + lo.x, at.y, hi.x - lo.x, ImGui::GetWindowHeight()};
  // ImGui leaves a label 35% of the width: with touch-sized text on a phone that cut "non-human",
  // "Guidance" and "Colours", so there the widgets leave room for the course's longest label.
  if (s.layout.touch) ImGui::PushItemWidth(-(ImGui::CalcTextSize("non-human").x + ImGui::GetStyle().ItemInnerSpacing.x));
  if (s.layout.stacked) run_panel(s);
  else engine_line(s);
  if (!s.layout.stacked && ImGui::CollapsingHeader("Weights", ImGuiTreeNodeFlags_DefaultOpen)) weights_panel(s);
  if (ImGui::CollapsingHeader("Context", ImGuiTreeNodeFlags_DefaultOpen)) context_panel(s);
  if (ImGui::CollapsingHeader("Sampling", ImGuiTreeNodeFlags_DefaultOpen)) sampler_panel(s);
  variations_panel(s);
  if (s.layout.stacked && ImGui::CollapsingHeader("Weights")) weights_panel(s);
  if (!s.layout.stacked) run_panel(s);
  pixel_art_panel(s);
  kept_panel(s);  // last: 64 kept sprites would push Generate down
  if (s.layout.stacked) engine_line(s);
  if (s.layout.touch) ImGui::PopItemWidth();
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
  if (state.weights_hash.empty() && e && e->slot && e->slot->weights) state.weights_hash = link_hash(e->slot->hash);
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
  state.weights_hash = s.gen_weights ? link_hash(s.gen_weights->hash) : s.shown.weights_hash;
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

// A link's file, opened in this page already (its own link, edited, say).
bool opened_here(Studio& s, const ShareState& link) {
  const WeightsEntry* e = s.library ? s.library->find(weights_key(link)) : nullptr;
  return e && e->state == WeightsEntry::State::ready && e->hash.rfind(link.weights_hash, 0) == 0;
}

// Only the link's own file draws its pixels: the link waits for it to be opened here (studio_open_file),
// `why` and the weights shown meanwhile said in its line.
void wait_for_file(Studio& s, const ShareState& link, const std::string& why, const std::string& showing) {
  s.link_file = link;
  s.link_file->weights_id = kFileWeights;
  s.link_error = why + ": open that file here (the button below, or drop it on the page) to see the link's sprites. Showing " + showing +
                 " until then.";
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
  kept_load(s);
  download_settings_load(s);
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
  // A run's own export (the CLI names it by its file name) or this page's before a new deployment:
  // that file draws the link's pixels once it is opened here, as a file's link does (kept as the
  // link says it, before the context is fitted to these weights' labels).
  const std::string& hash = s.state.weights_hash;
  if (checkpoint && !hash.empty() && e->slot->hash.compare(0, hash.size(), hash) != 0)
    wait_for_file(s, s.state, "This link was made with other " + s.state.weights_id + " weights (" + hash + ") than this page's", "this page's");
  auto& ctx = s.state.params.context;
  if (static_cast<int>(ctx.size()) != w.arch.n_cfeat) {
    if (!ctx.empty() && !s.link_file)
      s.link_error = "The context has " + std::to_string(ctx.size()) + " values, these weights have " +
                     std::to_string(w.arch.n_cfeat) + " labels; showing the first label instead.";
    ctx = first_label_context(w.arch.n_cfeat);
  }
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
    const ShareState link = *s.link_file;
    s.link_file.reset();
    s.link_error.clear();
    s.weights_error.clear();
    return apply_link(s, link);
  }
  if (s.link_file)  // the model now, but the link still waits for its own file
    s.link_error = name + " is not the link's file (it is " + link_hash(e.hash) + ", the link's " + s.link_file->weights_hash +
                   "): its sprites are drawn with the controls as they are. Open the link's file to see the link's sprites.";
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
  if (link.weights_id == kFileWeights && !opened_here(s, link)) {
    // Made where the weights were a local file (a page that opened it, or the CLI).
    wait_for_file(s, link, "This link's weights are a file (" + link.weights_hash + ") that is not published at a URL", "the default weights");
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
  // Wrapped, with their buttons under them: a link's message quotes the link and can be long.
  if (!s.engine.ok) wrapped_text(kErrorRed, ("Inference engine failed: " + s.engine.message).c_str());
  if (!s.index_error.empty()) wrapped_text(kErrorRed, s.index_error.c_str());
  if (!s.link_error.empty()) {
    wrapped_text(kErrorRed, s.link_error.c_str());
    remember_item(s, "link_error");
    if (s.link_file) {
      if (ImGui::SmallButton("Open the file...")) browser::open_file_picker();
      remember_item(s, "open_link_file");
      ImGui::SameLine();
    }
    if (ImGui::SmallButton("Dismiss")) s.link_error.clear();
    remember_item(s, "link_dismiss");
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
