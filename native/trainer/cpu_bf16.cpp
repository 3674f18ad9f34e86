#include "cpu_bf16.h"

#include <fstream>

namespace sprites {

CpuBf16 cpu_bf16_of_flags(std::string flags) {
  flags += ' ';
  const auto has = [&](const char* flag) { return flags.find(std::string(" ") + flag + " ") != std::string::npos; };
  if (has("avx512_bf16") || has("amx_bf16")) return CpuBf16::native;
  return has("avx512bw") ? CpuBf16::unmeasured : CpuBf16::slow;  // oneDNN's bf16 needs avx512_core (F, BW, VL, DQ)
}

CpuBf16 cpu_bf16() {
  std::ifstream f("/proc/cpuinfo");
  for (std::string line; std::getline(f, line);)
    if (line.rfind("flags", 0) == 0) return cpu_bf16_of_flags(line);
  return CpuBf16::unmeasured;  // not Linux, or not x86 (an ARM CPU lists "Features")
}

}  // namespace sprites
