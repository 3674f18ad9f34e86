// Samplers, schedule and noise against closed forms and the course's formulas (no model needed),
// then end-to-end determinism on the default weights.
#include "engine.h"
#include "philox_noise.h"
#include "sample.h"
#include "schedule.h"
#include "unet_weights.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace sprites;

static const std::string kWeights = SPRITES_SOURCE_DIR "/assets/weights/sprites_final.safetensors";

TEST(Schedule, MatchesTheCourseClosedForm) {
  Schedule s;
  ASSERT_EQ(s.b.size(), 501u);
  double prod = 1;
  for (int t = 0; t <= 500; ++t) {
    const double b = 1e-4 + (0.02 - 1e-4) * t / 500.0;
    prod *= 1 - b;  // the course's cumsum(log a_t) includes t = 0
    EXPECT_NEAR(s.b[t], b, 1e-7) << t;
    EXPECT_NEAR(s.a[t], 1 - b, 1e-7) << t;
    if (t > 0) EXPECT_NEAR(s.ab[t] / prod, 1.0, 1e-5) << t;
  }
  EXPECT_EQ(s.ab[0], 1.0f);
}

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

// The course's denoise_add_noise, in double.
static double course_ddpm(const Schedule& s, int t, double x, double eps, double z) {
  const double a = s.a[t], ab = s.ab[t], b = s.b[t];
  return (x - eps * ((1 - a) / std::sqrt(1 - ab))) / std::sqrt(a) + std::sqrt(b) * z;
}

TEST(Ddpm, OneStepIsTheCoursesDenoiseAddNoise) {
  Schedule s;
  auto ddpm = make_ddpm(s, true);
  ASSERT_EQ(ddpm->timesteps().size(), 500u);
  EXPECT_EQ(ddpm->timesteps().front(), 500);
  EXPECT_EQ(ddpm->timesteps().back(), 1);
  EXPECT_TRUE(ddpm->needs_noise(0));
  EXPECT_FALSE(ddpm->needs_noise(499)) << "no noise at the last step, as the course";
  for (size_t i : {0u, 250u, 498u}) {
    const int t = ddpm->timesteps()[i];
    float x[3] = {0.3f, -1.2f, 2.0f}, eps[3] = {0.1f, -0.7f, 1.5f}, z[3] = {-0.4f, 0.9f, 0.05f};
    float want[3];
    for (int j = 0; j < 3; ++j) want[j] = static_cast<float>(course_ddpm(s, t, x[j], eps[j], z[j]));
    ddpm->step(i, x, eps, z, 3);
    for (int j = 0; j < 3; ++j) EXPECT_NEAR(x[j], want[j], 1e-5) << "t=" << t;
  }
  auto plain = make_ddpm(s, false);
  EXPECT_FALSE(plain->needs_noise(0)) << "the course's incorrect sampler never adds noise";
  float x = 0.5f, eps = 0.2f;
  plain->step(0, &x, &eps, nullptr, 1);
  EXPECT_NEAR(x, course_ddpm(s, 500, 0.5, 0.2, 0), 1e-5);
}

TEST(Ddim, OneEtaZeroStepIsTheCoursesDenoiseDdim) {
  Schedule s;
  auto ddim = make_ddim(s, 25, 0);
  const auto& ts = ddim->timesteps();
  ASSERT_EQ(ts.size(), 25u);
  EXPECT_EQ(ts[0], 500);
  EXPECT_EQ(ts[1], 480);
  EXPECT_EQ(ts.back(), 20);
  for (size_t i : {0u, 12u, 24u}) {
    const int t = ts[i], tp = std::max(t - 20, 0);
    float x[2] = {0.8f, -0.3f}, eps[2] = {0.25f, -1.1f};
    float want[2];
    for (int j = 0; j < 2; ++j) {
      // denoise_ddim: x0_pred = sqrt(ab_prev) / sqrt(ab) * (x - sqrt(1 - ab) eps); + sqrt(1 - ab_prev) eps
      const double ab = s.ab[t], abp = s.ab[tp];
      want[j] = static_cast<float>(std::sqrt(abp) / std::sqrt(ab) * (x[j] - std::sqrt(1 - ab) * eps[j]) +
                                   std::sqrt(1 - abp) * eps[j]);
    }
    EXPECT_FALSE(ddim->needs_noise(i));
    ddim->step(i, x, eps, nullptr, 2);
    for (int j = 0; j < 2; ++j) EXPECT_NEAR(x[j], want[j], 1e-5) << "t=" << t;
  }
  EXPECT_THROW(make_ddim(s, 0, 0), std::invalid_argument);
  EXPECT_THROW(make_ddim(s, 501, 0), std::invalid_argument);
  EXPECT_THROW(make_ddim(s, 25, 1.5f), std::invalid_argument);
  EXPECT_TRUE(make_ddim(s, 25, 0.5f)->needs_noise(0));
  EXPECT_FALSE(make_ddim(s, 25, 0.5f)->needs_noise(24)) << "the step to t = 0 adds no noise";
}

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
}

// With a perfect model of a one-point data distribution (every sprite is c), eps is known exactly:
// eps = (x - sqrt(abar_t) c) / sqrt(1 - abar_t). Every deterministic sampler must then land on c.
static void run_with_exact_model(Sampler& smp, const Schedule& s, std::vector<float>& x, float c) {
  std::vector<float> eps(x.size());
  for (size_t i = 0; i < smp.timesteps().size(); ++i) {
    const int t = smp.timesteps()[i];
    for (size_t j = 0; j < x.size(); ++j) eps[j] = (x[j] - std::sqrt(s.ab[t]) * c) / std::sqrt(1 - s.ab[t]);
    smp.step(i, x.data(), eps.data(), nullptr, x.size());
  }
}

TEST(Samplers, DeterministicSamplersRecoverAOnePointDistribution) {
  Schedule s;
  for (int steps : {1, 10, 20, 25}) {
    for (auto make : {+[](const Schedule& sc, int n) { return make_ddim(sc, n, 0); },
                      +[](const Schedule& sc, int n) { return make_dpm_solver_2m(sc, n); }}) {
      auto smp = make(s, steps);
      std::vector<float> x = {1.5f, -0.7f, 0.2f, 2.4f};
      run_with_exact_model(*smp, s, x, 0.37f);
      for (float v : x) EXPECT_NEAR(v, 0.37f, 1e-4) << steps << " steps";
    }
  }
}

TEST(DpmSolver, StepsMatchTheClosedForm) {
  Schedule s;
  auto smp = make_dpm_solver_2m(s, 10);
  const auto& ts = smp->timesteps();
  ASSERT_EQ(ts.size(), 10u);
  EXPECT_EQ(ts[0], 500);
  EXPECT_EQ(ts[1], 450);
  EXPECT_EQ(ts.back(), 50);
  auto lam = [&](int t) { return std::log(std::sqrt(s.ab[t]) / std::sqrt(1 - s.ab[t])); };
  auto x0 = [&](int t, double x, double e) { return (x - std::sqrt(1 - s.ab[t]) * e) / std::sqrt(s.ab[t]); };
  float x = 0.9f, eps = 0.4f;
  // First step: first order.
  double h = lam(450) - lam(500);
  const double d0 = x0(500, x, eps);
  double want = std::sqrt(1 - s.ab[450]) / std::sqrt(1 - s.ab[500]) * x - std::sqrt(s.ab[450]) * std::expm1(-h) * d0;
  smp->step(0, &x, &eps, nullptr, 1);
  EXPECT_NEAR(x, want, 1e-5);
  // Second step: multistep correction with r = h_last / h.
  const double h_last = h;
  h = lam(400) - lam(450);
  const double r = h_last / h, d1 = x0(450, x, eps);
  const double d = (1 + 1 / (2 * r)) * d1 - 1 / (2 * r) * d0;
  want = std::sqrt(1 - s.ab[400]) / std::sqrt(1 - s.ab[450]) * x - std::sqrt(s.ab[400]) * std::expm1(-h) * d;
  smp->step(1, &x, &eps, nullptr, 1);
  EXPECT_NEAR(x, want, 1e-5);
  EXPECT_FALSE(smp->needs_noise(0));
}

TEST_F(CoreSampling, StepsSplitIntoRowChunksGiveTheSamePixels) {
  SampleParams p;
  p.count = 5;
  p.seed = 21;
  p.steps = 8;
  p.guidance = 1.5f;  // 10 rows per step: chunks of 4 cross the conditional/unconditional halves
  p.context = {0, 0, 0, 1, 0};
  const auto whole = run(p);
  const Schedule sched;
  SamplingRun r(*net, sched, p);
  size_t parts = 0;
  while (!r.done()) {
    ++parts;
    r.step_part(4);
  }
  EXPECT_EQ(parts, r.total_steps() * 3u);
  EXPECT_EQ(to_rgb8(r.x()), whole);
}
