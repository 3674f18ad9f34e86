#include "layout.h"

#include <algorithm>

namespace sprites {

// A phone is under 600 CSS pixels on its short side in either orientation (390x844 portrait,
// 844x390 landscape); a tablet or a desktop window is not.
static constexpr int kPhoneShortSide = 600;

Layout choose_layout(int css_w, int css_h) {
  Layout l;
  if (css_w <= 0 || css_h <= 0) return l;  // before the first frame has a size
  const int short_side = std::min(css_w, css_h);
  l.touch = short_side > 0 && short_side < kPhoneShortSide;
  l.stacked = css_h > css_w || css_w < 700;  // portrait, or too narrow for controls beside a grid
  if (l.touch && !l.stacked) l.controls_width = std::clamp(css_w * 0.4f, 300.0f, 420.0f);
  return l;
}

}  // namespace sprites
