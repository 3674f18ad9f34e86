// Which of the input events waiting at a frame that frame takes. ImGui 1.86's SDL backend turns
// keys, buttons and the pointer into states read once a frame, so whatever changes twice between
// two frames is lost: a quick Backspace or Ctrl+A was never seen, a tap pressed where the pointer
// had not been hovered yet, and a fast drag let go before its last move was seen. Frames come every
// 40-250 ms while the page idles or the live preview works (frame_pacing.h), so a quick tap often
// falls between two. As ImGui 1.87's input queue does ("trickling"), a frame takes events up to
// the first one that would change again something this frame already changed; the rest wait for
// the next frame, which comes at once. No SDL or ImGui here, so it is tested natively.
#pragma once

#include <cstddef>
#include <vector>

namespace sprites {

struct InputEvent {
  // Modifier keys (Shift, Ctrl, Alt) reach ImGui as the state each key event carries, so they
  // never need a frame of their own.
  enum class Kind { key, modifier, text, button, pointer_move, other };
  Kind kind = Kind::other;
  int code = 0;        // key: its scancode; button: 0 left, 1 right, 2 middle
  bool down = false;   // key, button
  float x = 0, y = 0;  // button, pointer_move: where the pointer is
};

class InputTrickle {
 public:
  // How many of the first events in `waiting` this frame takes (all of them, or up to a cut; at
  // least one while any wait). Remembers what those events leave behind for the next call.
  std::size_t take(const std::vector<InputEvent>& waiting);
  // Past this many waiting events (a flood: a frame every 250 ms cannot keep up with them), a frame
  // takes them all, as ImGui 1.86 did: input merged is better than input that lags ever more.
  static constexpr std::size_t kMostWaiting = 256;

  // The pointer as the taken events leave it. The backend reads SDL's own pointer, which is
  // already past the events still waiting.
  struct Pointer {
    bool seen = false;  // a pointer event was taken
    float x = 0, y = 0;
    bool down[3] = {false, false, false};
  };
  const Pointer& pointer() const { return pointer_; }

 private:
  bool typing_key(int code) const;
  Pointer pointer_;
  std::vector<int> typing_keys_;  // keys held down whose press typed text
};

}  // namespace sprites
