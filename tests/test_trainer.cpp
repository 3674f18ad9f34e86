#include "common/npy.h"
#include "context_unet.h"
#include "course_pth.h"
#include "export_weights.h"
#include "safetensors.h"
#include "test_util.h"
#include "trainer.h"
#include "unet_weights.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>

using namespace sprites;

static const std::string kImages = SPRITES_SOURCE_DIR "/assets/dataset/sprites_2642_16x16.npy";
static const std::string kLabels = SPRITES_SOURCE_DIR "/assets/dataset/sprite_labels_nc_2642_16x16.npy";

// A small, fast configuration: narrow model, 5 steps per epoch.
static TrainConfig tiny(const std::string& out) {
  TrainConfig c;
  c.images = kImages;
  c.labels = kLabels;
  c.out_dir = out;
  c.unet.n_feat = 16;
  c.batch = 20;
  c.epoch_images = 100;
  c.epochs = 8;
  c.threads = 1;
  c.seed = 7;
  return c;
}

static std::vector<double> losses(const std::string& csv) {
  std::ifstream f(csv);
  std::string line;
  std::getline(f, line);
  std::vector<double> out;
  while (std::getline(f, line)) {
    std::stringstream ss(line);
    std::string cell;
    for (int i = 0; i < 3; ++i) std::getline(ss, cell, ',');
    out.push_back(std::stod(cell));
  }
  return out;
}

static double mean(const std::vector<double>& v, size_t lo, size_t hi) {
  double s = 0;
  for (size_t i = lo; i < hi; ++i) s += v[i];
  return s / static_cast<double>(hi - lo);
}

TEST(ContextUnet, HasTheCourseShapeAndALearnedShortcut) {
  ContextUnet m;
  int64_t n = 0;
  for (auto& p : m->parameters()) n += p.numel();
  EXPECT_EQ(n, 1481027);  // the course's 1,480,771 plus the 3->64 1x1 shortcut (256)
  auto params = m->named_parameters();
  EXPECT_TRUE(params.contains("init_conv.shortcut.weight"));
  EXPECT_TRUE(params.contains("up1.model.0.weight"));
  m->eval();
  torch::NoGradGuard ng;
  auto x = torch::randn({2, 3, 16, 16});
  auto y1 = m->forward(x, torch::full({2, 1}, 0.5), torch::zeros({2, 5}));
  auto y2 = m->forward(x, torch::full({2, 1}, 0.5), torch::zeros({2, 5}));
  EXPECT_EQ(y1.sizes(), x.sizes());
  EXPECT_TRUE(torch::equal(y1, y2)) << "forward must be deterministic (the course's shortcut was not)";
}

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
  train(whole);
  auto parts = tiny(testutil::temp_dir());
  parts.max_steps = 8;  // stops mid-epoch, as Ctrl-C would
  train(parts);
  parts.max_steps = 17;
  parts.resume = true;
  auto r = train(parts);
  EXPECT_EQ(r.steps, 17);
  auto a = losses(whole.out_dir + "/loss.csv"), b = losses(parts.out_dir + "/loss.csv");
  ASSERT_EQ(a.size(), 17u);
  ASSERT_EQ(b.size(), 17u);
  for (size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i], b[i]) << "step " << i + 1;
}

static std::string file_bytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

TEST(Trainer, MovingAverageIsExportedAndResumesExactly) {
  auto plain = tiny(testutil::temp_dir());
  plain.epochs = 4;
  train(plain);
  auto whole = plain;
  whole.out_dir = testutil::temp_dir();
  whole.ema = 0.9;
  train(whole);
  auto parts = whole;
  parts.out_dir = testutil::temp_dir();
  parts.max_steps = 8;
  train(parts);
  parts.max_steps = -1;
  parts.resume = true;
  train(parts);

  const std::string final_w = "/sprites_final.safetensors";
  EXPECT_EQ(load_safetensors(whole.out_dir + final_w).metadata.at("ema"), "0.9");
  EXPECT_EQ(load_safetensors(plain.out_dir + final_w).metadata.at("ema"), "none");
  // Same seed and steps: only the averaging differs, so the exports must too.
  EXPECT_NE(file_bytes(whole.out_dir + final_w), file_bytes(plain.out_dir + final_w));
  // The average is part of the checkpoint: an interrupted run exports the same bytes.
  EXPECT_EQ(file_bytes(whole.out_dir + final_w), file_bytes(parts.out_dir + final_w));
  EXPECT_EQ(losses(whole.out_dir + "/loss.csv"), losses(plain.out_dir + "/loss.csv"));  // training itself unchanged
}

TEST(Trainer, ResumeWithoutCheckpointIsAClearError) {
  auto c = tiny(testutil::temp_dir());
  c.resume = true;
  try {
    train(c);
    FAIL() << "expected an error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("no checkpoint"), std::string::npos) << e.what();
  }
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
}

// A model with trained-looking BatchNorm statistics, so folding has something to fold.
static ContextUnet model_with_bn_stats() {
  torch::manual_seed(3);
  ContextUnet m(UnetConfig{3, 16, 5, 16});
  m->train();
  torch::NoGradGuard ng;
  for (int i = 0; i < 3; ++i)
    m->forward(torch::randn({8, 3, 16, 16}) * 2 + 0.3, torch::rand({8, 1}), torch::rand({8, 5}));
  m->eval();
  return m;
}

TEST(Export, Fp32RoundTripIsExact) {
  auto m = model_with_bn_stats();
  const std::string path = testutil::temp_dir() + "/w.safetensors";
  export_safetensors(m, path, /*fp16=*/false, {{"epoch", "3"}});
  auto st = load_safetensors(path);
  auto want = folded_state(m);
  ASSERT_EQ(st.tensors.size(), want.size());
  for (auto& [name, t] : want) {
    const auto& e = st.tensors.at(name);
    auto got = torch::from_blob(const_cast<uint8_t*>(st.data(e)), t.sizes(), torch::kFloat);
    EXPECT_TRUE(torch::equal(got, t)) << name;
  }
  EXPECT_EQ(st.metadata.at("epoch"), "3");
  EXPECT_EQ(st.metadata.count("bn_folded"), 1u);
  for (auto& [name, e] : st.tensors) EXPECT_EQ(name.find("running_"), std::string::npos) << "training state in " << name;
}

TEST(Export, BatchNormFoldingKeepsOutputsWithin1e4) {
  auto m = model_with_bn_stats();
  const std::string path = testutil::temp_dir() + "/w.safetensors";
  export_safetensors(m, path, /*fp16=*/false, {});
  auto folded = load_folded_model(path);
  torch::NoGradGuard ng;
  auto x = torch::randn({4, 3, 16, 16});
  auto t = torch::rand({4, 1});
  auto c = torch::rand({4, 5});
  auto diff = (m->forward(x, t, c) - folded->forward(x, t, c)).abs().max().item<double>();
  EXPECT_LT(diff, 1e-4);
}

TEST(Export, Fp16WeightsStayClose) {
  auto m = model_with_bn_stats();
  const std::string path = testutil::temp_dir() + "/w.safetensors";
  export_safetensors(m, path, /*fp16=*/true, {});
  auto folded = load_folded_model(path);
  torch::NoGradGuard ng;
  auto x = torch::randn({4, 3, 16, 16});
  auto diff = (m->forward(x, torch::rand({4, 1}), torch::zeros({4, 5})) -
               folded->forward(x, torch::rand({4, 1}), torch::zeros({4, 5})))
                  .abs()
                  .max()
                  .item<double>();
  EXPECT_TRUE(std::isfinite(diff));
  auto st = load_safetensors(path);
  EXPECT_EQ(st.tensors.begin()->second.dtype, "F16");
}

TEST(Export, LoadingRejectsMismatchedWeights) {
  auto m = model_with_bn_stats();
  const std::string dir = testutil::temp_dir();
  export_safetensors(m, dir + "/w.safetensors", false, {});
  auto st = load_safetensors(dir + "/w.safetensors");
  // Claim a wider model than the tensors hold.
  std::vector<TensorOut> ts;
  for (auto& [name, e] : st.tensors)
    ts.push_back({name, e.dtype, e.shape, std::vector<uint8_t>(st.data(e), st.data(e) + (e.end - e.begin))});
  auto meta = st.metadata;
  meta["n_feat"] = "32";
  testutil::write_bytes(dir + "/wide.safetensors", serialize_safetensors(ts, meta));
  try {
    load_folded_model(dir + "/wide.safetensors");
    FAIL() << "expected a shape error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("the model needs"), std::string::npos) << e.what();
  }
  ts.pop_back();
  testutil::write_bytes(dir + "/short.safetensors", serialize_safetensors(ts, st.metadata));
  EXPECT_THROW(load_folded_model(dir + "/short.safetensors"), std::runtime_error);
}

// The CLI answers bad input with one clear line and a non-zero exit.
TEST(TrainCli, BadArgumentsGiveAClearError) {
  std::string out;
  const std::string exe = SPRITES_TRAIN_EXE;
  EXPECT_NE(testutil::run_command(exe + " --images /nonexistent.npy --labels " + kLabels + " --out /tmp/x", out), 0);
  EXPECT_NE(out.find("/nonexistent.npy"), std::string::npos) << out;
  EXPECT_NE(testutil::run_command(exe + " --images " + kImages + " --labels " + kLabels + " --out /tmp/x --epochs 0", out), 0);
  EXPECT_NE(out.find("--epochs"), std::string::npos) << out;
  EXPECT_NE(testutil::run_command(exe + " --images " + kImages + " --labels " + kLabels + " --out /tmp/x --device tpu", out), 0);
  EXPECT_NE(out.find("--device"), std::string::npos) << out;
  // Images and labels swapped: a data error, reported as one line.
  const std::string dir = testutil::temp_dir();
  EXPECT_NE(testutil::run_command(exe + " --images " + kLabels + " --labels " + kImages + " --out " + dir, out), 0);
  EXPECT_NE(out.find("error: "), std::string::npos) << out;
  EXPECT_NE(out.find("uint8"), std::string::npos) << out;
}

TEST(Trainer, NanLossStopsWithAClearMessageAndKeepsTheLastCheckpoint) {
  auto c = tiny(testutil::temp_dir());
  c.lr = 1e30;  // the first Adam step sends weights to 1e30, the next forward pass overflows
  c.checkpoint_every = 1;
  try {
    train(c);
    FAIL() << "expected the NaN check to stop training";
  } catch (const std::runtime_error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("loss became"), std::string::npos) << msg;
    EXPECT_NE(msg.find("last good checkpoint"), std::string::npos) << msg;
  }
  EXPECT_TRUE(std::filesystem::exists(c.out_dir + "/checkpoint.pt"));
  auto l = losses(c.out_dir + "/loss.csv");
  for (double v : l) EXPECT_TRUE(std::isfinite(v)) << "only finite losses are logged";
}

TEST(TrainCli, CtrlCSavesACheckpointAndResumeContinues) {
  const std::string dir = testutil::temp_dir();
  const std::string exe = SPRITES_TRAIN_EXE;
  const std::string args = " --images " + kImages + " --labels " + kLabels + " --out " + dir +
                           " --n-feat 8 --batch 10 --epoch-images 100 --epochs 1000 --threads 1";
  std::string out;
  // Start, wait for the first logged steps, interrupt, report the exit status.
  const int rc = testutil::run_command(
      "bash -c '" + exe + args + " & pid=$!; for i in $(seq 300); do [ $(wc -l < " + dir +
          "/loss.csv 2>/dev/null || echo 0) -gt 3 ] && break; sleep 0.1; done; kill -INT $pid; wait $pid; echo exit=$?'",
      out);
  EXPECT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("exit=130"), std::string::npos) << out;
  EXPECT_NE(out.find("checkpoint saved"), std::string::npos) << out;
  const auto before = losses(dir + "/loss.csv").size();
  EXPECT_GT(before, 2u);
  EXPECT_EQ(testutil::run_command(exe + args + " --resume --max-steps " + std::to_string(before + 3), out), 0) << out;
  EXPECT_NE(out.find("resumed from"), std::string::npos) << out;
  EXPECT_EQ(losses(dir + "/loss.csv").size(), before + 3);
}

// Course checkpoints: written by python3-torch's torch.save, read by our zip + pickle reader.
struct CoursePth : ::testing::Test {
  static void SetUpTestSuite() {
    dir = new std::string(testutil::temp_dir());
    std::string out;
    const int rc = testutil::run_command("/usr/bin/python3 " SPRITES_SOURCE_DIR "/tests/write_course_pth.py " + *dir, out);
    ASSERT_EQ(rc, 0) << out;
  }
  static torch::Tensor npy(const std::string& name) {
    auto a = read_npy(*dir + "/" + name + ".npy");
    return torch::from_blob(a.data.data(), a.shape, torch::kFloat).clone();
  }
  static inline std::string* dir = nullptr;
};

TEST_F(CoursePth, ImportMatchesPyTorchOutputs) {
  auto sd = read_torch_state_dict(*dir + "/model_31.pth");
  EXPECT_EQ(sd.count("init_conv.shortcut.weight"), 0u) << "a course file has no shortcut";
  EXPECT_TRUE(sd.count("down1.model.0.conv1.1.running_var"));
  auto model = model_from_course_state_dict(sd, "model_31.pth");
  EXPECT_EQ(model->cfg.n_feat, 16);
  const std::string w = *dir + "/imported.safetensors";
  export_safetensors(model, w, /*fp16=*/false, {{"labels", "a,b,c,d,e"}});
  auto folded = load_folded_model(w);
  torch::NoGradGuard ng;
  const auto y = folded->forward(npy("x"), npy("t"), npy("c"));
  const double err = (y - npy("y")).abs().max().item<double>();
  EXPECT_LT(err, 1e-4);
}

TEST_F(CoursePth, ImportCliWritesWeightsTheCoreAccepts) {
  std::string out;
  const std::string exe = SPRITES_IMPORT_EXE;
  ASSERT_EQ(testutil::run_command(exe + " --pth " + *dir + "/model_31.pth --out " + *dir + "/cli.safetensors", out), 0) << out;
  const UnetWeights w = load_unet_weights(*dir + "/cli.safetensors");  // what the core and the page load
  EXPECT_EQ(w.metadata.at("dtype"), "F16");
  EXPECT_EQ(w.arch.n_feat, 16);
  EXPECT_EQ(w.labels.back(), "side-facing");
}

TEST_F(CoursePth, CorruptFilesGiveClearErrors) {
  const auto good = testutil::read_bytes(*dir + "/model_31.pth");
  auto error_of = [&](std::vector<uint8_t> bytes) -> std::string {
    const std::string p = testutil::temp_dir() + "/bad.pth";
    testutil::write_bytes(p, bytes);
    try {
      model_from_course_state_dict(read_torch_state_dict(p), p);
    } catch (const std::runtime_error& e) {
      return e.what();
    }
    return "";
  };
  EXPECT_NE(error_of({}).find("too short"), std::string::npos);
  EXPECT_NE(error_of(std::vector<uint8_t>(good.begin(), good.begin() + good.size() / 2)).find("bad.pth: "), std::string::npos);
  auto flipped = good;
  for (size_t i = 60; i < 400 && i < flipped.size(); ++i) flipped[i] ^= 0x5a;  // inside data.pkl
  EXPECT_NE(error_of(flipped).find("bad.pth: "), std::string::npos);
  EXPECT_NE(error_of(std::vector<uint8_t>(good.size(), 0x42)).find("not a zip"), std::string::npos);
  EXPECT_THROW(read_torch_state_dict(*dir + "/missing.pth"), std::runtime_error);
  // A valid archive whose state_dict is not a ContextUnet's.
  auto sd = read_torch_state_dict(*dir + "/model_31.pth");
  sd.erase("out.3.bias");
  EXPECT_THROW(model_from_course_state_dict(sd, "x.pth"), std::runtime_error);
}

TEST(Trainer, StopOnAnEpochsLastStepStillExportsThatEpoch) {
  auto c = tiny(testutil::temp_dir());
  c.max_steps = 5;  // exactly one epoch (5 steps of 20)
  auto r = train(c);
  EXPECT_EQ(r.steps, 5);
  EXPECT_TRUE(std::filesystem::exists(c.out_dir + "/sprites_ep0.safetensors"));
  c.resume = true;
  c.max_steps = 10;
  train(c);
  std::ifstream val(c.out_dir + "/val.csv");
  std::string line;
  int rows = 0;
  while (std::getline(val, line)) ++rows;
  EXPECT_EQ(rows, 3) << "header + epochs 0 and 1, each once";
}
