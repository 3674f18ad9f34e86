#include "frame_pacing.h"

namespace sprites {

bool FramePacer::draw(double now_ms, bool input, bool animating) {
  const bool woken = woken_;
  woken_ = false;
  if (input) awake_until_ = now_ms + kSettleMs;
  const bool due = busy_ ? woken || now_ms - last_ >= kBusyIntervalMs
                         : now_ms < awake_until_ || now_ms - last_ >= kQuietIntervalMs;
  if (animating || due) {
    last_ = now_ms;
    return true;
  }
  ++skipped_;
  return false;
}

}  // namespace sprites
