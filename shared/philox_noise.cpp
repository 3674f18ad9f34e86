#include "philox_noise.h"

#include <cmath>

namespace sprites {

std::array<uint32_t, 4> philox4x32_10(std::array<uint32_t, 4> c, std::array<uint32_t, 2> k) {
  constexpr uint32_t M0 = 0xD2511F53u, M1 = 0xCD9E8D57u, W0 = 0x9E3779B9u, W1 = 0xBB67AE85u;
  for (int round = 0; round < 10; ++round) {
    const uint64_t p0 = static_cast<uint64_t>(M0) * c[0], p1 = static_cast<uint64_t>(M1) * c[2];
    c = {static_cast<uint32_t>(p1 >> 32) ^ c[1] ^ k[0], static_cast<uint32_t>(p1),
         static_cast<uint32_t>(p0 >> 32) ^ c[3] ^ k[1], static_cast<uint32_t>(p0)};
    k = {k[0] + W0, k[1] + W1};
  }
  return c;
}

void gaussian_noise(uint64_t seed, uint32_t sprite, uint32_t step, float* out, size_t n) {
  const std::array<uint32_t, 2> key = {static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32)};
  constexpr double kTwoPi = 6.283185307179586476925;
  constexpr double k2to32 = 4294967296.0;
  for (size_t i = 0, block = 0; i < n; ++block) {
    const auto r = philox4x32_10({sprite, step, static_cast<uint32_t>(block), 0x5EEDu}, key);
    // Two Box-Muller pairs per block, in double so that libm differences between platforms stay
    // far below float precision. u1 in (0, 1] keeps log finite.
    for (int pair = 0; pair < 2 && i < n; ++pair) {
      const double u1 = (r[2 * pair] + 1.0) / k2to32, u2 = r[2 * pair + 1] / k2to32;
      const double radius = std::sqrt(-2.0 * std::log(u1));
      out[i++] = static_cast<float>(radius * std::cos(kTwoPi * u2));
      if (i < n) out[i++] = static_cast<float>(radius * std::sin(kTwoPi * u2));
    }
  }
}

uint32_t resample_noise_key(int t, int run, bool back) {
  return 0x80000000u | static_cast<uint32_t>(t) << 8 | static_cast<uint32_t>(run) << 1 | (back ? 1u : 0u);
}

}  // namespace sprites
