// Each sampler's update against the course's formulas and the papers' closed forms.
#include "samplers/sampler.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace sprites;

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
    ddpm->step(i, x, eps, nullptr, z, 3);
    for (int j = 0; j < 3; ++j) EXPECT_NEAR(x[j], want[j], 1e-5) << "t=" << t;
  }
  auto plain = make_ddpm(s, false);
  EXPECT_FALSE(plain->needs_noise(0)) << "the course's incorrect sampler never adds noise";
  float x = 0.5f, eps = 0.2f;
  plain->step(0, &x, &eps, nullptr, nullptr, 1);
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
    ddim->step(i, x, eps, nullptr, nullptr, 2);
    for (int j = 0; j < 2; ++j) EXPECT_NEAR(x[j], want[j], 1e-5) << "t=" << t;
  }
  EXPECT_THROW(make_ddim(s, 0, 0), std::invalid_argument);
  EXPECT_THROW(make_ddim(s, 501, 0), std::invalid_argument);
  EXPECT_THROW(make_ddim(s, 25, 1.5f), std::invalid_argument);
  EXPECT_TRUE(make_ddim(s, 25, 0.5f)->needs_noise(0));
  EXPECT_FALSE(make_ddim(s, 25, 0.5f)->needs_noise(24)) << "the step to t = 0 adds no noise";
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
  smp->step(0, &x, &eps, nullptr, nullptr, 1);
  EXPECT_NEAR(x, want, 1e-5);
  // Second step: multistep correction with r = h_last / h.
  const double h_last = h;
  h = lam(400) - lam(450);
  const double r = h_last / h, d1 = x0(450, x, eps);
  const double d = (1 + 1 / (2 * r)) * d1 - 1 / (2 * r) * d0;
  want = std::sqrt(1 - s.ab[400]) / std::sqrt(1 - s.ab[450]) * x - std::sqrt(s.ab[400]) * std::expm1(-h) * d;
  smp->step(1, &x, &eps, nullptr, nullptr, 1);
  EXPECT_NEAR(x, want, 1e-5);
  EXPECT_FALSE(smp->needs_noise(0));
}
