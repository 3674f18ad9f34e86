// The page's sampler advice (web/app/sampler_advice.*) on the shipped files' own metadata: the
// "Best fast setting" the quality report measured for the course's model and for the v model, none
// for a student, and a student opened in the page sampled on its own grid as the CLI does.
#include "sampler_advice.h"
#include "samplers/sampler_table.h"
#include "weights_slot.h"

#include <gtest/gtest.h>

using namespace sprites;

namespace {

UnetArch arch_of(const std::string& path) {
  auto slot = load_weights_slot("x", path);
  if (!slot->weights) throw std::runtime_error(slot->error);
  return slot->weights->arch;
}

const std::string kEps = "assets/weights/sprites_final.safetensors";
const std::string kV = "assets/weights-v/sprites_final.safetensors";
const std::string kStudent1 = "assets/weights-student/sprites_student1.safetensors";
const std::string kStudent4 = "assets/weights-student/sprites_student4.safetensors";

}  // namespace

TEST(SamplerAdvice, BestFastSettingFollowsTheKindOfModel) {
  const FastSetting* eps = best_fast_setting(arch_of(kEps));
  ASSERT_NE(eps, nullptr);
  EXPECT_STREQ(eps->sampler, "dpm++");
  EXPECT_EQ(eps->steps, 20);
  EXPECT_EQ(eps->guidance, 1.0f) << "guidance rescues the eps model's deterministic steps (sprite-FID 5.3 -> 2.3)";
  const FastSetting* v = best_fast_setting(arch_of(kV));
  ASSERT_NE(v, nullptr);
  EXPECT_STREQ(v->sampler, "dpm++");
  EXPECT_EQ(v->steps, 20);
  EXPECT_EQ(v->guidance, 0.0f) << "on the v model guidance 1 costs twice and scores 3.4 against 1.13";
  for (const FastSetting* f : {eps, v}) {
    const SamplerInfo* info = find_sampler(f->sampler);
    ASSERT_NE(info, nullptr) << f->sampler;
    EXPECT_TRUE(info->uses_steps);
    EXPECT_NE(std::string(f->measured).find("docs/quality.md"), std::string::npos);
  }
  EXPECT_EQ(best_fast_setting(arch_of(kStudent1)), nullptr) << "a student's own sampler is its fast setting";
}

TEST(SamplerAdvice, AStudentSamplesOnItsGridAndAFullModelAfterItOnTheDefault) {
  SampleParams p;
  p.guidance = 2;
  p.seed = 7;
  fit_sampler_to(p, arch_of(kStudent4));
  EXPECT_EQ(p.sampler, "student");
  EXPECT_EQ(p.steps, 4);
  fit_sampler_to(p, arch_of(kStudent1));
  EXPECT_EQ(p.steps, 1);
  EXPECT_EQ(p.guidance, 2) << "only the sampler and its steps change";
  EXPECT_EQ(p.seed, 7u);
  fit_sampler_to(p, arch_of(kV));
  EXPECT_EQ(p.sampler, SampleParams{}.sampler) << "a student's one step is noise for a full model";
  EXPECT_EQ(p.steps, SampleParams{}.steps);
  p.sampler = "dpm++";
  p.steps = 10;
  fit_sampler_to(p, arch_of(kEps));
  EXPECT_EQ(p.sampler, "dpm++") << "a full model after a full model keeps the user's sampler";
  EXPECT_EQ(p.steps, 10);
}
