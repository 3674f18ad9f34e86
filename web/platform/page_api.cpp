#include "page_api.h"

#include "browser.h"
#include "checksum.h"
#include "opened_image.h"
#include "tooltips.h"

#include <emscripten.h>
#include <imgui.h>
#include <malloc.h>
#include <nlohmann/json.hpp>

namespace {
sprites::Studio* g_studio = nullptr;
std::string g_gl_version;
std::string g_reply;  // keeps the returned C string alive until the next call

// The studio, told that the page's script is changing what it shows: it draws every frame for a
// moment (frame_pacing.h). Null before the module runs.
sprites::Studio* woken() {
  if (g_studio) g_studio->pacing.wake(emscripten_get_now());
  return g_studio;
}
}  // namespace

namespace sprites {
void page_api_attach(Studio* studio, const char* gl_version) {
  g_studio = studio;
  g_gl_version = gl_version ? gl_version : "";
}
}  // namespace sprites

extern "C" EMSCRIPTEN_KEEPALIVE const char* sprites_status_json() {
  nlohmann::json j;
  if (!g_studio) {
    j["ready"] = false;
  } else {
    const auto& s = *g_studio;
    const sprites::WeightsSlot* w = sprites::active_weights(*g_studio);
    nlohmann::json library = nlohmann::json::array();
    for (const sprites::WeightsEntry* e : s.library->entries())
      library.push_back({{"key", e->key},
                         {"state", e->state == sprites::WeightsEntry::State::ready ? "ready"
                                   : e->state == sprites::WeightsEntry::State::failed ? "failed" : "fetching"},
                         {"received", e->received},
                         {"total", e->total},
                         {"error", e->error}});
    nlohmann::json marks = nlohmann::json::array();
    for (const auto& m : s.library->checkpoint_marks()) marks.push_back({{"id", m.id}, {"step", m.step}});
    const sprites::RunProgress run = sprites::run_progress(*g_studio);
    const nlohmann::json training = {{"loss_points", s.library->training().loss.size()},
                                     {"val_points", s.library->training().val.size()},
                                     {"marks", marks}};
    j = {{"ready", true},
         {"build", s.build},
         {"xnnpack", s.engine.ok},
         {"xnnpack_error", s.engine.message},
         {"threads", s.engine.threads},
         {"gl", g_gl_version},
         {"frames", s.frames},
         {"frames_not_drawn", s.pacing.skipped()},
         {"vertices", s.last_vertices},
         {"weights", w ? w->weights->metadata : std::map<std::string, std::string>{}},
         {"weights_error", s.weights_error},
         {"index_error", s.index_error},
         {"weights_key", sprites::weights_key(s.state)},
         {"library", library},
         {"training", training},
         {"run", {{"live", s.library->live()}, {"unfinished", run.unfinished}, {"done", run.done}, {"planned", run.planned}}},
         {"link_needs_url", s.link_needs_url},
         {"text_input", ImGui::GetCurrentContext() && ImGui::GetIO().WantTextInput},  // a text field is being edited
         {"tooltip", ImGui::GetCurrentContext() ? sprites::shown_tooltip() : ""},
         {"copied", {{"hash", s.copied.hash}, {"note", s.copied.note}, {"failed", s.copied.failed}}},
         {"layout", {{"stacked", s.layout.stacked}, {"touch", s.layout.touch}, {"rects", s.ui}}},
         {"link_error", s.link_error},
         {"hash", s.published_hash},
         {"generations", s.generations},
         {"first_grid_ms", s.first_grid_ms},
         {"first_grid_at_ms", s.first_grid_at_ms},
         {"first_grid_sampling_ms", s.first_grid_sampling_ms},
         {"gen_error", s.gen_error},
         {"variations_error", s.variations.error},
         {"window", {s.window_w, s.window_h}},
         {"drawable", {s.drawable_w, s.drawable_h}},
         {"heap_bytes", EM_ASM_INT({ return HEAP8.length; })},
         {"malloc_in_use", static_cast<long>(mallinfo().uordblks)}};
    j["live"] = {{"on", s.state.live}, {"student", s.live.student}, {"message", s.live.message}, {"grids", s.live.grids},
                 {"total_ms", s.live.total_ms}, {"last_ms", s.live.last_ms},
                 {"decoder_only", s.live.sampler ? s.live.sampler->encoder_reuses() : 0},
                 {"own_thread", s.live.sampler && s.live.sampler->threaded()}};
    nlohmann::json kept_links = nlohmann::json::array();
    for (const auto& k : s.kept.sprites.sprites()) kept_links.push_back(k.link);
    j["kept"] = {{"links", kept_links}, {"pixels", sprites::hex_bytes(s.kept.sprites.pixels())}, {"selected", s.kept.selected},
                 {"message", s.kept.message}, {"message_is_error", s.kept.message_is_error}};
    j["downloads"] = {{"scale", s.downloads.scale}, {"transparent", s.downloads.transparent}, {"error", s.downloads_error}};
    if (s.lab) {
      nlohmann::json panels = nlohmann::json::array();
      for (auto& l : s.lab->panels)
        panels.push_back({{"title", l.title},
                          {"error", l.error},
                          {"ms", l.gen ? l.gen->elapsed_ms() : 0.0},
                          {"finished", l.gen && l.gen->finished()},
                          {"checksum", l.gen ? l.gen->checksum() : ""}});
      j["lab"] = {{"kind", s.lab->kind}, {"done", s.lab->done()}, {"panels", panels}, {"settings_moved", sprites::lab_settings_moved(s)},
                  {"checkpoints_source", sprites::checkpoints_source(s)}};
    }
    if (s.state.view == "noising") {
      nlohmann::json curves = nlohmann::json::array();
      for (const auto& c : s.noising.curves) curves.push_back({{"weights", c.weights}, {"label", c.label}, {"values", c.values}, {"error", c.error}});
      j["noising"] = {{"curves", curves}, {"t", s.noising.look.t}, {"loss", s.noising.look.loss}, {"signal", s.noising.look.signal},
                      {"source", s.noising.source}, {"error", s.noising.error}, {"curve_ts", s.noising.curve_ts},
                      {"x_t", sprites::hex_bytes(s.noising.look.x_t)}, {"x0", sprites::hex_bytes(s.noising.look.x0)}};
    }
    if (s.gen) {
      j["generating"] = s.gen->running();
      j["steps_done"] = s.gen->steps_done();
      j["total_steps"] = s.gen->total_steps();
      j["elapsed_ms"] = s.gen->elapsed_ms();
      j["checksum"] = s.gen->checksum();  // the sampler's pixels
      j["shown_checksum"] = s.gen->finished() ? grid_checksum(s) : "";  // with their colours limited
      j["count"] = s.gen->params().count;
      j["controls_moved"] = sprites::controls_moved(s);  // since the grid on screen was started
    }
  }
  g_reply = j.dump();
  return g_reply.c_str();
}

extern "C" EMSCRIPTEN_KEEPALIVE const char* sprites_pixels_hex() {
  g_reply = g_studio && g_studio->gen && g_studio->gen->finished() ? sprites::hex_bytes(g_studio->gen->pixels()) : "";
  return g_reply.c_str();
}

extern "C" EMSCRIPTEN_KEEPALIVE void sprites_hash_changed() {
  if (sprites::Studio* s = woken()) sprites::studio_open_link(*s, sprites::browser::location_hash());
}

// weights_fetch.js reports on the fetches browser::fetch_weights started.
extern "C" EMSCRIPTEN_KEEPALIVE void sprites_fetch_progress(const char* key, double received, double total) {
  if (g_studio) g_studio->library->progress(key, static_cast<size_t>(received), static_cast<size_t>(total));
}

// Returns 1 when the bytes are the weights asked for (the script then keeps them in its cache).
extern "C" EMSCRIPTEN_KEEPALIVE int sprites_fetch_done(const char* key, const uint8_t* bytes, int size) {
  if (!woken()) return 0;
  std::vector<uint8_t> data(bytes, bytes + size);
  if (std::string(key) == sprites::kIndexFetchKey) {
    sprites::studio_set_index(*g_studio, std::string(data.begin(), data.end()), "");
    return 0;
  }
  const sprites::WeightsEntry* e = g_studio->library->arrived(key, std::move(data));
  sprites::studio_poll_weights(*g_studio);
  return e && e->state == sprites::WeightsEntry::State::ready ? 1 : 0;
}

extern "C" EMSCRIPTEN_KEEPALIVE void sprites_fetch_failed(const char* key, const char* message) {
  if (!woken()) return;
  if (std::string(key) == sprites::kIndexFetchKey) {
    sprites::studio_set_index(*g_studio, "", message);
    return;
  }
  g_studio->library->failed(key, message);
  sprites::studio_poll_weights(*g_studio);
}

// The whole content hash of weights that arrived, for the script's cache ("" if none).
extern "C" EMSCRIPTEN_KEEPALIVE const char* sprites_weights_hash(const char* key) {
  const sprites::WeightsSlot* w = g_studio ? g_studio->library->ready(key) : nullptr;
  g_reply = w ? w->hash : "";
  return g_reply.c_str();
}

// A one-line problem with weights that never reached the core (a file too large to read).
extern "C" EMSCRIPTEN_KEEPALIVE void sprites_weights_message(const char* message) {
  if (sprites::Studio* s = woken()) s->weights_error = message;
}

// An image from the file picker or dropped on the page, decoded by the browser (null rgba: it could
// not), with the file's first bytes (head), where a saved sheet keeps its link.
extern "C" EMSCRIPTEN_KEEPALIVE void sprites_open_image(const char* name, const uint8_t* head, int head_size, const uint8_t* rgba, int width,
                                                        int height) {
  if (sprites::Studio* s = woken())
    sprites::open_image(*s, name, head ? std::vector<uint8_t>(head, head + head_size) : std::vector<uint8_t>{}, rgba, width, height);
}

// A file from "Open weights..." or dropped on the page.
extern "C" EMSCRIPTEN_KEEPALIVE void sprites_open_file(const char* name, const uint8_t* bytes, int size) {
  if (sprites::Studio* s = woken()) sprites::studio_open_file(*s, name, std::vector<uint8_t>(bytes, bytes + size));
}

// The "Copy link" and "Use this URL in links" buttons, for tests and scripts.
extern "C" EMSCRIPTEN_KEEPALIVE void sprites_copy_link() {
  if (sprites::Studio* s = woken()) sprites::studio_copy_link(*s);
}

// browser::copy_to_clipboard's answer.
extern "C" EMSCRIPTEN_KEEPALIVE void sprites_copy_done(const char* text, int ok, const char* why) {
  if (sprites::Studio* s = woken()) sprites::studio_link_copied(*s, text, ok != 0, why);
}

extern "C" EMSCRIPTEN_KEEPALIVE const char* sprites_publish_file_at(const char* url) {
  sprites::Studio* s = woken();
  g_reply = s ? sprites::studio_publish_file_at(*s, url) : "not ready";
  return g_reply.c_str();
}

extern "C" EMSCRIPTEN_KEEPALIVE void sprites_generate() {
  if (sprites::Studio* s = woken()) sprites::studio_generate(*s);
}
