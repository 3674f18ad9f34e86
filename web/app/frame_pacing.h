// Which browser frames the studio draws. Drawing the UI takes CPU the sampler needs: in a browser
// that rasterises WebGL in software (headless chromium, a blocklisted GPU) a frame of the studio
// costs the 2-core machine about 40-55 ms of CPU at 1100x700 (25 of them to present any frame),
// so drawing 60 times a second kept both cores busy while nothing moved, and a 25-step grid
// sampled 1.3-1.6x slower than with none drawn. So every frame is drawn only while something
// happens (input, a link or a fetch from the page's script, an animation on screen, and a moment
// after each, while ImGui settles hover and active states); otherwise a few frames a second are
// enough for the sampler's progress. No ImGui or SDL here, so it is tested natively.
#pragma once

namespace sprites {

class FramePacer {
 public:
  static constexpr double kQuietIntervalMs = 200;  // between frames while nothing happens
  static constexpr double kSettleMs = 250;         // every frame for this long after input or a wake

  // Whether to draw the frame at `now_ms`. `input`: events are waiting; `animating`: the last frame
  // drawn showed an animation.
  bool draw(double now_ms, bool input, bool animating);
  // Something other than input changed what the page shows (a link, a fetch, the JS API, a result).
  void wake(double now_ms) {
    awake_until_ = now_ms + kSettleMs;
    woken_ = true;
  }
  // While each frame's input starts work the next frame shows (the live preview's grid on its own
  // thread), a frame drawn for input alone takes CPU from that work: then input draws at most every
  // kBusyIntervalMs, and the result arrives with a wake, which draws at once.
  static constexpr double kBusyIntervalMs = 250;
  void set_busy(bool busy) { busy_ = busy; }

  // How the browser should call the next frame: at its display rate while something happens; else
  // back to back while sampling (no wait for the display), or polling for input a few dozen times
  // a second (an idle page asks the browser for no frames at all). While busy, soon: the result is
  // put on screen within a few milliseconds of its arrival, not at the next display frame.
  enum class Timing { display, back_to_back, poll, soon };
  static constexpr double kPollMs = 40, kSoonMs = 4;
  Timing next_timing(double now_ms, bool sampling, bool animating) const {
    if (animating) return Timing::display;
    if (busy_) return Timing::soon;
    if (now_ms < awake_until_) return Timing::display;
    return sampling ? Timing::back_to_back : Timing::poll;
  }
  long skipped() const { return skipped_; }  // frames not drawn

 private:
  double last_ = -1e300, awake_until_ = -1e300;
  bool woken_ = false, busy_ = false;
  long skipped_ = 0;
};

}  // namespace sprites
