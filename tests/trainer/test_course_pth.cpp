// Course checkpoints: written by python3-torch's torch.save, read by our zip + pickle reader and
// converted by the core (course_checkpoint.h) into the export the core, the page and LibTorch run.
#include "tiny_run.h"

using namespace sprites;

struct CoursePth : ::testing::Test {
  static void SetUpTestSuite() {
    dir = new std::string(testutil::temp_dir());
    std::string out;
    const int rc = testutil::run_command("/usr/bin/python3 " SPRITES_SOURCE_DIR "/tests/trainer/write_course_pth.py " + *dir, out);
    ASSERT_EQ(rc, 0) << out;
  }
  static torch::Tensor npy(const std::string& name) {
    auto a = read_npy(*dir + "/" + name + ".npy");
    return torch::from_blob(a.data.data(), a.shape, torch::kFloat).clone();
  }
  static std::string pth() { return *dir + "/model_31.pth"; }
  static inline std::string* dir = nullptr;
};

// The core's conversion folds BatchNorm as PyTorch's eval mode computes it: LibTorch running the
// converted weights gives the course model's own outputs.
TEST_F(CoursePth, TheCoreConversionMatchesPyTorchOutputs) {
  const auto sd = parse_pth_state_dict(read_file_bytes(pth()), "model_31.pth");
  EXPECT_EQ(sd.count("init_conv.shortcut.weight"), 0u) << "a course file has no shortcut";
  EXPECT_TRUE(sd.count("down1.model.0.conv1.1.running_var"));
  const std::string w = *dir + "/converted.safetensors";
  testutil::write_bytes(w, course_checkpoint_export(read_file_bytes(pth()), "model_31.pth"));
  UnetConfig cfg;
  auto folded = load_folded_model(w, &cfg);
  EXPECT_EQ(cfg.n_feat, 16);
  torch::NoGradGuard ng;
  const auto y = folded->forward(npy("x"), npy("t"), npy("c"));
  EXPECT_LT((y - npy("y")).abs().max().item<double>(), 1e-4);
  // LibTorch and the core read the .pth itself the same way.
  const auto direct = load_folded_model(pth())->forward(npy("x"), npy("t"), npy("c"));
  EXPECT_TRUE(torch::equal(direct, y));
  const UnetWeights core = load_unet_weights(pth());
  EXPECT_EQ(core.labels, (std::vector<std::string>{"hero", "non-human", "food", "spell", "side-facing"}));
  EXPECT_EQ(core.metadata.at("source"), "course .pth: " + pth());
  EXPECT_EQ(core.at("init_conv.shortcut.weight").data, std::vector<float>(16 * 3, 0.0f));
}

TEST_F(CoursePth, ImportCliWritesWeightsTheCoreAccepts) {
  std::string out;
  const std::string exe = SPRITES_IMPORT_EXE;
  ASSERT_EQ(testutil::run_command(exe + " --pth " + pth() + " --out " + *dir + "/cli.safetensors --epoch 31", out), 0) << out;
  const UnetWeights w = load_unet_weights(*dir + "/cli.safetensors");  // what the core and the page load
  EXPECT_EQ(w.metadata.at("dtype"), "F16");
  EXPECT_EQ(w.metadata.at("epoch"), "31");
  EXPECT_EQ(w.arch.n_feat, 16);
  EXPECT_EQ(w.labels.back(), "side-facing");
  // In f32 it is the .pth as the core reads it, to rounding (LibTorch re-folds identity BatchNorms).
  ASSERT_EQ(testutil::run_command(exe + " --pth " + pth() + " --out " + *dir + "/cli32.safetensors --dtype f32 --label-names a,b,c,d,e", out), 0) << out;
  const UnetWeights f32 = load_unet_weights(*dir + "/cli32.safetensors"), core = load_unet_weights(pth());
  EXPECT_EQ(f32.labels.front(), "a");
  EXPECT_EQ(f32.metadata.at("epoch"), "31") << "without --epoch, from the name model_31.pth, as the core reads it";
  ASSERT_EQ(f32.tensors.size(), core.tensors.size());
  for (const auto& [name, t] : core.tensors)
    for (size_t i = 0; i < t.data.size(); ++i) ASSERT_NEAR(f32.at(name).data[i], t.data[i], 1e-6 * (1 + std::abs(t.data[i]))) << name;
  // Neither a folder for the file nor the course file itself as the output.
  EXPECT_NE(testutil::run_command(exe + " --pth " + *dir + " --out " + *dir + "/x.safetensors", out), 0);
  EXPECT_NE(out.find(*dir + ": is a folder, not a file"), std::string::npos) << out;
  const auto course = testutil::read_bytes(pth());
  EXPECT_NE(testutil::run_command(exe + " --pth " + pth() + " --out " + *dir + "/./model_31.pth", out), 0);
  EXPECT_NE(out.find("model_31.pth is the input file; write to another name"), std::string::npos) << out;
  EXPECT_EQ(testutil::read_bytes(pth()), course) << "the course file was written over";
}

TEST_F(CoursePth, CorruptFilesGiveClearErrors) {
  const auto good = testutil::read_bytes(pth());
  auto error_of = [&](std::vector<uint8_t> bytes) -> std::string {
    const std::string p = testutil::temp_dir() + "/bad.pth";
    testutil::write_bytes(p, bytes);
    try {
      load_unet_weights(p);
    } catch (const std::runtime_error& e) {
      return e.what();
    }
    return "";
  };
  EXPECT_NE(error_of(std::vector<uint8_t>{'P', 'K', 3, 4}).find("bad.pth: "), std::string::npos);
  EXPECT_NE(error_of(std::vector<uint8_t>(good.begin(), good.begin() + good.size() / 2)).find("bad.pth: "), std::string::npos);
  auto flipped = good;
  for (size_t i = 60; i < 400 && i < flipped.size(); ++i) flipped[i] ^= 0x5a;  // inside data.pkl
  EXPECT_NE(error_of(flipped).find("bad.pth: "), std::string::npos);
  EXPECT_NE(error_of(std::vector<uint8_t>(good.size(), 0x42)).find("bad.pth: "), std::string::npos);
  EXPECT_THROW(load_unet_weights(*dir + "/missing.pth"), std::runtime_error);
  // A valid archive whose state_dict is not a whole ContextUnet's.
  try {
    load_unet_weights(*dir + "/model_incomplete.pth");
    ADD_FAILURE() << "an incomplete state_dict loaded";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("model_incomplete.pth: missing tensor 'out.3.bias'"), std::string::npos) << e.what();
  }
}
