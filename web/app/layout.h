// Which arrangement the studio uses for the canvas's CSS size: the desktop one (controls beside the
// views), or for phones the views first at the full width with the controls below them (portrait),
// and touch-sized widgets on any phone-sized screen. Chosen every frame, so rotating a phone or
// resizing a window switches at once. No ImGui here, so it is tested natively.
#pragma once
#include <array>
#include <map>
#include <string>

namespace sprites {

struct Layout {
  bool stacked = false;  // views above controls, both at the full width
  bool touch = false;    // touch-sized hit areas (larger text and padding)
  float controls_width = 340;  // beside the views, when not stacked
};

Layout choose_layout(int css_w, int css_h);

// Whether the grid view shows the enlarged sprite (and its buttons) beside the grid: not on phones.
inline bool sprite_beside_grid(const Layout& l) { return !l.touch && !l.stacked; }

// Where things were drawn last frame, in CSS pixels (x, y, w, h): the status JSON reports them, so
// tests aim taps at real widgets and measure the grid instead of guessing pixel positions.
using UiRects = std::map<std::string, std::array<float, 4>>;

// A text field where a frame drew it (CSS pixels), for a phone's keyboard (web/soft_keyboard.js).
struct TextField {
  std::array<float, 4> rect{};  // x, y, width, height
  bool number = false;          // digits only: the keyboard's number pad
  bool operator==(const TextField& o) const { return rect == o.rect && number == o.number; }
};

}  // namespace sprites
