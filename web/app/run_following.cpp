#include "run_following.h"

#include "browser.h"
#include "checkpoint_files.h"
#include "parse_number.h"
#include "studio.h"
#include "training_curve.h"

#include <imgui.h>

#include <stdexcept>

namespace sprites {

RunProgress run_progress(Studio& s) {
  const WeightsIndexEntry* ix = s.library ? s.library->index_entry(kLatestCheckpoint) : nullptr;
  if (!ix) return {};
  RunProgress p;
  p.unfinished = true;
  p.done = static_cast<int>(parse_int_in(ix->epoch, 0, kMaxCurveEpoch).value_or(-1) + 1);
  if (const WeightsSlot* w = s.library->ready(kLatestCheckpoint)) {
    const auto it = w->weights->metadata.find("epochs_planned");
    if (it != w->weights->metadata.end()) p.planned = static_cast<int>(parse_int_in(it->second, 1, kMaxCurveEpoch).value_or(0));
  }
  return p;
}

void run_progress_line(Studio& s) {
  const RunProgress p = run_progress(s);
  if (!p.unfinished) return;
  const std::string done = p.done > 0 ? std::to_string(p.done) : "some";
  const std::string of = p.planned > 0 ? " of " + std::to_string(p.planned) : "";
  // Not "training": a run stopped midway (Ctrl-C) lists "latest" too, and a published one is a snapshot.
  ImGui::TextWrapped("Not finished: %s%s epochs so far.%s", done.c_str(), of.c_str(),
                     s.library->live() ? " Each new one the trainer writes replaces \"latest\" here." : "");
}

void follow_run_advance(Studio& s, double now_ms) {
  RunFollowing& f = s.following;
  if (!s.index_loaded || f.asking || !s.library->live()) return;
  if (f.next_ms < 0) f.next_ms = now_ms + kFollowRunEveryMs;
  if (now_ms < f.next_ms) return;
  f.asking = true;
  f.next_ms = now_ms + kFollowRunEveryMs;
  browser::fetch_weights(kIndexFetchKey, builtin_index_url(), "");
}

void follow_run_index(Studio& s, const std::string& json, const std::string& error) {
  s.following.asking = false;
  WeightsIndex index;
  try {
    if (!error.empty()) throw std::runtime_error(error);
    index = parse_weights_index(json, builtin_index_url());
  } catch (const std::exception& e) {
    s.index_error = std::string("Following the run: ") + e.what() + " (asking again in a few seconds)";
    return;
  }
  s.index_error.clear();
  if (!s.library->set_index(index, browser::absolute_url(kBuiltinWeightsFolder))) return;  // only the curve moved
  if (s.lab && s.lab->kind == "checkpoints") lab_start(s, s.lab->kind);
  s.noising.sprite_key.clear();  // its look and curves again, "over training" ones included
  // The grid's weights were replaced (or "latest" became "final"): drawn again once they arrive.
  if (is_run_checkpoint(s.state.weights_id) && !s.library->find(weights_key(s.state))) {
    s.weights_error.clear();  // a fetch that met the file mid-change is superseded
    s.state.weights_hash.clear();  // the old file's: the run's newer one is what the page follows
    s.want_generation = true;
    studio_poll_weights(s);
  }
}

}  // namespace sprites
