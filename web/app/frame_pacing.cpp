#include "frame_pacing.h"

namespace sprites {

bool FramePacer::draw(double now_ms, bool input, bool animating) {
  if (input) wake(now_ms);
  if (animating || now_ms < awake_until_ || now_ms - last_ >= kQuietIntervalMs) {
    last_ = now_ms;
    return true;
  }
  ++skipped_;
  return false;
}

}  // namespace sprites
