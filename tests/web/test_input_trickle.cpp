// A frame takes waiting input events up to the first that would change again what it already
// changed, so ImGui, which reads keys and buttons as states once a frame, sees every quick tap.
#include "input_trickle.h"

#include <gtest/gtest.h>

#include <vector>

using namespace sprites;

namespace {

using Kind = InputEvent::Kind;
constexpr int kBackspace = 42, kA = 4, kB = 5;

InputEvent key(int code, bool down) { return {Kind::key, code, down}; }
InputEvent text() { return {Kind::text}; }
InputEvent ctrl(bool down) { return {Kind::modifier, 224, down}; }
InputEvent shift(bool down) { return {Kind::modifier, 225, down}; }
InputEvent button(bool down, float x, float y, int b = 0) { return {Kind::button, b, down, x, y}; }
InputEvent move(float x, float y) { return {Kind::pointer_move, 0, false, x, y}; }

// The frames `events` take, each as the number of events it took.
std::vector<std::size_t> frames(InputTrickle& t, std::vector<InputEvent> events) {
  std::vector<std::size_t> taken;
  while (!events.empty()) {
    const std::size_t n = t.take(events);
    if (n == 0) break;
    taken.push_back(n);
    events.erase(events.begin(), events.begin() + static_cast<long>(n));
  }
  return taken;
}

}  // namespace

TEST(InputTrickle, AKeyPressedAndReleasedBetweenTwoFramesIsSeenDownForAFrame) {
  InputTrickle t;
  EXPECT_EQ(frames(t, {key(kBackspace, true), key(kBackspace, false)}), (std::vector<std::size_t>{1, 1}));
  // Ctrl+A tapped at once: the frame that presses A has Ctrl down too.
  EXPECT_EQ(frames(t, {ctrl(true), key(kA, true), key(kA, false), ctrl(false)}), (std::vector<std::size_t>{2, 2}));
}

TEST(InputTrickle, TypedTextTakesNoFrameAKey) {
  InputTrickle t;
  // "aba" typed within one frame: each key's press comes with its text.
  EXPECT_EQ(frames(t, {key(kA, true), text(), key(kA, false), key(kB, true), text(), key(kB, false), key(kA, true), text(),
                       key(kA, false)}),
            (std::vector<std::size_t>{9}));
  EXPECT_EQ(frames(t, {shift(true), key(kA, true), text(), key(kA, false), shift(false)}), (std::vector<std::size_t>{5})) << "A";
  // A key held down across frames: its release, frames later, is still a typing key's.
  EXPECT_EQ(frames(t, {key(kA, true), text()}), (std::vector<std::size_t>{2}));
  EXPECT_EQ(frames(t, {key(kA, false), key(kA, true), text()}), (std::vector<std::size_t>{3}));
}

TEST(InputTrickle, TextAfterABackspaceWaitsForTheNextFrame) {
  InputTrickle t;
  // ImGui's field inserts a frame's text before it acts on its keys: "x" then Backspace is fine in one
  // frame, Backspace then "x" is not.
  EXPECT_EQ(frames(t, {key(kA, true), text(), key(kA, false), key(kBackspace, true)}), (std::vector<std::size_t>{4}));
  InputTrickle u;
  EXPECT_EQ(frames(u, {key(kBackspace, true), key(kBackspace, false), key(kA, true), text(), key(kA, false)}),
            (std::vector<std::size_t>{1, 4}));
}

TEST(InputTrickle, AClickWhereThePointerJustArrivedPressesOnTheFrameAfterItHovers) {
  InputTrickle t;
  std::vector<InputEvent> click = {move(10, 20), button(true, 10, 20), button(false, 10, 20)};
  EXPECT_EQ(t.take(click), 1u) << "this frame hovers";
  EXPECT_TRUE(t.pointer().seen);
  EXPECT_FALSE(t.pointer().down[0]);
  click.erase(click.begin());
  EXPECT_EQ(t.take(click), 1u) << "the next presses";
  EXPECT_TRUE(t.pointer().down[0]);
  EXPECT_EQ(t.pointer().x, 10);
  EXPECT_EQ(t.pointer().y, 20);
  click.erase(click.begin());
  EXPECT_EQ(t.take(click), 1u) << "and the one after releases";
  EXPECT_FALSE(t.pointer().down[0]);
}

TEST(InputTrickle, AFastDragIsSeenAtItsPressItsLastMoveAndItsRelease) {
  InputTrickle t;
  std::vector<InputEvent> drag = {button(true, 10, 20), move(30, 20), move(50, 20), button(false, 50, 20)};
  EXPECT_EQ(t.take(drag), 1u);
  EXPECT_TRUE(t.pointer().down[0]);
  EXPECT_EQ(t.pointer().x, 10) << "pressed where it went down, not where it went";
  drag.erase(drag.begin());
  EXPECT_EQ(t.take(drag), 2u) << "moves, with the button down";
  EXPECT_TRUE(t.pointer().down[0]);
  EXPECT_EQ(t.pointer().x, 50);
  drag.erase(drag.begin(), drag.begin() + 2);
  EXPECT_EQ(t.take(drag), 1u);
  EXPECT_FALSE(t.pointer().down[0]);
}

TEST(InputTrickle, EventsThatChangeNothingTwiceShareAFrame) {
  InputTrickle t;
  EXPECT_EQ(t.take({}), 0u);
  EXPECT_FALSE(t.pointer().seen) << "no pointer event yet: the backend's own position stands";
  EXPECT_EQ(t.take({move(1, 1), move(2, 2), {Kind::other}, key(kBackspace, true), button(false, 2, 2, 1)}), 4u)
      << "moves merge; a release after a move waits";
  EXPECT_EQ(t.take({button(true, 5, 5), key(kBackspace, true)}), 2u);
  EXPECT_EQ(t.take({button(true, 5, 5, 2), button(true, 5, 5)}), 2u) << "two buttons at once";
  EXPECT_TRUE(t.pointer().down[0] && t.pointer().down[2]);
}

TEST(InputTrickle, AFloodOfEventsIsTakenAtOnceRatherThanLaggingEverMore) {
  InputTrickle t;
  std::vector<InputEvent> taps;
  for (std::size_t i = 0; i < InputTrickle::kMostWaiting; ++i) taps.push_back(key(kBackspace, i % 2 == 0));
  EXPECT_EQ(t.take(taps), 1u) << "up to kMostWaiting waiting, each press and release has a frame";
  taps.push_back(key(kBackspace, true));
  EXPECT_EQ(t.take(taps), taps.size());
}
