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
