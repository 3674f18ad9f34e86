// Course checkpoints: written by python3-torch's torch.save, read by our zip + pickle reader.
#include "tiny_run.h"

using namespace sprites;

// Course checkpoints: written by python3-torch's torch.save, read by our zip + pickle reader.
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
  static inline std::string* dir = nullptr;
};

TEST_F(CoursePth, ImportMatchesPyTorchOutputs) {
  auto sd = read_torch_state_dict(*dir + "/model_31.pth");
  EXPECT_EQ(sd.count("init_conv.shortcut.weight"), 0u) << "a course file has no shortcut";
  EXPECT_TRUE(sd.count("down1.model.0.conv1.1.running_var"));
  auto model = model_from_course_state_dict(sd, "model_31.pth");
  EXPECT_EQ(model->cfg.n_feat, 16);
  const std::string w = *dir + "/imported.safetensors";
  export_safetensors(model, w, WeightsDtype::f32, {{"labels", "a,b,c,d,e"}});
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
  // Neither a folder for the file nor the course file itself as the output.
  EXPECT_NE(testutil::run_command(exe + " --pth " + *dir + " --out " + *dir + "/x.safetensors", out), 0);
  EXPECT_NE(out.find(*dir + ": is a folder, not a file"), std::string::npos) << out;
  const auto course = testutil::read_bytes(*dir + "/model_31.pth");
  EXPECT_NE(testutil::run_command(exe + " --pth " + *dir + "/model_31.pth --out " + *dir + "/./model_31.pth", out), 0);
  EXPECT_NE(out.find("model_31.pth is the input file; write to another name"), std::string::npos) << out;
  EXPECT_EQ(testutil::read_bytes(*dir + "/model_31.pth"), course) << "the course file was written over";
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
