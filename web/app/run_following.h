// Following a run that is still training (`scripts/demo --weights runs/NAME` beside sprites-train):
// its index lists "latest", the export the trainer rewrites after every epoch. While it does, the
// page asks for the index again every few seconds, and a newer epoch takes the old one's place
// wherever the page shows it: the Model combo, the training curve, the Checkpoints view and, drawn
// again on the same seeds, the grid. The run's last epoch writes "final" in place of "latest".
#pragma once
#include <string>

namespace sprites {

struct Studio;

constexpr double kFollowRunEveryMs = 5000;

struct RunFollowing {
  double next_ms = -1;  // when to ask again (-1: not yet planned)
  bool asking = false;  // an index fetch is on its way
};

// How far the followed run has come: epochs done ("latest"'s epoch + 1, from the index) of those
// planned (its file's metadata, once fetched; 0 until then).
struct RunProgress {
  bool following = false;
  int done = 0, planned = 0;
};
RunProgress follow_run_progress(Studio& s);
// A line under the Model combo while a run trains, saying so and how far it is.
void follow_run_line(Studio& s);

// Asks for the index again when it is due and the page shows a run still training.
void follow_run_advance(Studio& s, double now_ms);
// The index asked for again arrived (json) or not (error: one line, the last index kept).
void follow_run_index(Studio& s, const std::string& json, const std::string& error);

}  // namespace sprites
