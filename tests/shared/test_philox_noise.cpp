// Philox noise: known answers, distribution, keyed by sprite and step.
#include "philox_noise.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

using namespace sprites;

TEST(Philox, MatchesRandom123KnownAnswers) {
  // Known-answer vectors of Philox4x32-10 from the Random123 distribution (kat_vectors).
  auto r = philox4x32_10({0, 0, 0, 0}, {0, 0});
  EXPECT_EQ(r, (std::array<uint32_t, 4>{0x6627e8d5u, 0xe169c58du, 0xbc57ac4cu, 0x9b00dbd8u}));
  r = philox4x32_10({0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu}, {0xffffffffu, 0xffffffffu});
  EXPECT_EQ(r, (std::array<uint32_t, 4>{0x408f276du, 0x41c83b0eu, 0xa20bc7c6u, 0x6d5451fdu}));
  r = philox4x32_10({0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u}, {0xa4093822u, 0x299f31d0u});
  EXPECT_EQ(r, (std::array<uint32_t, 4>{0xd16cfe09u, 0x94fdccebu, 0x5001e420u, 0x24126ea1u}));
}

TEST(Noise, IsStandardNormalAndKeyedBySpriteAndStep) {
  std::vector<float> z(200003);
  gaussian_noise(42, 3, 7, z.data(), z.size());
  double m = 0, v = 0;
  for (float x : z) m += x;
  m /= z.size();
  for (float x : z) v += (x - m) * (x - m);
  v /= z.size();
  EXPECT_NEAR(m, 0, 0.01);
  EXPECT_NEAR(v, 1, 0.01);
  std::vector<float> a(768), b(768), c(768), d(768);
  gaussian_noise(42, 3, 7, a.data(), a.size());
  EXPECT_TRUE(std::equal(a.begin(), a.end(), z.begin())) << "a prefix of the same stream";
  gaussian_noise(42, 4, 7, b.data(), b.size());
  gaussian_noise(42, 3, 8, c.data(), c.size());
  gaussian_noise(43, 3, 7, d.data(), d.size());
  EXPECT_NE(a, b);
  EXPECT_NE(a, c);
  EXPECT_NE(a, d);
}
