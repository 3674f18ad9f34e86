// Sampling a v-prediction model on a zero-terminal-SNR schedule: the conversion to eps and x0, and
// every sampler's first step from pure noise (abar_T = 0), where eps says nothing of x0.
#include "samplers/sampler.h"
#include "sample.h"
#include "samplers/sampler_table.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace sprites;

namespace {

const Schedule& zsnr() {
  static const Schedule s(500, 1e-4f, 0.02f, true);
  return s;
}

// x_t and the v a perfect model would output, for a known x0 and eps.
void noisy(const Schedule& s, int t, const float* x0, const float* eps, float* x, float* v, size_t n) {
  const float al = std::sqrt(s.ab[t]), sg = std::sqrt(1 - s.ab[t]);
  for (size_t j = 0; j < n; ++j) {
    x[j] = al * x0[j] + sg * eps[j];
    v[j] = al * eps[j] - sg * x0[j];
  }
}

}  // namespace

TEST(ZeroTerminalSnr, VGivesBackEpsAndX0AtEveryStepIncludingPureNoise) {
  const float x0[3] = {0.8f, -0.3f, -1.0f}, eps[3] = {-1.1f, 0.4f, 2.0f};
  for (int t : {1, 100, 499, 500}) {
    float x[3], v[3], got_x0[3];
    noisy(zsnr(), t, x0, eps, x, v, 3);
    v_to_eps_x0(zsnr(), t, x, v, got_x0, 3);
    for (int j = 0; j < 3; ++j) {
      EXPECT_NEAR(v[j], eps[j], 1e-5) << "t=" << t;
      EXPECT_NEAR(got_x0[j], x0[j], 1e-5) << "t=" << t;
    }
  }
}

// From pure noise with a perfect model, one deterministic step of each sampler lands on the
// sprite's own trajectory: x_prev = sqrt(abar_prev) x0 + sqrt(1 - abar_prev) eps.
TEST(ZeroTerminalSnr, TheFirstStepFromPureNoiseUsesTheModelsX0) {
  const Schedule& s = zsnr();
  ASSERT_EQ(s.ab[500], 0.0f);
  const float x0[2] = {0.6f, -0.9f}, eps[2] = {0.3f, -1.4f};
  struct Case {
    const char* id;
    std::unique_ptr<Sampler> smp;
  };
  Case cases[] = {{"ddim", make_ddim(s, 25, 0)}, {"dpm++", make_dpm_solver_2m(s, 10)}, {"ddpm-nonoise", make_ddpm(s, false)}};
  for (auto& c : cases) {
    float x[2], v[2], px0[2];
    noisy(s, 500, x0, eps, x, v, 2);
    v_to_eps_x0(s, 500, x, v, px0, 2);
    c.smp->step(0, x, v, px0, nullptr, 2);
    const int tp = c.smp->timesteps().size() > 1 ? c.smp->timesteps()[1] : 0;
    for (int j = 0; j < 2; ++j) {
      EXPECT_TRUE(std::isfinite(x[j])) << c.id;
      const double on_path = std::sqrt(s.ab[tp]) * x0[j] + std::sqrt(1 - s.ab[tp]) * eps[j];
      // DDPM without noise keeps only the posterior mean sqrt(abar_prev) x0: the rest was noise.
      const double want = std::string(c.id) == "ddpm-nonoise" ? std::sqrt(s.ab[tp]) * x0[j] : on_path;
      EXPECT_NEAR(x[j], want, 1e-5) << c.id << " to t=" << tp;
    }
  }
}

TEST(ZeroTerminalSnr, EveryTableSamplerRunsFiniteFromPureNoise) {
  const Schedule& s = zsnr();
  for (const SamplerInfo& info : sampler_table()) {
    SampleParams p;
    p.sampler = info.id;
    p.steps = 5;
    p.eta = 1;
    auto smp = info.make(s, p);
    std::vector<float> x = {0.5f, -2.0f}, v(2), x0(2), z = {0.7f, -0.2f};
    for (size_t i = 0; i < smp->timesteps().size(); ++i) {
      const int t = smp->timesteps()[i];
      for (int j = 0; j < 2; ++j) v[j] = 0.1f * x[j];  // any finite model output
      v_to_eps_x0(s, t, x.data(), v.data(), x0.data(), 2);
      smp->step(i, x.data(), v.data(), x0.data(), smp->needs_noise(i) ? z.data() : nullptr, 2);
      for (float e : x) ASSERT_TRUE(std::isfinite(e)) << info.id << " step " << i << " t=" << t;
    }
  }
}
