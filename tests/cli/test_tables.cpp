// Every row of the id tables works end to end: each sampler through a share link and through the CLI
// (which must give the core's own pixels), each checkpoint through a link and as a shipped file.
#include "checkpoint_files.h"
#include "engine.h"
#include "sample.h"
#include "samplers/sampler_table.h"
#include "share_link.h"
#include "test_util.h"
#include "unet_weights.h"

#include <gtest/gtest.h>

using namespace sprites;


// A ContextUnet of width 8 after one training step (54 kB): the rows are what is tested, and DDPM's
// 500 steps stay quick under the sanitizers.
static const std::string kTinyWeights = SPRITES_SOURCE_DIR "/tests/support/tiny_weights.safetensors";

TEST(Tables, EverySamplerRowWorksInALinkAndInTheCli) {
  ASSERT_TRUE(init_engine(1).ok);
  const UnetWeights w = load_unet_weights(kTinyWeights);
  UnetXnn net(w, nullptr);
  const std::string dir = testutil::temp_dir();
  for (const SamplerInfo& info : sampler_table()) {
    ShareState st;
    st.params.sampler = info.id;
    st.params.steps = 4;
    st.params.eta = info.uses_eta ? 0.5f : 0.0f;
    st.params.count = 2;
    st.params.seed = 31;
    st.params.context = {0, 0, 1, 0, 0};
    const std::string link = encode_share_link(st);
    const ShareState back = parse_share_link(link, 5);
    EXPECT_EQ(back.params.sampler, info.id) << link;

    std::vector<float> x;
    ASSERT_TRUE(sample(net, schedule_for(w.arch), back.params, x));
    std::string out;
    const std::string raw = dir + "/" + info.id + ".rgb";
    ASSERT_EQ(testutil::run_command(std::string(SPRITES_CLI_EXE) + " sample --weights " + kTinyWeights + " --sampler " + info.id +
                                        (info.uses_steps ? " --steps 4" : "") + (info.uses_eta ? " --eta 0.5" : "") +
                                        " --count 2 --seed 31 --context 0,0,1,0,0 --threads 1 --out " + dir + "/g.png --raw " + raw,
                                    out),
              0)
        << info.id << ": " << out;
    EXPECT_EQ(testutil::read_bytes(raw), to_rgb8(x)) << info.id;
  }
  std::string out;
  EXPECT_NE(testutil::run_command(std::string(SPRITES_CLI_EXE) + " sample --weights x --out y --sampler euler", out), 0);
  EXPECT_NE(out.find(sampler_table().back().id), std::string::npos) << "the error lists the samplers: " << out;
  // What each one does: the page's tooltip over the combo (tests/browser/studio.test.mjs) reads the same row.
  ASSERT_EQ(testutil::run_command(std::string(SPRITES_CLI_EXE) + " sample --help", out), 0) << out;
  for (const SamplerInfo& info : sampler_table()) {
    EXPECT_GT(std::string(info.about).size(), 80u) << info.id;
    EXPECT_NE(out.find(std::string("\n  ") + info.id + ": " + info.about + "\n"), std::string::npos) << info.id << ":\n" << out;
  }
}

TEST(Tables, EveryCheckpointRowWorksInALinkAndShips) {
  for (const CheckpointInfo& c : checkpoint_table()) {
    const ShareState st = parse_share_link(std::string("v=1&w=") + c.id, 5);
    EXPECT_EQ(st.weights_id, c.id);
    EXPECT_TRUE(is_checkpoint_file(checkpoint_file(c.id))) << c.id;
    EXPECT_EQ(checkpoint_id_of_file("runs/mine/" + checkpoint_file(c.id)), c.id);
    if (!c.shipped) {  // only a run still training has one
      EXPECT_EQ(std::string(c.id), kLatestCheckpoint);
      continue;
    }
    const UnetWeights w = load_unet_weights(std::string(SPRITES_SOURCE_DIR "/") + c.shipped);
    if (is_run_checkpoint(c.id) && std::string(c.id) != kFinalCheckpoint) EXPECT_EQ(epoch_checkpoint_id(std::stoi(w.epoch())), c.id);
    EXPECT_EQ(w.arch.distilled_steps, c.student_steps) << c.id;
    if (c.teacher) {
      ASSERT_NE(find_checkpoint(c.teacher), nullptr) << c.id;
      const UnetWeights t = load_unet_weights(std::string(SPRITES_SOURCE_DIR "/") + find_checkpoint(c.teacher)->shipped);
      EXPECT_EQ(t.labels, w.labels) << c.id << ": a student previews its teacher's labels";
      EXPECT_EQ(t.arch.zero_terminal_snr, w.arch.zero_terminal_snr) << c.id;
    }
  }
  for (const char* other : {"model_31.pth", "sprites_final.safetensors.tmp42", "final.safetensors", "sprites_final.pt"})
    EXPECT_FALSE(is_checkpoint_file(other)) << other;
  EXPECT_EQ(checkpoint_id_of_file("runs/mine/sprites_ep12.safetensors"), "") << "an epoch the page does not name";
  try {
    parse_share_link("v=1&w=../x", 5);
    FAIL() << "a path is not a weights id";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("'w=../x'"), std::string::npos) << "quotes the field as written: " << e.what();
  }
}
