// The live preview's sampler (web/app/live_sampler.h): on its own thread or in place, it gives the
// pixels a Generation on a fresh network gives, one grid at a time, reuses the encoder while only
// the context moves, drops a grid the page no longer wants, and reports a failure as a message.
#include "default_slot.h"
#include "live_sampler.h"

#include <gtest/gtest.h>

#include <chrono>
#include <stdexcept>
#include <thread>

using namespace sprites;

namespace {

SampleParams grid_params(float first_context, int count = 6) {
  SampleParams p;
  p.sampler = "ddim";
  p.steps = 1;  // one evaluation per sprite, as a student's grid
  p.count = count;
  p.seed = 3;
  p.context = {first_context, 0, 1, 0, 0};
  return p;
}

LiveGrid wait_for(LiveSampler& live) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  for (;;) {
    if (LiveGrid g = live.take()) return g;
    if (std::chrono::steady_clock::now() > give_up) return {};
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

std::vector<uint8_t> fresh_pixels(const WeightsSlot& slot, const SampleParams& p) {
  UnetXnn net(*slot.weights, nullptr);
  Generation gen(net, *slot.schedule, p);
  gen.advance(1e9);
  return gen.pixels();
}

}  // namespace

TEST(LiveSampler, GridsMatchAFreshNetworkAndReuseTheEncoderWhileTheContextMoves) {
  const auto slot = default_slot();
  for (bool threaded : {true, false}) {
    LiveSampler live(threaded);
    EXPECT_EQ(live.threaded(), threaded);
    for (float c : {0.0f, 0.5f, 1.0f}) {
      const SampleParams p = grid_params(c);
      ASSERT_TRUE(live.start(*slot->weights, *slot->schedule, p));
      LiveGrid g = wait_for(live);
      ASSERT_TRUE(g.gen) << (threaded ? "threaded: " : "in place: ") << g.error;
      EXPECT_TRUE(g.gen->finished());
      EXPECT_EQ(g.gen->pixels(), fresh_pixels(*slot, p)) << "context " << c;
      EXPECT_FALSE(live.busy());
      EXPECT_FALSE(live.take()) << "a grid is taken once";
    }
    EXPECT_EQ(live.encoder_reuses(), 2u) << "same noise, new context: the grids after the first run the decoder only";
  }
}

// A second request while a grid is in flight is refused. The grid is a long one, so it is surely
// still in flight when the second request comes (a 6-sprite grid could finish in between on a
// loaded machine, and start() rightly takes a request once the last grid is done).
TEST(LiveSampler, TakesOneGridAtATime) {
  const auto slot = default_slot();
  LiveSampler live(true);
  const SampleParams p = grid_params(0, 256);
  ASSERT_TRUE(live.start(*slot->weights, *slot->schedule, p));
  EXPECT_FALSE(live.start(*slot->weights, *slot->schedule, p)) << "one grid at a time";
  ASSERT_TRUE(wait_for(live).gen);
  EXPECT_TRUE(live.start(*slot->weights, *slot->schedule, p)) << "the next grid once this one is taken";
  EXPECT_TRUE(wait_for(live).gen);
}

TEST(LiveSampler, DropsTheGridInFlightAndReportsFailures) {
  const auto slot = default_slot();
  LiveSampler live(true);
  const SampleParams p = grid_params(0, 32);
  ASSERT_TRUE(live.start(*slot->weights, *slot->schedule, p));
  live.discard();  // a control was let go
  while (live.busy()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  EXPECT_FALSE(live.take()) << "the dropped grid never arrives";

  for (bool threaded : {true, false}) {
    LiveSampler other(threaded);
    SampleParams bad = grid_params(0);
    bad.context = {1, 0};  // the model has 5 labels
    ASSERT_TRUE(other.start(*slot->weights, *slot->schedule, bad));
    LiveGrid g = wait_for(other);
    EXPECT_FALSE(g.gen);
    EXPECT_NE(g.error.find("context needs 5 values"), std::string::npos) << g.error;
  }
}
