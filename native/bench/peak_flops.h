#pragma once
namespace sprites::bench {
// Single-thread GFLOP/s of a register-resident multiply-add loop (compiled for this CPU).
double measured_peak_gflops();
}
