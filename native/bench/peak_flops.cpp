#include "peak_flops.h"

#include <chrono>

namespace sprites::bench {

double measured_peak_gflops() {
  // 16 independent accumulators x 16 lanes: enough to hide FMA latency once vectorised.
  constexpr int kAcc = 16 * 16;
  float acc[kAcc], mul[kAcc];
  for (int i = 0; i < kAcc; ++i) {
    acc[i] = 0.001f * i;
    mul[i] = 0.9999f;
  }
  const long iters = 2'000'000;
  const auto t0 = std::chrono::steady_clock::now();
  for (long k = 0; k < iters; ++k)
    for (int i = 0; i < kAcc; ++i) acc[i] = acc[i] * mul[i] + 0.0001f;
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  volatile float sink = 0;
  for (float a : acc) sink = sink + a;
  return 2.0 * kAcc * iters / s / 1e9;
}

}  // namespace sprites::bench
