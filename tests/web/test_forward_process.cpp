// The noising view's logic (web/app/forward_process.h): the noised sprite is the one variations at
// strength t/T start from, the loss is the network's own noise error, and a light noise is seen through.
#include "default_slot.h"
#include "forward_process.h"
#include "generation.h"
#include "philox_noise.h"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

using namespace sprites;

namespace {

SampleParams params() {
  SampleParams p;
  p.seed = 11;
  p.first_index = 2;
  p.count = 1;
  p.context = {0, 0, 1, 0, 0};
  return p;
}

}  // namespace

TEST(ForwardProcess, TheNetworksLookAtANoisedSprite) {
  const auto slot = default_slot();
  UnetXnn net(*slot->weights, nullptr);
  const Schedule& s = *slot->schedule;
  SampleParams p = params();
  Generation gen(net, s, p);  // a sprite the model draws: its own kind of data
  gen.advance(1e9);
  const std::vector<uint8_t> sprite = gen.pixels();
  p.guidance = 3;  // the look leaves guidance out, as training does

  const std::vector<int> ts = {0, 1, 250, 500};
  const std::vector<uint8_t> strip = noised_sprites(s, p, sprite, ts);
  ASSERT_EQ(strip.size(), ts.size() * sprite.size());
  EXPECT_TRUE(std::equal(sprite.begin(), sprite.end(), strip.begin())) << "t = 0 is the sprite";

  for (size_t i = 1; i < ts.size(); ++i) {
    const ForwardLook look = look_at_noised(net, s, p, sprite, ts[i]);
    EXPECT_EQ(look.t, ts[i]);
    EXPECT_NEAR(look.signal * look.signal + look.noise * look.noise, 1.0, 1e-6);
    EXPECT_TRUE(std::equal(look.x_t.begin(), look.x_t.end(), strip.begin() + static_cast<long>(i * sprite.size())))
        << "the strip's x_t at t = " << ts[i];

    // The loss is the network's noise error, evaluated here directly.
    const size_t img = sprite.size();
    std::vector<float> z(img), x(img), eps(img);
    gaussian_noise(p.seed, static_cast<uint32_t>(p.first_index), 0, z.data(), img);
    for (size_t j = 0; j < img; ++j) x[j] = look.signal * (sprite[j] / 127.5f - 1) + look.noise * z[j];
    const float tt = static_cast<float>(ts[i]) / s.T;
    net.forward(x.data(), &tt, p.context.data(), 1, eps.data());
    double sum = 0;
    for (size_t j = 0; j < img; ++j) sum += (eps[j] - z[j]) * (eps[j] - z[j]);
    EXPECT_NEAR(look.loss, sum / img, 1e-3 * sum / img + 1e-6) << "t = " << ts[i];
    EXPECT_LT(look.loss, 1.0) << "better than guessing no noise, t = " << ts[i];
    if (ts[i] == 1) {
      // sqrt(1 - abar_1) = 0.01: the noise moves a pixel by ~1 level (4 at 3 sigma), and the guess's
      // error is the noise error scaled by that.
      int worst = 0;
      double mean = 0;
      for (size_t j = 0; j < img; ++j) {
        worst = std::max(worst, std::abs(look.x0[j] - sprite[j]));
        mean += std::abs(look.x0[j] - sprite[j]) / static_cast<double>(img);
      }
      EXPECT_LE(mean, 2.0) << "through the lightest noise the network sees the sprite";
      EXPECT_LE(worst, 8);
    }
  }
  EXPECT_THROW(look_at_noised(net, s, p, sprite, 0), std::invalid_argument);
  EXPECT_THROW(look_at_noised(net, s, p, sprite, s.T + 1), std::invalid_argument);
  EXPECT_THROW(noised_sprites(s, p, sprite, {-1}), std::invalid_argument);
}
