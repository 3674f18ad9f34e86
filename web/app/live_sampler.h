// Where the live preview's student grids are computed. With threads (the pthread page, native) a
// thread of its own samples one grid at a time, single-threaded, while the page goes on drawing: the
// grid and the frame overlap instead of following each other, and one core is not split between two
// pool threads and the browser's drawing. Without threads (the single-thread page) a grid is sampled
// in place, inside the frame that asks. No ImGui or browser here, so it is tested natively.
#pragma once
#include "generation.h"
#include "schedule.h"
#include "unet_weights.h"
#include "unet_xnn.h"

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

namespace sprites {

// A finished grid, or why there is none.
struct LiveGrid {
  std::unique_ptr<Generation> gen;
  std::string error;
  explicit operator bool() const { return gen || !error.empty(); }
};

class LiveSampler {
 public:
  explicit LiveSampler(bool threaded);
  ~LiveSampler();  // waits for a grid in flight
  LiveSampler(const LiveSampler&) = delete;
  LiveSampler& operator=(const LiveSampler&) = delete;

  // Starts a grid of `weights` (a student: its network is built here once, on the calling thread,
  // and used by this sampler alone). False if a grid is still being computed: ask again next frame.
  // weights and schedule must outlive the grid (the page's library never drops a loaded model).
  bool start(const UnetWeights& weights, const Schedule& schedule, const SampleParams& p);
  // The grid finished since the last call, if any (empty otherwise).
  LiveGrid take();
  // Drops the grid in flight, if any, when it finishes (a control was let go: the full render owns
  // the grid view now).
  void discard();
  bool busy() const;
  bool threaded() const { return threaded_; }
  // The network's encoder skips (unet_xnn.h): grids after the first of a context drag.
  size_t encoder_reuses() const;

 private:
  void loop();
  LiveGrid sample(const Schedule& schedule, const SampleParams& p);

  const bool threaded_;
  // One network per student, kept: a grid the page still shows names its network (SamplingRun).
  std::map<const UnetWeights*, std::unique_ptr<UnetXnn>> nets_;
  UnetXnn* net_ = nullptr;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false, pending_ = false, in_flight_ = false, drop_ = false;
  const Schedule* schedule_ = nullptr;
  SampleParams params_;
  LiveGrid done_;
  size_t reuses_ = 0;
  std::thread thread_;  // last: started after the members it reads
};

}  // namespace sprites
