// The `sprites` CLI: one clear line and a non-zero exit for bad input; the PNG carries its parameters.
#include "test_util.h"

#include <gtest/gtest.h>

static const std::string kExe = SPRITES_CLI_EXE;
static const std::string kWeights = SPRITES_SOURCE_DIR "/assets/weights/sprites_final.safetensors";

static int run(const std::string& args, std::string& out) { return testutil::run_command(kExe + " " + args, out); }

TEST(SpritesCli, SamplesAGridWithParametersInThePng) {
  const std::string dir = testutil::temp_dir();
  std::string out;
  ASSERT_EQ(run("sample --weights " + kWeights + " --context 1,0,0.6,0,0 --steps 5 --count 4 --seed 9 --out " + dir +
                    "/g.png --raw " + dir + "/g.rgb",
                out),
            0)
      << out;
  EXPECT_NE(out.find("pixels fnv1a64 "), std::string::npos) << out;
  const auto png = testutil::read_bytes(dir + "/g.png");
  ASSERT_GT(png.size(), 40u);
  EXPECT_EQ(std::string(png.begin() + 1, png.begin() + 4), "PNG");
  const std::string text(png.begin(), png.end());
  EXPECT_NE(text.find("tEXtParameters"), std::string::npos);
  EXPECT_NE(text.find("context=1,0,0.6,0,0"), std::string::npos);
  EXPECT_NE(text.find("seed=9"), std::string::npos);
  EXPECT_EQ(testutil::read_bytes(dir + "/g.rgb").size(), 4u * 16 * 16 * 3);
}

TEST(SpritesCli, InfoPrintsTheMetadata) {
  std::string out;
  ASSERT_EQ(run("info " + kWeights, out), 0) << out;
  EXPECT_NE(out.find("ContextUnet"), std::string::npos);
  EXPECT_NE(out.find("hero,non-human,food,spell,item"), std::string::npos);
}

TEST(SpritesCli, BadInputGivesOneClearLineAndANonZeroExit) {
  const std::string dir = testutil::temp_dir();
  const std::string ok = " --weights " + kWeights + " --out " + dir + "/x.png";
  struct Case { std::string args, expect; };
  for (const Case& c : std::vector<Case>{
           {"sample --weights /nonexistent.safetensors --out " + dir + "/x.png", "cannot open"},
           {"sample" + ok + " --context 1,0,0", "needs 5"},
           {"sample" + ok + " --context 1,0,abc,0,0", "not a number"},
           {"sample" + ok + " --context 1,0,1.5,0,0", "not a number in [0, 1]"},
           {"sample" + ok + " --sampler euler", "sampler"},
           {"sample" + ok + " --steps 0", "steps"},
           {"sample" + ok + " --count -3", "count"},
           {"sample" + ok + " --guidance 99", "guidance"},
           {"info " + std::string(SPRITES_SOURCE_DIR) + "/assets/dataset/sprites_2642_16x16.npy", "header length"},
           {"frobnicate", "subcommand"},
       }) {
    std::string out;
    EXPECT_NE(run(c.args, out), 0) << c.args;
    EXPECT_NE(out.find(c.expect), std::string::npos) << c.args << "\n" << out;
    EXPECT_EQ(out.find("terminate called"), std::string::npos) << out;
  }
}
