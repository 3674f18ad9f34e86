// The forward process (forward_process.h: the page's Noising view, `sprites noising`): the noised
// sprite and the network's guess are those of a variation at strength t/T (the sampler's own path),
// one batch of timesteps gives what one at a time gives, the loss is the noise error, and a light
// noise is seen through.
#include "engine.h"
#include "forward_process.h"
#include "philox_noise.h"
#include "unet_weights.h"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

using namespace sprites;

TEST(ForwardProcess, TheNetworksLookAtANoisedSprite) {
  const UnetWeights weights = load_unet_weights(SPRITES_SOURCE_DIR "/assets/weights/sprites_final.safetensors");
  UnetXnn net(weights, init_engine(1).pool);
  const Schedule s = schedule_for(weights.arch);
  SampleParams p;
  p.seed = 11;
  p.first_index = 2;
  p.count = 1;
  p.context = {0, 0, 1, 0, 0};
  std::vector<float> drawn;
  ASSERT_TRUE(sample(net, s, p, drawn));  // a sprite the model draws: its own kind of data
  const std::vector<uint8_t> sprite = to_rgb8(drawn);
  p.guidance = 3;  // the look leaves guidance out, as training does

  const std::vector<int> ts = {1, 250, 500};
  const std::vector<uint8_t> strip = noised_sprites(s, p, sprite, {0, 1, 250, 500});
  ASSERT_EQ(strip.size(), 4 * sprite.size());
  EXPECT_TRUE(std::equal(sprite.begin(), sprite.end(), strip.begin())) << "t = 0 is the sprite";
  const std::vector<ForwardLook> looks = look_at_noised(net, s, p, sprite, ts);
  ASSERT_EQ(looks.size(), ts.size());
  const size_t img = sprite.size();
  for (size_t i = 0; i < ts.size(); ++i) {
    const ForwardLook& look = looks[i];
    EXPECT_EQ(look.t, ts[i]);
    EXPECT_NEAR(look.signal * look.signal + look.noise * look.noise, 1.0, 1e-6);
    EXPECT_TRUE(std::equal(look.x_t.begin(), look.x_t.end(), strip.begin() + static_cast<long>((i + 1) * img))) << "the strip's x_t, t = " << ts[i];
    EXPECT_LT(look.loss, 1.0) << "better than guessing no noise, t = " << ts[i];

    // A variation at strength t/T with DDIM over every timestep starts at x_t, and its first step's
    // predicted x_0 is the same look.
    SampleParams v = p;
    v.guidance = 0;
    v.sampler = "ddim";
    v.steps = s.T;
    v.init = sprite;
    v.strength = static_cast<float>(ts[i]) / s.T;
    SamplingRun run(net, s, v);
    EXPECT_EQ(to_rgb8(run.x()), look.x_t) << "t = " << ts[i];
    const StepView step = run.step();
    ASSERT_EQ(step.t, ts[i]);
    EXPECT_EQ(to_rgb8(std::vector<float>(step.x0, step.x0 + img)), look.x0) << "t = " << ts[i];

    // One at a time, the same.
    const ForwardLook alone = look_at_noised(net, s, p, sprite, {ts[i]})[0];
    EXPECT_EQ(alone.x0, look.x0);
    EXPECT_NEAR(alone.loss, look.loss, 1e-5 * look.loss);

    // The loss is the noise error: the x_0 it implies, recomputed from the clean sprite.
    std::vector<float> z(img);
    gaussian_noise(p.seed, static_cast<uint32_t>(p.first_index), 0, z.data(), img);
    double sum = 0;
    for (size_t j = 0; j < img; ++j) {
      const double x_t = look.signal * (sprite[j] / 127.5 - 1) + look.noise * z[j];
      const double x0 = (step.x0[j]);
      const double eps = (x_t - look.signal * x0) / look.noise;
      sum += (eps - z[j]) * (eps - z[j]);
    }
    EXPECT_NEAR(look.loss, sum / img, 1e-3 * sum / img + 1e-6) << "t = " << ts[i];
  }
  // sqrt(1 - abar_1) = 0.01: the noise moves a pixel by ~1 level (4 at 3 sigma), and the guess's
  // error is the noise error scaled by that.
  int worst = 0;
  double mean = 0;
  for (size_t j = 0; j < img; ++j) {
    worst = std::max(worst, std::abs(looks[0].x0[j] - sprite[j]));
    mean += std::abs(looks[0].x0[j] - sprite[j]) / static_cast<double>(img);
  }
  EXPECT_LE(mean, 2.0) << "through the lightest noise the network sees the sprite";
  EXPECT_LE(worst, 8);
  EXPECT_THROW(look_at_noised(net, s, p, sprite, {0}), std::invalid_argument);
  EXPECT_THROW(look_at_noised(net, s, p, sprite, {s.T + 1}), std::invalid_argument);
  EXPECT_THROW(noised_sprites(s, p, sprite, {-1}), std::invalid_argument);
  p.context = {1, 0};
  EXPECT_THROW(look_at_noised(net, s, p, sprite, {5}), std::invalid_argument);
}
