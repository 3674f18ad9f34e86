// The sampling driver on the default weights: guidance, determinism, sprite keys, callbacks, slices.
#include "engine.h"
#include "philox_noise.h"
#include "sample.h"
#include "unet_weights.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

using namespace sprites;

static const std::string kWeights = SPRITES_SOURCE_DIR "/assets/weights/sprites_final.safetensors";

TEST(Guidance, CombinesConditionalAndUnconditional) {
  float eps[4] = {1.0f, 2.0f, 0.5f, -1.0f};  // cond: {1, 2}, uncond: {0.5, -1}
  apply_guidance(eps, 2, 0.0f);
  EXPECT_EQ(eps[0], 1.0f) << "w = 0 is plain conditional sampling";
  EXPECT_EQ(eps[1], 2.0f);
  apply_guidance(eps, 2, 2.0f);
  EXPECT_FLOAT_EQ(eps[0], 3 * 1.0f - 2 * 0.5f);
  EXPECT_FLOAT_EQ(eps[1], 3 * 2.0f - 2 * -1.0f);
}

struct CoreSampling : ::testing::Test {
  static void SetUpTestSuite() {
    weights = new UnetWeights(load_unet_weights(kWeights));
    net = new UnetXnn(*weights, init_engine(1).pool);
  }
  static void TearDownTestSuite() {
    delete net;
    delete weights;
  }
  static std::vector<uint8_t> run(SampleParams p) {
    std::vector<float> x;
    EXPECT_TRUE(sample(*net, Schedule(), p, x));
    return to_rgb8(x);
  }
  static inline UnetWeights* weights = nullptr;
  static inline UnetXnn* net = nullptr;
};

TEST_F(CoreSampling, SameSeedGivesIdenticalBytes) {
  SampleParams p;
  p.count = 4;
  p.seed = 11;
  p.context = {1, 0, 0.6f, 0, 0};
  EXPECT_EQ(run(p), run(p));
  auto other = p;
  other.seed = 12;
  EXPECT_NE(run(p), run(other));
}

TEST_F(CoreSampling, SpriteKOfAGridEqualsTheSameSpriteAlone) {
  SampleParams p;
  p.count = 6;
  p.seed = 5;
  p.steps = 10;
  p.context = {0, 0, 1, 0, 0};
  for (float w : {0.0f, 2.0f}) {
    p.guidance = w;
    const auto grid = run(p);
    const size_t img = net->image_size();
    for (int k : {0, 3, 5}) {
      auto alone = p;
      alone.count = 1;
      alone.first_index = k;
      const auto one = run(alone);
      EXPECT_TRUE(std::equal(one.begin(), one.end(), grid.begin() + k * img)) << "sprite " << k << " guidance " << w;
    }
  }
}

TEST_F(CoreSampling, CallbackSeesEveryStepAndCanCancel) {
  SampleParams p;
  p.count = 2;
  p.context = {0, 1, 0, 0, 0};
  std::vector<int> ts;
  std::vector<float> x;
  EXPECT_TRUE(sample(*net, Schedule(), p, x, [&](const StepView& v) {
    ts.push_back(v.t);
    EXPECT_EQ(v.total, 25u);
    return true;
  }));
  ASSERT_EQ(ts.size(), 25u);
  EXPECT_EQ(ts.front(), 500);
  size_t calls = 0;
  EXPECT_FALSE(sample(*net, Schedule(), p, x, [&](const StepView&) { return ++calls < 3; }));
  EXPECT_EQ(calls, 3u);
}

TEST_F(CoreSampling, RejectsBadParameters) {
  SampleParams p;
  p.context = {1, 0, 0};
  std::vector<float> x;
  EXPECT_THROW(sample(*net, Schedule(), p, x), std::invalid_argument);
  p.context = {1, 0, 0, 0, 0};
  p.sampler = "euler";
  EXPECT_THROW(sample(*net, Schedule(), p, x), std::invalid_argument);
  p.sampler = "ddim";
  p.count = 0;
  EXPECT_THROW(sample(*net, Schedule(), p, x), std::invalid_argument);
  p.count = 1;
  p.init.assign(16 * 16 * 3 - 1, 128);  // not a whole sprite
  EXPECT_THROW(sample(*net, Schedule(), p, x), std::invalid_argument);
  p.init.assign(16 * 16 * 3, 128);
  for (float strength : {0.0f, -0.5f, 1.5f, NAN}) {
    p.strength = strength;
    EXPECT_THROW(sample(*net, Schedule(), p, x), std::invalid_argument) << strength;
  }
  p.strength = 0.5f;
  p.mask.assign(256, 1);
  for (auto bad : {std::vector<uint8_t>(255, 1), std::vector<uint8_t>(256, 0), std::vector<uint8_t>(256, 2)}) {
    p.mask = bad;  // not a pixel each; nothing to redraw; not 0 or 1
    EXPECT_THROW(sample(*net, Schedule(), p, x), std::invalid_argument) << bad.size();
  }
  p.mask.assign(256, 1);
  p.init.clear();  // a mask of nothing
  EXPECT_THROW(sample(*net, Schedule(), p, x), std::invalid_argument);
}

// Variations: every sprite starts from one sprite, noised to strength x T. A low strength keeps it
// (the model only cleans up what the noise did), a high one keeps less; each sprite is still keyed
// by its own index, as in a grid from noise.
TEST_F(CoreSampling, VariationsStayNearTheirSpriteAndDriftWithStrength) {
  SampleParams p;
  p.count = 6;
  p.seed = 21;
  p.context = {1, 0, 0, 0, 0};
  const auto grid = run(p);
  const size_t img = net->image_size();
  p.init.assign(grid.begin() + 2 * img, grid.begin() + 3 * img);
  p.seed = 22;
  std::vector<double> drift;
  for (float strength : {0.1f, 0.5f, 1.0f}) {
    p.strength = strength;
    const auto v = run(p);
    double d = 0;
    for (size_t j = 0; j < v.size(); ++j) d += std::abs(int(v[j]) - int(p.init[j % img]));
    drift.push_back(d / static_cast<double>(v.size()));
    std::printf("strength %.1f: mean distance to the starting sprite %.1f of 255\n", strength, drift.back());
  }
  EXPECT_LT(drift[0], 8.0) << "strength 0.1 keeps the sprite";
  EXPECT_LT(drift[0], drift[1]);
  EXPECT_LT(drift[1], drift[2]);
  EXPECT_GT(drift[2], 30.0) << "strength 1 leaves little of it";
  p.strength = 0.5f;
  const auto vars = run(p);
  auto alone = p;
  alone.count = 1;
  alone.first_index = 4;
  const auto one = run(alone);
  EXPECT_TRUE(std::equal(one.begin(), one.end(), vars.begin() + 4 * img)) << "sprite 4 of a variations grid alone";
  SampleParams from_noise = p;
  from_noise.init.clear();
  EXPECT_NE(run(from_noise), vars);
}

// Repainting: the unmasked pixels end as the start's own bytes, whichever sampler runs, and the
// masked ones are redrawn (from pure noise at strength 1); sprite k alone is still sprite k.
TEST_F(CoreSampling, RepaintingKeepsTheUnmaskedPixelsAndRedrawsTheMasked) {
  SampleParams p;
  p.count = 3;
  p.seed = 5;
  p.context = {0, 1, 0, 0, 0};
  const size_t img = net->image_size();
  p.init = run(p);
  p.init.resize(img);
  p.mask.assign(256, 0);
  for (int y = 0; y < 8; ++y)
    for (int x = 0; x < 16; ++x) p.mask[y * 16 + x] = 1;  // the top half
  for (const char* sampler : {"ddim", "dpm++", "ddpm"}) {
    p.sampler = sampler;
    p.strength = p.sampler == "ddpm" ? 0.2f : 1.0f;  // DDPM: 100 of its 500 steps
    const auto v = run(p);
    double kept_diff = 0, redrawn_diff = 0;
    for (size_t j = 0; j < v.size(); ++j) {
      const double d = std::abs(int(v[j]) - int(p.init[j % img]));
      (p.mask[j % img / 3] ? redrawn_diff : kept_diff) += d;
    }
    redrawn_diff /= static_cast<double>(v.size()) / 2;
    std::printf("%s: kept pixels off by %.0f in all, redrawn ones by %.1f of 255 on average\n", sampler, kept_diff, redrawn_diff);
    EXPECT_EQ(kept_diff, 0) << sampler;
    EXPECT_GT(redrawn_diff, 3.0) << sampler;
    auto alone = p;
    alone.count = 1;
    alone.first_index = 2;
    const auto one = run(alone);
    EXPECT_TRUE(std::equal(one.begin(), one.end(), v.begin() + 2 * img)) << sampler << ": sprite 2 alone";
  }
  auto whole = p;
  whole.mask.clear();
  const auto w = run(whole);
  EXPECT_FALSE(std::equal(w.begin() + img / 2, w.begin() + img, p.init.begin() + img / 2)) << "without a mask the bottom half varies too";
}

// A start per sprite (variations of a whole sheet in one batch, as the quality report runs them):
// sprite k is what its own start alone gives it, and with a mask it keeps its own start's pixels.
TEST_F(CoreSampling, AStartPerSpriteGivesEachSpriteWhatItsStartAloneGives) {
  SampleParams p;
  p.count = 3;
  p.seed = 13;
  p.context = {0, 0, 0, 0, 1};
  const size_t img = net->image_size();
  p.init = run(p);  // three different starts
  p.seed = 14;
  p.strength = 0.7f;
  for (bool masked : {false, true}) {
    if (masked) {
      p.mask.assign(256, 0);
      std::fill(p.mask.begin(), p.mask.begin() + 128, 1);  // the top half
      p.resample = 2;
    }
    const auto v = run(p);
    for (size_t k = 0; k < 3; ++k) {
      auto alone = p;
      alone.count = 1;
      alone.first_index = static_cast<int>(k);
      alone.init.assign(p.init.begin() + k * img, p.init.begin() + (k + 1) * img);
      const auto one = run(alone);
      EXPECT_TRUE(std::equal(one.begin(), one.end(), v.begin() + k * img)) << "sprite " << k << (masked ? ", masked" : "");
      if (masked) EXPECT_TRUE(std::equal(v.begin() + k * img + img / 2, v.begin() + (k + 1) * img, alone.init.begin() + img / 2)) << k;
    }
    auto shared = p;
    shared.init.resize(img);  // sprite 0's start for all three
    const auto from_one = run(shared);
    EXPECT_FALSE(std::equal(from_one.begin() + img, from_one.end(), v.begin() + img)) << "sprites 1 and 2 took their own starts";
  }
  p.init.resize(2 * img);  // neither one start nor one per sprite
  std::vector<float> x;
  EXPECT_THROW(sample(*net, Schedule(), p, x), std::invalid_argument);
}

// Resampling runs each step several times, noised back in between: the kept pixels still end as
// the start's bytes, the callback still sees each step once, and it is refused where it cannot apply.
TEST_F(CoreSampling, ResamplingKeepsThePixelsAndIsRefusedWhereItCannotApply) {
  SampleParams p;
  p.count = 2;
  p.seed = 9;
  p.context = {0, 0, 1, 0, 0};
  p.steps = 10;
  p.strength = 1;
  const size_t img = net->image_size();
  p.init.assign(img, 255);
  p.mask.assign(256, 0);
  std::fill(p.mask.begin() + 96, p.mask.begin() + 160, 1);  // rows 6-9
  const auto once = run(p);
  p.resample = 3;
  std::vector<float> x;
  int calls = 0;
  ASSERT_TRUE(sample(*net, Schedule(), p, x, [&](const StepView&) { return ++calls, true; }));
  EXPECT_EQ(calls, 10) << "one callback a step, however many runs";
  const auto thrice = to_rgb8(x);
  EXPECT_NE(thrice, once);
  for (size_t j = 0; j < thrice.size(); ++j)
    if (!p.mask[j % img / 3]) ASSERT_EQ(thrice[j], 255) << j;
  auto alone = p;
  alone.count = 1;
  alone.first_index = 1;
  const auto one = run(alone);
  EXPECT_TRUE(std::equal(one.begin(), one.end(), thrice.begin() + img)) << "sprite 1 alone";
  for (int bad : {0, SampleParams::kMaxResample + 1}) {
    p.resample = bad;
    EXPECT_THROW(sample(*net, Schedule(), p, x), std::invalid_argument) << bad;
  }
  p.resample = 2;
  p.sampler = "dpm++";  // multistep: a step builds on the last
  EXPECT_THROW(sample(*net, Schedule(), p, x), std::invalid_argument);
  p.sampler = "ddim";
  p.mask.clear();
  EXPECT_THROW(sample(*net, Schedule(), p, x), std::invalid_argument);
}

// Strength picks the sampler's first timestep at or below strength x T; the run takes only the
// steps from there, which the step callback sees.
TEST_F(CoreSampling, VariationsRunOnlyTheLaterSteps) {
  SampleParams p;
  p.count = 1;
  p.context = {0, 0, 0, 1, 0};
  p.init.assign(16 * 16 * 3, 255);
  p.strength = 0.31f;  // 155: DDIM-25's grid (500, 480, ...) from 140
  std::vector<int> ts;
  std::vector<float> x;
  ASSERT_TRUE(sample(*net, Schedule(), p, x, [&](const StepView& v) {
    ts.push_back(v.t);
    EXPECT_EQ(v.total, 7u);
    return true;
  }));
  EXPECT_EQ(ts, (std::vector<int>{140, 120, 100, 80, 60, 40, 20}));
  EXPECT_EQ(init_timestep(Schedule(), 0.31f), 155);
}

TEST_F(CoreSampling, StepsSplitIntoRowChunksGiveTheSamePixels) {
  SampleParams p;
  p.count = 5;
  p.seed = 21;
  p.steps = 8;
  p.guidance = 1.5f;  // 10 rows per step: sprites 0-3 with and without context, then sprite 4 likewise
  p.context = {0, 0, 0, 1, 0};
  const size_t halvings = net->encoder_halvings();
  const auto whole = run(p);
  const Schedule sched;
  SamplingRun r(*net, sched, p);
  EXPECT_EQ(net->encoder_halvings() - halvings, r.total_steps()) << "one batch a step, its second half repeating the first";
  const size_t reuses = net->encoder_reuses();
  size_t parts = 0;
  while (!r.done()) {
    ++parts;
    r.step_part(4);
  }
  EXPECT_EQ(parts, r.total_steps() * 4u);
  EXPECT_EQ(net->encoder_reuses() - reuses, r.total_steps() * 2u) << "each block without context reuses its encoding";
  EXPECT_EQ(to_rgb8(r.x()), whole);
}

// The encoder sees x alone: a second call on the same x (a context slider moving over fixed noise)
// runs only the decoder and must give what a network that never saw the first call gives.
TEST_F(CoreSampling, ANewContextOnTheSameNoiseReusesTheEncoderToTheBit) {
  const size_t n = 3, img = net->image_size(), nc = 5;
  std::vector<float> x(n * img), t(n, 0.5f), c1(n * nc, 0.0f), c2(n * nc, 0.0f);
  for (size_t k = 0; k < n; ++k) gaussian_noise(3, static_cast<uint32_t>(k), 0, &x[k * img], img);
  for (size_t k = 0; k < n; ++k) {
    c1[k * nc] = 1;
    c2[k * nc + 2] = 0.7f;
    c2[k * nc + 4] = 0.3f;
  }
  std::vector<float> first(n * img), second(n * img), fresh(n * img);
  UnetXnn reusing(*weights, init_engine(1).pool);
  reusing.forward(x.data(), t.data(), c1.data(), n, first.data());
  EXPECT_EQ(reusing.encoder_reuses(), 0u);
  std::vector<float> t2(n, 0.25f);  // time, like context, enters only the decoder
  reusing.forward(x.data(), t2.data(), c2.data(), n, second.data());
  EXPECT_EQ(reusing.encoder_reuses(), 1u);
  UnetXnn(*weights, init_engine(1).pool).forward(x.data(), t2.data(), c2.data(), n, fresh.data());
  EXPECT_EQ(second, fresh);
  EXPECT_NE(second, first);

  x[img + 7] += 1e-3f;  // one value of the second sprite: the encoder runs again
  reusing.forward(x.data(), t2.data(), c2.data(), n, second.data());
  EXPECT_EQ(reusing.encoder_reuses(), 1u);
  UnetXnn(*weights, init_engine(1).pool).forward(x.data(), t2.data(), c2.data(), n, fresh.data());
  EXPECT_EQ(second, fresh);
}

// Guidance's batch repeats its x in the second half: encoded once, the same as two separate halves.
TEST_F(CoreSampling, ABatchWhoseHalvesRepeatEncodesOneHalfToTheBit) {
  const size_t n = 3, img = net->image_size(), nc = 5;
  std::vector<float> x(2 * n * img), t(2 * n, 0.3f), c(2 * n * nc, 0.0f);
  for (size_t k = 0; k < n; ++k) gaussian_noise(4, static_cast<uint32_t>(k), 0, &x[k * img], img);
  std::copy(x.begin(), x.begin() + static_cast<std::ptrdiff_t>(n * img), x.begin() + static_cast<std::ptrdiff_t>(n * img));
  for (size_t k = 0; k < n; ++k) c[k * nc + k] = 1;  // the second half: no context
  UnetXnn halving(*weights, init_engine(1).pool);
  std::vector<float> both(2 * n * img), cond(n * img), uncond(n * img);
  halving.forward(x.data(), t.data(), c.data(), 2 * n, both.data());
  EXPECT_EQ(halving.encoder_halvings(), 1u);
  UnetXnn separate(*weights, init_engine(1).pool);
  separate.forward(x.data(), t.data(), c.data(), n, cond.data());
  separate.forward(x.data() + n * img, t.data(), c.data() + n * nc, n, uncond.data());
  EXPECT_EQ(separate.encoder_halvings(), 0u);
  EXPECT_EQ(std::vector<float>(both.begin(), both.begin() + static_cast<std::ptrdiff_t>(n * img)), cond);
  EXPECT_EQ(std::vector<float>(both.begin() + static_cast<std::ptrdiff_t>(n * img), both.end()), uncond);
  EXPECT_NE(cond, uncond);
}
