// The training loop: loss goes down, exact resume, moving average, stops, NaN, exports.
#include "checkpoint.h"
#include "optimizer.h"
#include "tiny_run.h"

using namespace sprites;

TEST(Trainer, AFewStepsOnATinySubsetLowerTheLoss) {
  auto c = tiny(testutil::temp_dir());
  c.epochs = 6;
  auto r = train(c);
  EXPECT_EQ(r.steps, 30);
  auto l = losses(c.out_dir + "/loss.csv");
  ASSERT_EQ(l.size(), 30u);
  EXPECT_LT(mean(l, 25, 30), 0.8 * mean(l, 0, 5)) << "first " << mean(l, 0, 5) << " last " << mean(l, 25, 30);
}

TEST(Trainer, ResumeReproducesTheUninterruptedRun) {
  auto whole = tiny(testutil::temp_dir());
  whole.max_steps = 17;
  EXPECT_EQ(train(whole).steps, 17);
  auto a = run_losses(whole), b = run_losses(stopped_and_resumed(whole, 8));  // stops mid-epoch, as Ctrl-C would
  ASSERT_EQ(a.size(), 17u);
  ASSERT_EQ(b.size(), 17u);
  for (size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i], b[i]) << "step " << i + 1;
}

// A run stopped by a trainer from before the fold has its convolution biases, and running means
// that include them: --resume folds them (the same network) and the run goes on as the
// uninterrupted one, its held-out losses (eval mode: the running means) included.
TEST(Trainer, ACheckpointWithConvBiasesResumesFolded) {
  auto whole = tiny(testutil::temp_dir());
  whole.max_steps = 22;
  train(whole);
  auto c = whole;
  c.out_dir = testutil::temp_dir();
  c.max_steps = 8;
  train(c);
  {
    const std::string path = checkpoint_path(c.out_dir), record = saved_run_record(path);
    ContextUnet m(c.unet);
    Optimizer opt(m->parameters(), c.lr);
    const auto progress = load_checkpoint(path, torch::kCPU, {m, opt.adam(), nullptr}, record);
    torch::NoGradGuard ng;
    for (auto& module : m->modules()) {
      auto* block = module->as<ConvBnGeluImpl>();
      if (!block) continue;
      auto& bias = block->conv->bias;
      EXPECT_TRUE(torch::equal(bias, torch::zeros_like(bias))) << "a checkpoint keeps its biases folded";
      const auto b = 0.1 * torch::randn_like(bias);
      bias.copy_(b);
      block->bn->running_mean.add_(b);
    }
    save_checkpoint(path, {m, opt.adam(), nullptr}, progress, record);
  }
  c.max_steps = whole.max_steps;
  c.resume = true;
  train(c);
  expect_curve_follows(run_losses(whole), run_losses(c));
  const auto held_out = run_held_out_losses(whole);
  ASSERT_EQ(held_out.size(), 4u);
  expect_curve_follows(held_out, run_held_out_losses(c));
}

TEST(Trainer, MovingAverageIsExportedAndResumesExactly) {
  auto plain = tiny(testutil::temp_dir());
  plain.epochs = 4;
  train(plain);
  const auto whole = trained_variant(plain, [](TrainConfig& c) { c.ema = 0.9; });
  const auto parts = stopped_and_resumed(whole, 8);

  const std::string final_w = "/sprites_final.safetensors";
  EXPECT_EQ(load_safetensors(whole.out_dir + final_w).metadata.at("ema"), "0.9");
  EXPECT_EQ(load_safetensors(plain.out_dir + final_w).metadata.at("ema"), "none");
  // Same seed and steps: only the averaging differs, so the exports must too.
  EXPECT_NE(testutil::read_bytes(whole.out_dir + final_w), testutil::read_bytes(plain.out_dir + final_w));
  // The average is part of the checkpoint: an interrupted run exports the same bytes.
  EXPECT_EQ(testutil::read_bytes(whole.out_dir + final_w), testutil::read_bytes(parts.out_dir + final_w));
  EXPECT_EQ(losses(whole.out_dir + "/loss.csv"), losses(plain.out_dir + "/loss.csv"));  // training itself unchanged
}

TEST(Trainer, ResumeWithoutCheckpointIsAClearError) {
  auto c = tiny(testutil::temp_dir());
  c.resume = true;
  const std::string msg = train_error(c);
  EXPECT_NE(msg.find("no checkpoint"), std::string::npos) << msg;
}

TEST(Trainer, WritesExportsForTheCourseEpochs) {
  auto c = tiny(testutil::temp_dir());
  c.epochs = 9;
  c.unet.n_feat = 8;
  train(c);
  for (const char* f : {"sprites_ep0", "sprites_ep4", "sprites_ep8", "sprites_final"}) {
    auto st = load_safetensors(c.out_dir + "/" + f + ".safetensors");
    EXPECT_EQ(st.metadata.at("architecture"), "ContextUnet");
    EXPECT_EQ(st.metadata.at("dtype"), "F16");
    EXPECT_EQ(st.metadata.at("dataset_sha256").size(), 64u);
    EXPECT_EQ(st.metadata.at("labels"), "hero,non-human,food,spell,item");
  }
  EXPECT_EQ(load_safetensors(c.out_dir + "/sprites_ep4.safetensors").metadata.at("epoch"), "4");
  EXPECT_FALSE(std::filesystem::exists(c.out_dir + "/sprites_latest.safetensors")) << "a finished run has its final export instead";
}

TEST(Trainer, NanLossStopsWithAClearMessageAndKeepsTheLastCheckpoint) {
  auto c = tiny(testutil::temp_dir());
  c.lr = 1e30;  // the first Adam step sends weights to 1e30, the next forward pass overflows
  c.checkpoint_every = 1;
  const std::string msg = train_error(c);
  EXPECT_NE(msg.find("loss became"), std::string::npos) << msg;
  EXPECT_NE(msg.find("last good checkpoint"), std::string::npos) << msg;
  EXPECT_TRUE(std::filesystem::exists(c.out_dir + "/checkpoint.pt"));
  auto l = losses(c.out_dir + "/loss.csv");
  for (double v : l) EXPECT_TRUE(std::isfinite(v)) << "only finite losses are logged";
}

TEST(Trainer, StopOnAnEpochsLastStepStillExportsThatEpoch) {
  auto c = tiny(testutil::temp_dir());
  c.max_steps = 5;  // exactly one epoch (5 steps of 20)
  auto r = train(c);
  EXPECT_EQ(r.steps, 5);
  EXPECT_TRUE(std::filesystem::exists(c.out_dir + "/sprites_ep0.safetensors"));
  const std::string latest = c.out_dir + "/sprites_latest.safetensors";  // what a page following the run shows
  EXPECT_EQ(load_safetensors(latest).metadata.at("epoch"), "0");
  c.resume = true;
  c.max_steps = 10;
  train(c);
  EXPECT_EQ(load_safetensors(latest).metadata.at("epoch"), "1");
  EXPECT_FALSE(std::filesystem::exists(c.out_dir + "/sprites_final.safetensors"));
  std::ifstream val(c.out_dir + "/val.csv");
  std::string line;
  int rows = 0;
  while (std::getline(val, line)) ++rows;
  EXPECT_EQ(rows, 3) << "header + epochs 0 and 1, each once";
}

TEST(Trainer, VPredictionOnAZeroTerminalSnrScheduleIsAnAdditionalModel) {
  auto c = tiny(testutil::temp_dir());
  c.prediction = Prediction::v;
  c.zero_terminal_snr = true;
  c.epochs = 6;
  train(c);
  auto l = losses(c.out_dir + "/loss.csv");
  ASSERT_EQ(l.size(), 30u);
  EXPECT_LT(mean(l, 25, 30), 0.9 * mean(l, 0, 5)) << "v's loss falls more slowly than eps's in 30 tiny steps";
  const auto meta = load_safetensors(c.out_dir + "/sprites_final.safetensors").metadata;
  EXPECT_EQ(meta.at("prediction"), "v");
  EXPECT_EQ(meta.at("schedule"), "linear-zero-snr");
  auto course = tiny(testutil::temp_dir());
  course.epochs = 1;
  train(course);
  EXPECT_EQ(load_safetensors(course.out_dir + "/sprites_final.safetensors").metadata.at("prediction"), "eps");
  EXPECT_EQ(load_safetensors(course.out_dir + "/sprites_final.safetensors").metadata.at("schedule"), "linear");
  // eps is not a usable target where abar_T = 0.
  auto wrong = tiny(testutil::temp_dir());
  wrong.zero_terminal_snr = true;
  EXPECT_THROW(train(wrong), std::runtime_error);
}
