#include "input_trickle.h"

#include <algorithm>

namespace sprites {

namespace {

bool contains(const std::vector<int>& v, int x) { return std::find(v.begin(), v.end(), x) != v.end(); }

}  // namespace

bool InputTrickle::typing_key(int code) const { return contains(typing_keys_, code); }

std::size_t InputTrickle::take(const std::vector<InputEvent>& waiting) {
  std::vector<int> keys_changed;
  bool command_pressed = false;  // a key that typed nothing went down: Backspace, Enter, Ctrl+A
  unsigned buttons_changed = 0;
  bool moved = false;
  std::size_t i = 0;
  for (; i < waiting.size(); ++i) {
    const InputEvent& e = waiting[i];
    // A key that types goes down just before its text: the text carries it, so its own down and up
    // need no frame of their own (typing would otherwise take a frame a key).
    const bool typing = e.kind == InputEvent::Kind::key &&
                        (e.down ? i + 1 < waiting.size() && waiting[i + 1].kind == InputEvent::Kind::text : typing_key(e.code));
    bool cut = false;
    switch (e.kind) {
      case InputEvent::Kind::key: cut = !typing && contains(keys_changed, e.code); break;
      // ImGui's text field applies a frame's text before its keys: text after a Backspace waits.
      case InputEvent::Kind::text: cut = command_pressed; break;
      // A press or release is seen where the frame before had the pointer hovering, and a drag's
      // last move is seen with the button still down.
      case InputEvent::Kind::button: cut = moved || (buttons_changed & (1u << e.code)) != 0; break;
      case InputEvent::Kind::pointer_move: cut = buttons_changed != 0; break;
      case InputEvent::Kind::modifier:
      case InputEvent::Kind::other: break;
    }
    if (cut && i > 0 && waiting.size() <= kMostWaiting) break;
    switch (e.kind) {
      case InputEvent::Kind::key:
        if (typing) {
          if (e.down && !typing_key(e.code)) typing_keys_.push_back(e.code);
          if (!e.down) typing_keys_.erase(std::remove(typing_keys_.begin(), typing_keys_.end(), e.code), typing_keys_.end());
        } else {
          keys_changed.push_back(e.code);
          command_pressed = command_pressed || e.down;
        }
        break;
      case InputEvent::Kind::button:
        if (e.code >= 0 && e.code < 3) {
          buttons_changed |= 1u << e.code;
          pointer_.down[e.code] = e.down;
        }
        [[fallthrough]];
      case InputEvent::Kind::pointer_move:
        pointer_ = {true, e.x, e.y, {pointer_.down[0], pointer_.down[1], pointer_.down[2]}};
        moved = moved || e.kind == InputEvent::Kind::pointer_move;
        break;
      default: break;
    }
  }
  return i;
}

}  // namespace sprites
