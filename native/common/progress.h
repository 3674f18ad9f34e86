// A one-line progress display for long work: redrawn in place on a terminal, a plain line every
// few seconds otherwise (CI logs, pipes).
#pragma once
#include <chrono>
#include <string>

namespace sprites {

class Progress {
 public:
  explicit Progress(std::string label, double log_every_s = 10.0);
  // done/total units; `extra` is appended verbatim (loss, rates...).
  void update(long done, long total, const std::string& extra = "");
  void finish(const std::string& extra = "");
  static std::string format_duration(double seconds);

 private:
  std::string label_;
  bool tty_;
  double log_every_s_;
  std::chrono::steady_clock::time_point start_, last_;
  long start_done_ = -1;
  bool drawn_ = false;
};

}  // namespace sprites
