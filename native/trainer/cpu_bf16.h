// What bf16 autocast (--amp) is on this CPU, from the flags the kernel reports.
#pragma once
#include <string>

namespace sprites {

enum class CpuBf16 {
  native,      // avx512_bf16 or AMX: --amp trained 1.6-1.8x faster than fp32 on this project's VMs
  unmeasured,  // AVX-512 without bf16 (oneDNN converts around fp32 arithmetic), or not an x86 CPU
  slow,        // x86 without AVX-512: oneDNN has no bf16 kernels there and LibTorch runs its
               // reference ones, 26x slower than fp32 on this project's AVX2 VM (3.6 against 94 images/s)
};

CpuBf16 cpu_bf16();
// The same from the "flags" line of /proc/cpuinfo.
CpuBf16 cpu_bf16_of_flags(std::string flags);

}  // namespace sprites
