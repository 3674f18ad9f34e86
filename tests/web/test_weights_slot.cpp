// The page's weights and generation logic (web/app, compiled natively): it samples with the schedule
// the file's metadata names, and gives the native CLI's pixels for the same file and settings.
#include "engine.h"
#include "generation.h"
#include "weights_edit.h"
#include "weights_slot.h"

#include <gtest/gtest.h>

using namespace sprites;

namespace {

std::vector<uint8_t> generate(UnetXnn& net, const Schedule& s, const SampleParams& p) {
  Generation gen(net, s, p, 10, 4);  // frame slices of 4 sprites, as the single-thread page
  while (!gen.advance(1e9)) {
  }
  return gen.pixels();
}

}  // namespace

TEST(PageWeights, ScheduleFromTheFilesMetadataGivesTheClisPixels) {
  ASSERT_TRUE(init_engine(1).ok);
  const std::string dir = testutil::temp_dir(), path = dir + "/other_schedule.safetensors";
  testutil::copy_weights_with_metadata(testutil::kDefaultWeights, path, schedule_metadata(Schedule(250, 2e-4f, 0.03f)));
  auto slot = load_weights_slot("mine", path);
  ASSERT_TRUE(slot->weights) << slot->error;
  EXPECT_EQ(slot->schedule->T, 250);
  EXPECT_EQ(slot->schedule->beta2, 0.03f);
  EXPECT_EQ(slot->hash.size(), 16u);

  SampleParams p;
  p.sampler = "ddim";
  p.steps = 10;
  p.count = 5;
  p.seed = 12;
  p.context = {0, 1, 0, 0.5f, 0};
  const auto page = generate(slot->network(nullptr), *slot->schedule, p);
  std::string out;
  ASSERT_EQ(testutil::run_command(std::string(SPRITES_CLI_EXE) + " sample --weights " + path +
                                      " --sampler ddim --steps 10 --count 5 --seed 12 --context 0,1,0,0.5,0 --threads 1 --out " +
                                      dir + "/g.png --raw " + dir + "/g.rgb",
                                  out),
            0)
      << out;
  EXPECT_EQ(testutil::read_bytes(dir + "/g.rgb"), page) << "the page and the CLI disagree on this file's schedule";
  EXPECT_NE(generate(slot->network(nullptr), Schedule(), p), page) << "the schedule must matter for this check to mean anything";
}

TEST(PageWeights, ABadFileLeavesAMessageAndNoWeights) {
  const std::string path = testutil::temp_dir() + "/bad.safetensors";
  testutil::copy_weights_with_metadata(testutil::kDefaultWeights, path, {{"timesteps", "-3"}});
  auto slot = load_weights_slot("bad", path);
  EXPECT_FALSE(slot->weights);
  EXPECT_NE(slot->error.find("timesteps"), std::string::npos) << slot->error;
  testutil::copy_weights_with_metadata(testutil::kDefaultWeights, path, {{"schedule", "cosine"}});
  slot = load_weights_slot("cosine", path);
  EXPECT_FALSE(slot->weights);
  EXPECT_NE(slot->error.find("schedule 'cosine'"), std::string::npos) << slot->error;
  auto missing = load_weights_slot("missing", path + ".nope");
  EXPECT_FALSE(missing->weights);
  EXPECT_FALSE(missing->error.empty());
}
