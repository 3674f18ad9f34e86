#include "peak_flops.h"

#include <chrono>

namespace sprites::bench {

// A vector register's floats where this file is built (-march=native).
#if defined(__AVX512F__)
constexpr int kLanes = 16;
#elif defined(__AVX__)
constexpr int kLanes = 8;
#else
constexpr int kLanes = 4;
#endif
typedef float Vec __attribute__((vector_size(kLanes * sizeof(float))));

double measured_peak_gflops() {
  // 12 independent accumulators hide FMA latency (4-5 cycles on 2 pipes) and, with the two
  // constants, fit AVX2's 16 registers; 16 vectors of multipliers beside them (this loop until
  // 2026-12-07) spilled there and measured 19.7 GFLOP/s on a CPU that does 5x more.
  constexpr int kAcc = 12;
  Vec acc[kAcc];
  for (int i = 0; i < kAcc; ++i)
    for (int l = 0; l < kLanes; ++l) acc[i][l] = 0.001f * (i * kLanes + l);
  const Vec mul = Vec{} + 0.9999f, add = Vec{} + 0.0001f;
  const long iters = 20'000'000;
  const auto t0 = std::chrono::steady_clock::now();
  for (long k = 0; k < iters; ++k) {
#pragma GCC unroll 12
    for (int i = 0; i < kAcc; ++i) acc[i] = acc[i] * mul + add;
  }
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  volatile float sink = 0;
  for (const Vec& a : acc)
    for (int l = 0; l < kLanes; ++l) sink = sink + a[l];
  return 2.0 * kAcc * kLanes * iters / s / 1e9;
}

}  // namespace sprites::bench
