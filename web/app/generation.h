// One generation in the studio: a SamplingRun advanced in time slices between frames, keeping
// snapshots of x and predicted x0 for the denoising view (lab L1), timings and a pixel checksum.
#pragma once
#include "sample.h"

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace sprites {

struct Snapshot {
  int t;                      // timestep just predicted
  std::vector<uint8_t> x;     // all sprites, RGB8
  std::vector<uint8_t> x0;
};

class Generation {
 public:
  // Keeps at most max_snapshots evenly spaced steps (always the last). rows_per_slice > 0 splits a
  // step's batch into chunks of that many sprites, so one slice stays short without threads.
  Generation(UnetXnn& net, const Schedule& s, const SampleParams& p, size_t max_snapshots = 50,
             size_t rows_per_slice = 0);
  // Runs steps until `budget_ms` has passed (at least one step). Returns true when finished.
  bool advance(double budget_ms);
  void cancel() { cancelled_ = true; }

  bool finished() const { return run_.done(); }
  bool cancelled() const { return cancelled_; }
  bool running() const { return !finished() && !cancelled(); }
  size_t steps_done() const { return run_.steps_done(); }
  size_t total_steps() const { return run_.total_steps(); }
  double elapsed_ms() const { return elapsed_ms_; }
  const SampleParams& params() const { return run_.params(); }
  const std::vector<uint8_t>& pixels() const { return pixels_; }  // current x (final when finished)
  const std::vector<uint8_t>& preview_x0() const { return x0_; }  // latest predicted x0
  const std::vector<Snapshot>& snapshots() const { return snaps_; }
  const std::string& checksum() const { return checksum_; }      // of the final pixels

 private:
  SamplingRun run_;
  size_t every_, rows_per_slice_;
  bool cancelled_ = false;
  double elapsed_ms_ = 0;
  std::vector<uint8_t> pixels_, x0_;
  std::vector<Snapshot> snaps_;
  std::string checksum_;
};

}  // namespace sprites
