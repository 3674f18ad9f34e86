#include "run_following.h"

#include "browser.h"
#include "checkpoint_files.h"
#include "studio.h"

#include <stdexcept>

namespace sprites {

void follow_run_advance(Studio& s, double now_ms) {
  RunFollowing& f = s.following;
  if (!s.index_loaded || f.asking || !s.library->index_entry(kLatestCheckpoint)) return;
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
  // The grid's weights were replaced (or "latest" became "final"): drawn again once they arrive.
  if (is_run_checkpoint(s.state.weights_id) && !s.library->find(weights_key(s.state))) {
    s.want_generation = true;
    studio_poll_weights(s);
  }
}

}  // namespace sprites
