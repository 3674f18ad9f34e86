#include "generation.h"

#include "checksum.h"

namespace sprites {

Generation::Generation(UnetXnn& net, const Schedule& s, const SampleParams& p, size_t max_snapshots,
                       size_t rows_per_slice)
    : run_(net, s, p), rows_per_slice_(rows_per_slice) {
  every_ = (run_.total_steps() + max_snapshots - 1) / max_snapshots;
  pixels_ = to_rgb8(run_.x());
}

bool Generation::advance(double budget_ms) {
  using clock = std::chrono::steady_clock;
  const auto t0 = clock::now();
  double spent = 0;
  while (!run_.done() && !cancelled_ && (spent == 0 || spent < budget_ms)) {
    const auto part = run_.step_part(rows_per_slice_);
    spent = std::chrono::duration<double, std::milli>(clock::now() - t0).count();
    if (!part) continue;
    const StepView& v = *part;
    if ((v.step + 1) % every_ == 0 || v.step + 1 == v.total || v.step == 0) {
      snaps_.push_back({v.t, to_rgb8(run_.x()), to_rgb8(run_.x0())});
    }
  }
  elapsed_ms_ += spent;
  pixels_ = to_rgb8(run_.x());
  x0_ = to_rgb8(run_.x0());
  if (run_.done() && checksum_.empty()) checksum_ = fnv1a64_hex(pixels_);
  return run_.done();
}

}  // namespace sprites
