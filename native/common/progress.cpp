#include "progress.h"

#include <cstdio>
#include <unistd.h>

namespace sprites {

Progress::Progress(std::string label, double log_every_s)
    : label_(std::move(label)), tty_(isatty(fileno(stderr))), log_every_s_(log_every_s),
      start_(std::chrono::steady_clock::now()), last_(start_ - std::chrono::hours(1)) {}

std::string Progress::format_duration(double s) {
  char buf[32];
  const long t = static_cast<long>(s + 0.5);
  if (t >= 3600) std::snprintf(buf, sizeof buf, "%ldh%02ldm", t / 3600, t / 60 % 60);
  else std::snprintf(buf, sizeof buf, "%ldm%02lds", t / 60, t % 60);
  return buf;
}

void Progress::update(long done, long total, const std::string& extra) {
  const auto now = std::chrono::steady_clock::now();
  if (start_done_ < 0) start_done_ = done;  // rates count only work done in this run (resume)
  const double since_draw = std::chrono::duration<double>(now - last_).count();
  if (since_draw < (tty_ ? 0.2 : log_every_s_) && done != total) return;
  last_ = now;
  const double el = std::chrono::duration<double>(now - start_).count();
  const double rate = el > 0 ? (done - start_done_) / el : 0;
  const double eta = rate > 0 ? (total - done) / rate : 0;
  const int width = 24;
  const int filled = total > 0 ? static_cast<int>(width * done / total) : 0;
  std::string bar(filled, '#');
  bar.append(width - filled, '.');
  std::fprintf(stderr, "%s%s [%s] %ld/%ld %s elapsed %s ETA %s", tty_ ? "\r\033[K" : "", label_.c_str(),
               bar.c_str(), done, total, extra.c_str(), format_duration(el).c_str(),
               format_duration(eta).c_str());
  std::fprintf(stderr, tty_ ? "" : "\n");
  std::fflush(stderr);
  drawn_ = true;
}

void Progress::finish(const std::string& extra) {
  const double el = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  std::fprintf(stderr, "%s%s done in %s %s\n", tty_ && drawn_ ? "\r\033[K" : "", label_.c_str(),
               format_duration(el).c_str(), extra.c_str());
}

}  // namespace sprites
