#include "live_preview.h"

#include "checkpoint_files.h"
#include "png_writer.h"
#include "studio.h"
#include "tooltips.h"

#include <imgui.h>

namespace sprites {

std::string live_student_id(const Studio& s) {
  const CheckpointInfo* best = nullptr;
  size_t best_bytes = 0;
  if (s.library)
    for (const WeightsIndexEntry& ix : s.library->index()) {
      const CheckpointInfo* c = find_checkpoint(ix.id);
      if (!c || c->student_steps == 0) continue;
      // Fewest steps, then the smallest file: a narrower network, as cheap as its bytes are few.
      if (!best || c->student_steps < best->student_steps || (c->student_steps == best->student_steps && ix.bytes < best_bytes)) {
        best = c;
        best_bytes = ix.bytes;
      }
    }
  return best ? best->id : "";
}

void live_track_item(Studio& s) {
  s.live.held |= ImGui::IsItemActive();
  s.live.released |= ImGui::IsItemDeactivatedAfterEdit();
}

namespace {

// Turns live on: finds the student and moves to its teacher. False (with a message) if it cannot.
bool start(Studio& s) {
  s.live.message.clear();
  if (!s.index_loaded) return true;  // decided once the index is here (a link may turn live on first)
  s.live.student = live_student_id(s);
  if (s.live.student.empty()) {
    s.live.message = "This page's weights include no distilled student, so there is no live preview.";
    return false;
  }
  s.library->request(s.live.student);  // fetched now, so the first drag finds it
  const CheckpointInfo* c = find_checkpoint(s.live.student);
  if (s.state.weights_id != c->teacher) {
    const CheckpointInfo* teacher = find_checkpoint(c->teacher);
    s.live.message = std::string("Live preview follows the ") + teacher->label + ": its " + c->label +
                     " previews the same sprites.";
    studio_use_weights(s, weights_of_key(c->teacher, ""));
  }
  return true;
}

void ask_student(Studio& s) {
  WeightsSlot* student = s.library->ready(s.live.student);
  if (!student) return;  // still on its way
  SampleParams p = s.state.params;
  if (static_cast<int>(p.context.size()) != student->weights->arch.n_cfeat) return;
  const std::string link = encode_share_link(s.state);
  if (link == s.live.drawn) return;  // nothing moved since the grid asked for last
  p.sampler = "student";
  p.steps = find_checkpoint(s.live.student)->student_steps;
  if (!s.live.sampler) s.live.sampler = std::make_unique<LiveSampler>(s.build == "mt");
  if (!s.live.sampler->start(*student->weights, *student->schedule, p)) return;  // the grid in flight first
  if (s.gen && s.gen->running()) s.gen->cancel();  // a full render of older settings
  s.live.drawn = link;
}

// A grid the student finished goes on screen; true if one did.
bool show_finished_grid(Studio& s) {
  if (!s.live.sampler) return false;
  LiveGrid grid = s.live.sampler->take();
  if (!grid) return false;
  if (!grid.gen) {
    s.gen_error = grid.error;
    return false;
  }
  s.gen = std::move(grid.gen);
  show_grid(s);
  s.shown_snapshot = -2;
  ++s.live.grids;
  s.live.last_ms = s.gen->elapsed_ms();
  s.live.total_ms += s.live.last_ms;
  return true;
}

}  // namespace

void live_controls(Studio& s) {
  bool on = s.state.live;
  if (ImGui::Checkbox("Live preview", &on)) s.state.live = on && start(s);
  tooltip("While you drag a context slider, the guidance or the seed, a distilled student redraws the grid with "
          "one network evaluation per sprite; let go and the chosen sampler renders.");
  if (s.state.live && s.live.grids > 0)
    ImGui::TextDisabled("Live: %.1f grids of %d sprites per second (%s build)", 1000.0 * s.live.grids / s.live.total_ms,
                        s.state.params.count, s.build == "mt" ? "pthread" : "single-thread");
  if (s.state.live && !s.state.params.init.empty())
    ImGui::TextDisabled("Live preview waits while you make variations: its student draws from noise.");
  if (!s.live.message.empty()) ImGui::TextWrapped("%s", s.live.message.c_str());
}

void live_frame(Studio& s) {
  const bool held = s.live.held, released = s.live.released;
  s.live.held = s.live.released = false;
  if (!s.state.live) return;
  if (s.live.student.empty() && !(s.state.live = start(s))) return;  // a link turned it on before the index came
  if (s.live.student.empty()) return;
  if (released) {
    if (s.live.sampler) s.live.sampler->discard();  // the full render owns the grid view now
    studio_generate(s);  // the chosen sampler, from the same noise
    s.live.drawn.clear();
  } else if (held && s.state.params.init.empty()) {  // a student's steps start from noise, not from a sprite
    ask_student(s);
    show_finished_grid(s);  // sampled in place (single-thread page): on screen in this frame
  }
}

void live_advance(Studio& s, double now_ms) {
  if (show_finished_grid(s)) s.pacing.wake(now_ms);
  s.pacing.set_busy(s.live.sampler && s.live.sampler->busy());
}

}  // namespace sprites
