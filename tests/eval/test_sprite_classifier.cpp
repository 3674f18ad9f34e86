// The quality report's judge: trains, is accurate, saves and loads.
#include "eval_paths.h"

using namespace sprites;

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
