// Following a training run (`scripts/demo --weights runs/NAME` beside sprites-train): the demo
// stages the run again as it changes and marks its index "live". While it is, the page asks for the
// index again every few seconds, and a newer file takes the old one's place wherever the page shows
// it: the Model combo, the training curve, the Checkpoints and Noising views and, drawn again on the
// same seeds, the grid. A run not finished lists "latest", the export the trainer rewrites after every epoch;
// its last epoch writes "final" in its place. (A course notebook's folder follows the same way: its
// final is its newest model_<epoch>.pth.)
#pragma once
#include <string>

namespace sprites {

struct Studio;

// As often as scripts/demo looks at the run (web/follow_run.mjs): a small index from a local
// server, answered 304 while nothing changed.
constexpr double kFollowRunEveryMs = 2000;

struct RunFollowing {
  double next_ms = -1;  // when to ask again (-1: not yet planned)
  bool asking = false;  // an index fetch is on its way
};

// How far a run not finished (its index lists "latest") has come: epochs done (latest's epoch + 1,
// from the index) of those planned (its file's metadata, once fetched; 0 until then).
struct RunProgress {
  bool unfinished = false;
  int done = 0, planned = 0;
};
RunProgress run_progress(Studio& s);
// A line under the Model combo for a run not finished: how far it is, and whether it is followed.
void run_progress_line(Studio& s);

// Asks for a live index again when it is due.
void follow_run_advance(Studio& s, double now_ms);
// The index asked for again arrived (json) or not (error: one line, the last index kept).
void follow_run_index(Studio& s, const std::string& json, const std::string& error);

}  // namespace sprites
