// The `sprites` CLI: one clear line and a non-zero exit for bad input; the PNG carries its parameters.
#include "test_util.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

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

TEST(SpritesCli, QuantizeWritesEightBitWeightsThatSampleCloseToTheOriginal) {
  const std::string dir = testutil::temp_dir();
  std::string out;
  ASSERT_EQ(run("quantize " + kWeights + " " + dir + "/w8.safetensors", out), 0) << out;
  EXPECT_NE(out.find("largest weight change"), std::string::npos) << out;
  ASSERT_EQ(run("info " + dir + "/w8.safetensors", out), 0) << out;
  EXPECT_NE(out.find("int8-per-channel"), std::string::npos) << out;
  auto pixels = [&](const std::string& weights, int seed) {
    std::string log;
    EXPECT_EQ(run("sample --weights " + weights + " --sampler ddim --steps 25 --count 4 --seed " + std::to_string(seed) +
                  " --out " + dir + "/g.png --raw " + dir + "/g.rgb", log), 0) << log;
    return testutil::read_bytes(dir + "/g.rgb");
  };
  auto mean_diff = [](const std::vector<uint8_t>& a, const std::vector<uint8_t>& b) {
    double d = 0;
    for (size_t i = 0; i < a.size() && a.size() == b.size(); ++i) d += std::abs(int(a[i]) - int(b[i]));
    return a.size() == b.size() && !a.empty() ? d / a.size() : 255.0;
  };
  const auto fp16 = pixels(kWeights, 5);
  const double eight_bit = mean_diff(fp16, pixels(dir + "/w8.safetensors", 5));
  const double other_seed = mean_diff(fp16, pixels(kWeights, 6));
  std::printf("DDIM-25, 4 sprites, mean pixel difference to fp16: 8-bit weights %.2f, another seed %.2f (of 255)\n",
              eight_bit, other_seed);
  EXPECT_GT(eight_bit, 0.0);               // it is another file...
  EXPECT_LT(eight_bit, 0.3 * other_seed);  // ...that draws the same sprites, not other ones
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
           {"quantize /nonexistent.safetensors " + dir + "/q.safetensors", "cannot open"},
           {"quantize " + kWeights, "out is required"},
       }) {
    std::string out;
    EXPECT_NE(run(c.args, out), 0) << c.args;
    EXPECT_NE(out.find(c.expect), std::string::npos) << c.args << "\n" << out;
    EXPECT_EQ(out.find("terminate called"), std::string::npos) << out;
  }
}
