#include "live_preview.h"

#include "checkpoint_files.h"
#include "png_writer.h"
#include "studio.h"

#include <imgui.h>

namespace sprites {

std::string live_student_id(const Studio& s) {
  const CheckpointInfo* best = nullptr;
  if (s.library)
    for (const WeightsIndexEntry& ix : s.library->index())
      if (const CheckpointInfo* c = find_checkpoint(ix.id); c && c->student_steps > 0 && (!best || c->student_steps < best->student_steps))
        best = c;
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

void draw_with_student(Studio& s) {
  WeightsSlot* student = s.library->ready(s.live.student);
  if (!student) return;  // still on its way
  SampleParams p = s.state.params;
  if (static_cast<int>(p.context.size()) != student->weights->arch.n_cfeat) return;
  const std::string link = encode_share_link(s.state);
  if (link == s.live.drawn && s.gen) return;  // nothing moved
  p.sampler = "student";
  p.steps = find_checkpoint(s.live.student)->student_steps;
  if (s.gen) s.gen->cancel();
  try {
    s.gen = std::make_unique<Generation>(student->network(s.engine.pool), *student->schedule, p, 2, 0);
    s.gen->advance(1e9);  // one evaluation per sprite: the whole grid in this frame
  } catch (const std::exception& e) {
    s.gen.reset();
    s.gen_error = e.what();
    return;
  }
  s.grid_tex.upload(s.gen->pixels(), p.count, 16, grid_columns(p.count));
  s.shown_snapshot = -2;
  s.live.drawn = link;
  ++s.live.grids;
  s.live.last_ms = s.gen->elapsed_ms();
  s.live.total_ms += s.live.last_ms;
}

}  // namespace

void live_controls(Studio& s) {
  bool on = s.state.live;
  if (ImGui::Checkbox("Live preview", &on)) s.state.live = on && start(s);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("While you drag a context slider, the guidance or the seed, a distilled student redraws\n"
                      "the grid with one network evaluation per sprite; let go and the chosen sampler renders.");
  if (s.state.live && s.live.grids > 0)
    ImGui::TextDisabled("Live: %.1f grids of %d sprites per second (%s build)", 1000.0 * s.live.grids / s.live.total_ms,
                        s.state.params.count, s.build == "mt" ? "pthread" : "single-thread");
  if (!s.live.message.empty()) ImGui::TextWrapped("%s", s.live.message.c_str());
}

void live_frame(Studio& s) {
  const bool held = s.live.held, released = s.live.released;
  s.live.held = s.live.released = false;
  if (!s.state.live) return;
  if (s.live.student.empty() && !(s.state.live = start(s))) return;  // a link turned it on before the index came
  if (s.live.student.empty()) return;
  if (released) {
    studio_generate(s);  // the chosen sampler, from the same noise
    s.live.drawn.clear();
  } else if (held) {
    draw_with_student(s);
  }
}

}  // namespace sprites
