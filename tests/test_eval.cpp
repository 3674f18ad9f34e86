// The quality report's pieces: FID / KID / diversity / near-copy distances against closed forms,
// the sprite classifier (learns, round-trips, rejects foreign files) and sprites-eval's errors.
#include "feature_stats.h"
#include "sprite_classifier.h"
#include "sprite_dataset.h"
#include "test_util.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>

using namespace sprites;

static const std::string kExe = SPRITES_EVAL_EXE;
static const std::string kSrc = SPRITES_SOURCE_DIR;
static const std::string kImages = kSrc + "/assets/dataset/sprites_2642_16x16.npy";
static const std::string kLabels = kSrc + "/assets/dataset/sprite_labels_nc_2642_16x16.npy";
static const std::string kClassifier = kSrc + "/assets/classifier/sprite_classifier.pt";

static torch::Tensor gaussian(int64_t n, int64_t d, double mean, double sd, uint64_t seed) {
  auto g = at::make_generator<at::CPUGeneratorImpl>(seed);
  return torch::randn({n, d}, g, torch::kDouble) * sd + mean;
}

TEST(FeatureStats, FidMatchesTheClosedFormForGaussians) {
  // N(0, I) vs N(m, s^2 I) in d dims: FID = d m^2 + d (1 + s^2 - 2 s).
  const int64_t d = 4, n = 40000;
  const auto a = gaussian(n, d, 0, 1, 1);
  EXPECT_NEAR(frechet_distance(a, gaussian(n, d, 0.5, 1, 2)), d * 0.25, 0.05);
  EXPECT_NEAR(frechet_distance(a, gaussian(n, d, 0, 2, 3)), d * 1.0, 0.1);
}

TEST(FeatureStats, FidOfASetAgainstItselfIsZero) {
  // Correlated, rank-deficient features (ReLU outputs are like this).
  auto f = gaussian(600, 48, 0, 1, 4).matmul(gaussian(48, 64, 0, 1, 5)).relu();
  EXPECT_NEAR(frechet_distance(f, f), 0.0, 1e-6 * f.var(0).sum().item<double>());
}

TEST(FeatureStats, KidOfTwoSamplesOfOneDistributionIsNearZeroWhateverTheirSizes) {
  const auto a = gaussian(300, 8, 0, 1, 6), b = gaussian(2000, 8, 0, 1, 7);
  EXPECT_LT(std::abs(kernel_inception_distance(a, b)), 0.1 * kernel_inception_distance(a, gaussian(2000, 8, 0.5, 1, 8)));
}

TEST(FeatureStats, DiversityAndNearestDistancesOnKnownPoints) {
  const auto pts = torch::tensor({0.0, 0.0, 3.0, 4.0}, torch::kDouble).reshape({2, 2});
  EXPECT_NEAR(mean_pairwise_distance(pts), 5.0, 1e-9);

  auto g = at::make_generator<at::CPUGeneratorImpl>(9);
  const auto ref = torch::rand({5, 3, 16, 16}, g) * 2 - 1;
  const auto shifted = (ref[2] + 10 / 127.5).unsqueeze(0);  // every value 10 levels brighter
  const auto d = nearest_rms_distances(torch::cat({ref.slice(0, 0, 1), ref.slice(0, 3, 4).flip({3}), shifted}), ref);
  EXPECT_NEAR(d[0].item<double>(), 0.0, 1e-3);   // a training sprite
  EXPECT_NEAR(d[1].item<double>(), 0.0, 1e-3);   // its mirror image
  EXPECT_NEAR(d[2].item<double>(), 10.0, 1e-3);  // RMS in levels of 255
}

TEST(FeatureStats, BadShapesAreRejected) {
  EXPECT_THROW(frechet_distance(torch::zeros({1, 4}), torch::zeros({5, 4})), std::invalid_argument);
  EXPECT_THROW(frechet_distance(torch::zeros({5, 4}), torch::zeros({5, 3})), std::invalid_argument);
  EXPECT_THROW(nearest_rms_distances(torch::zeros({2, 3, 8, 8}), torch::zeros({2, 3, 16, 16})), std::invalid_argument);
}

struct Data {
  SpriteDataset d = load_sprite_dataset(kImages, kLabels);
  torch::Tensor val_x = d.images.index_select(0, d.val_idx), val_y = d.labels.index_select(0, d.val_idx).argmax(1);
  torch::Tensor train_x = d.images.index_select(0, d.train_idx);
};

static Data& data() {
  static Data d;
  return d;
}

TEST(SpriteClassifier, ATinyTrainingRunBeatsChanceByAWideMargin) {
  ClassifierTrainConfig cfg;
  cfg.epochs = 3;
  auto net = train_classifier(data().d, cfg);
  const double majority = data().val_y.bincount().max().item<double>() / data().val_y.size(0);
  const auto acc = classifier_accuracy(net, data().val_x, data().val_y);
  EXPECT_LT(majority, 0.31);
  EXPECT_GT(acc.overall, 0.7) << "chance (largest class) " << majority;
}

TEST(SpriteClassifier, TheShippedJudgeIsAccurateAndItsFidGrowsWithNoise) {
  std::string sha;
  auto net = load_classifier(kClassifier, &sha);
  EXPECT_EQ(sha, data().d.sha256);
  EXPECT_GT(classifier_accuracy(net, data().val_x, data().val_y).overall, 0.85);

  // Noise added to the held-out sprites moves their features ever further from the clean ones'.
  const auto real = classify(net, data().val_x).features;
  auto g = at::make_generator<at::CPUGeneratorImpl>(10);
  const auto noise = torch::randn(data().val_x.sizes(), g);
  double last = -1;
  for (double sigma : {0.0, 0.05, 0.1, 0.2, 0.4}) {
    const double fid = frechet_distance(classify(net, (data().val_x + sigma * noise).clamp(-1, 1)).features, real);
    if (sigma == 0) EXPECT_NEAR(fid, 0.0, 1e-4);
    EXPECT_GT(fid, last) << "sigma " << sigma;
    last = fid;
  }
  EXPECT_GT(last, 1.0);
}

TEST(SpriteClassifier, SaveLoadRoundTripsAndForeignFilesAreRejected) {
  const std::string dir = testutil::temp_dir();
  SpriteClassifier net(5, 16);
  net->eval();
  save_classifier(net, dir + "/c.pt", "abc");
  std::string sha;
  auto back = load_classifier(dir + "/c.pt", &sha);
  EXPECT_EQ(sha, "abc");
  const auto x = data().val_x.slice(0, 0, 8);
  EXPECT_TRUE(torch::equal(classify(net, x).features, classify(back, x).features));

  testutil::write_bytes(dir + "/junk.pt", std::vector<uint8_t>(100, 7));
  for (const std::string& bad : {dir + "/junk.pt", dir + "/missing.pt"}) {
    try {
      load_classifier(bad);
      ADD_FAILURE() << bad << " loaded";
    } catch (const std::runtime_error& e) {
      const std::string msg = e.what();
      EXPECT_EQ(msg.rfind(bad + ": ", 0), 0u) << msg;
      EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
    }
  }
}

static int run(const std::string& args, std::string& out) { return testutil::run_command(kExe + " " + args, out); }

TEST(SpritesEval, ReportWritesTablesJsonAndGrids) {
  const std::string dir = testutil::temp_dir();
  std::string out;
  ASSERT_EQ(run("report --images " + kImages + " --labels " + kLabels + " --classifier " + kClassifier + " --weights " + kSrc +
                    "/assets/weights/sprites_final.safetensors --count 100 --configs ddim10,ep0-ddim25 --out " + dir,
                out),
            0)
      << out;
  const auto j = nlohmann::json::parse(testutil::read_bytes(dir + "/quality.json"));
  ASSERT_EQ(j["configs"].size(), 2u);
  const auto& final10 = j["configs"][0];
  const auto& ep0 = j["configs"][1];
  EXPECT_EQ(final10["id"], "ddim10");
  EXPECT_EQ(final10["nfe"], 10);
  // Trained weights beat the first epoch's; both are judged against the same held-out sprites.
  EXPECT_LT(final10["fid"].get<double>(), ep0["fid"].get<double>());
  EXPECT_GT(final10["conditional_accuracy"].get<double>(), 0.5);
  EXPECT_GE(final10["near_copy_rate"].get<double>(), 0.0);
  EXPECT_GT(j["near_copy"]["threshold_rms_levels"].get<double>(), 0.0);
  const auto md = testutil::read_bytes(dir + "/quality.md");
  const std::string text(md.begin(), md.end());
  EXPECT_NE(text.find("| DDIM 10 | final | 10 |"), std::string::npos) << text;
  EXPECT_EQ(testutil::read_bytes(dir + "/quality/ddim10.png").at(1), 'P');
}

TEST(SpritesEval, HandWrittenNotesSurviveRegeneration) {
  const std::string dir = testutil::temp_dir();
  const std::string args = "report --images " + kImages + " --labels " + kLabels + " --classifier " + kClassifier +
                           " --count 100 --configs ddim10 --weights " + kSrc + "/assets/weights/sprites_final.safetensors --out " + dir;
  std::string out;
  ASSERT_EQ(run(args, out), 0) << out;
  const auto first = testutil::read_bytes(dir + "/quality.md");
  std::string md(first.begin(), first.end());
  md += "Our notes.\n";
  testutil::write_bytes(dir + "/quality.md", {md.begin(), md.end()});
  ASSERT_EQ(run(args, out), 0) << out;
  const auto second = testutil::read_bytes(dir + "/quality.md");
  const std::string again(second.begin(), second.end());
  EXPECT_NE(again.find("-->\nOur notes.\n"), std::string::npos) << again;
}

TEST(SpritesEval, BadInputGivesOneClearLineAndANonZeroExit) {
  const std::string dir = testutil::temp_dir();
  testutil::write_bytes(dir + "/junk.pt", std::vector<uint8_t>(64, 1));
  testutil::write_bytes(dir + "/junk.safetensors", std::vector<uint8_t>(64, 1));
  const std::string data = " --images " + kImages + " --labels " + kLabels;
  const std::string ok = "report" + data + " --out " + dir + " --weights " + kSrc + "/assets/weights/sprites_final.safetensors";
  struct Case { std::string args, expect; };
  for (const Case& c : std::vector<Case>{
           {ok + " --classifier " + dir + "/none.pt", "no such file"},
           {ok + " --classifier " + dir + "/junk.pt", "junk.pt: not a readable sprite classifier"},
           {ok + " --classifier " + kClassifier + " --configs ddim7", "unknown configuration 'ddim7'"},
           {ok + " --classifier " + kClassifier + " --count 5", "count"},
           {ok + " --classifier " + kClassifier + " --count 40 --configs ddim10", "too small"},
           {"report" + data + " --classifier " + kClassifier + " --weights " + dir + "/junk.safetensors --configs ddim10", "junk.safetensors"},
           {"report --images " + dir + "/none.npy", "images"},
           {"classifier" + data + " --epochs 0", "epochs"},
           {"", "subcommand"},
       }) {
    std::string out;
    EXPECT_NE(run(c.args, out), 0) << c.args;
    EXPECT_NE(out.find(c.expect), std::string::npos) << c.args << "\n" << out;
    EXPECT_EQ(out.find("terminate called"), std::string::npos) << out;
  }
}
