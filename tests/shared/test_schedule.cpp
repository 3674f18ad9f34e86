// The schedule against the course's closed form, and through weights metadata.
#include "schedule.h"
#include "unet_weights.h"
#include "weights_edit.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace sprites;

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

TEST(Schedule, WeightsMetadataNamesTheScheduleTheCoreSamplesWith) {
  const Schedule custom(250, 2e-4f, 0.03f);
  const std::string path = testutil::temp_dir() + "/w.safetensors";
  testutil::copy_weights_with_metadata(testutil::kDefaultWeights, path, schedule_metadata(custom));
  const Schedule read = schedule_for(load_unet_weights(path).arch);
  EXPECT_EQ(read.T, 250);
  EXPECT_EQ(read.beta1, custom.beta1);
  EXPECT_EQ(read.beta2, custom.beta2);
  EXPECT_EQ(read.ab, custom.ab);
  // The shipped weights name the course's schedule.
  EXPECT_EQ(schedule_for(load_unet_weights(testutil::kDefaultWeights).arch).ab, Schedule().ab);
  EXPECT_EQ(schedule_metadata(Schedule()).at("beta1"), "0.0001");
  EXPECT_EQ(schedule_metadata(Schedule()).at("beta2"), "0.02");
}

TEST(Schedule, ZeroTerminalSnrEndsInPureNoiseAndKeepsTheFirstStep) {
  const Schedule plain, z(500, 1e-4f, 0.02f, true);
  EXPECT_GT(plain.ab[500], 0.006f) << "the course's schedule leaves signal at t = T";
  EXPECT_EQ(z.ab[500], 0.0f);
  EXPECT_EQ(z.a[500], 0.0f);
  EXPECT_EQ(z.b[500], 1.0f);
  EXPECT_NEAR(z.ab[1], plain.ab[1], 1e-7);
  EXPECT_EQ(z.ab[0], 1.0f);
  for (int t = 1; t <= 500; ++t) {
    EXPECT_LT(z.ab[t], z.ab[t - 1]) << t;
    EXPECT_LE(z.ab[t], plain.ab[t] + 1e-7f) << "rescaling only removes signal; t = " << t;
    EXPECT_NEAR(z.ab[t], z.ab[t - 1] * z.a[t], 1e-6) << t;
  }
  // sqrt(abar) is an affine map of the plain one (Lin et al. 2023, Algorithm 1).
  const double k = (std::sqrt(z.ab[250]) - std::sqrt(z.ab[100])) / (std::sqrt(plain.ab[250]) - std::sqrt(plain.ab[100]));
  EXPECT_NEAR(std::sqrt(z.ab[400]) - std::sqrt(z.ab[100]), k * (std::sqrt(plain.ab[400]) - std::sqrt(plain.ab[100])), 1e-5);
  EXPECT_EQ(schedule_metadata(z).at("schedule"), "linear-zero-snr");
  EXPECT_EQ(schedule_metadata(plain).at("schedule"), "linear");
}

TEST(Schedule, WeightsNameTheirPredictionAndScheduleAndTheCoreRefusesTheRest) {
  const std::string dir = testutil::temp_dir();
  auto zv = schedule_metadata(Schedule(500, 1e-4f, 0.02f, true));
  zv["prediction"] = "v";
  testutil::copy_weights_with_metadata(testutil::kDefaultWeights, dir + "/zv.safetensors", zv);
  const auto w = load_unet_weights(dir + "/zv.safetensors");
  EXPECT_EQ(w.arch.prediction, Prediction::v);
  EXPECT_TRUE(w.arch.zero_terminal_snr);
  EXPECT_EQ(schedule_for(w.arch).ab, Schedule(500, 1e-4f, 0.02f, true).ab);
  EXPECT_EQ(load_unet_weights(testutil::kDefaultWeights).arch.prediction, Prediction::eps) << "no key: the course's eps";
  EXPECT_FALSE(load_unet_weights(testutil::kDefaultWeights).arch.zero_terminal_snr);

  testutil::copy_weights_with_metadata(testutil::kDefaultWeights, dir + "/zeps.safetensors",
                                       schedule_metadata(Schedule(500, 1e-4f, 0.02f, true)));
  testutil::copy_weights_with_metadata(testutil::kDefaultWeights, dir + "/x.safetensors", {{"prediction", "x0"}});
  testutil::copy_weights_with_metadata(testutil::kDefaultWeights, dir + "/cos.safetensors", {{"schedule", "cosine"}});
  for (auto [file, says] : {std::pair{"/zeps.safetensors", "an eps model cannot sample a zero-terminal-SNR schedule"},
                            {"/x.safetensors", "prediction 'x0' is not one this core samples"},
                            {"/cos.safetensors", "schedule 'cosine' is not one this core samples"}}) {
    try {
      load_unet_weights(dir + file);
      ADD_FAILURE() << file << " loaded";
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find(says), std::string::npos) << e.what();
    }
  }
}
