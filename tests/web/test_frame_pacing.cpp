// The studio draws every browser frame only while something happens, and a few frames a second
// otherwise, so a sampler and an idle page do not compete with software WebGL for the CPU.
#include "frame_pacing.h"

#include <gtest/gtest.h>

using namespace sprites;

namespace {

constexpr double kFrameMs = 1000.0 / 60;

// Frames drawn among `frames` browser frames from `start` on, with the given input and animation.
int drawn(FramePacer& p, double& now, int frames, bool input = false, bool animating = false) {
  int n = 0;
  for (int i = 0; i < frames; ++i, now += kFrameMs) n += p.draw(now, input, animating);
  return n;
}

}  // namespace

TEST(FramePacing, QuietPagesDrawAFewFramesASecond) {
  FramePacer p;
  double now = 1000;
  EXPECT_TRUE(p.draw(now, false, false));  // the first frame
  now += kFrameMs;
  const int n = drawn(p, now, 120);  // two seconds
  EXPECT_GE(n, 2000 / FramePacer::kQuietIntervalMs - 1);
  EXPECT_LE(n, 2000 / FramePacer::kQuietIntervalMs + 1);
  EXPECT_EQ(p.skipped(), 120 - n);
}

TEST(FramePacing, InputDrawsAtOnceAndForAMomentAfter) {
  FramePacer p;
  double now = 1000;
  drawn(p, now, 60);
  EXPECT_TRUE(p.draw(now, true, false));  // the frame the input arrives in
  now += kFrameMs;
  const int settle = static_cast<int>(FramePacer::kSettleMs / kFrameMs);
  EXPECT_EQ(drawn(p, now, settle), settle);  // ImGui settles hover and active states
  EXPECT_LE(drawn(p, now, 12), 1);           // then quiet again
  EXPECT_EQ(drawn(p, now, 30, true), 30);    // a drag: every frame
}

TEST(FramePacing, WakesAndAnimationsDrawEveryFrameAtTheDisplayRate) {
  FramePacer p;
  double now = 1000;
  drawn(p, now, 60);
  EXPECT_EQ(p.next_timing(now, true, false), FramePacer::Timing::back_to_back);  // sampling, nothing new
  EXPECT_EQ(p.next_timing(now, false, false), FramePacer::Timing::poll);         // idle
  p.wake(now);  // a link or a fetch from the page's script
  EXPECT_EQ(p.next_timing(now, true, false), FramePacer::Timing::display);
  const int settle = static_cast<int>(FramePacer::kSettleMs / kFrameMs);
  EXPECT_EQ(drawn(p, now, settle), settle);
  EXPECT_EQ(drawn(p, now, 60, false, true), 60);
  EXPECT_EQ(p.next_timing(now, false, true), FramePacer::Timing::display);
}

TEST(FramePacing, WhileInputStartsWorkItsFramesWaitForTheResult) {
  FramePacer p;
  double now = 1000;
  drawn(p, now, 60);
  p.set_busy(true);  // a live grid in flight
  EXPECT_EQ(p.next_timing(now, false, false), FramePacer::Timing::soon) << "its arrival is looked for every few ms";
  const int n = drawn(p, now, 60, true);  // a second of dragging
  EXPECT_GE(n, 1000 / FramePacer::kBusyIntervalMs - 1);
  EXPECT_LE(n, 1000 / FramePacer::kBusyIntervalMs + 1) << "input alone draws every kBusyIntervalMs";
  while (!p.draw(now += kFrameMs, true, false)) {
  }  // a frame drawn for input
  EXPECT_FALSE(p.draw(now += kFrameMs, true, false)) << "the next input waits";
  p.wake(now += kFrameMs);  // a result arrives
  EXPECT_TRUE(p.draw(now, true, false)) << "the frame that shows it is drawn at once";
  p.set_busy(false);
  EXPECT_EQ(drawn(p, now, 30, true), 30) << "nothing in flight: a drag draws every frame";
}
