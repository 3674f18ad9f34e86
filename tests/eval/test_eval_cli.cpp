// sprites-eval as a user runs it: the report, hand-written notes, bad input.
#include "eval_paths.h"
#include "weights_edit.h"

#include <filesystem>

using namespace sprites;

// Reports run on one thread: ctest runs two tests side by side on 2 cores, and two reports each on
// every core, their thread pools spinning while they wait, ran 3x slower each.
static int run(const std::string& args, std::string& out) {
  for (const std::string sub : {"report", "classifier"})
    if (args.rfind(sub + " ", 0) == 0) return testutil::run_command(kExe + " " + sub + " --threads 1" + args.substr(sub.size()), out);
  return testutil::run_command(kExe + " " + args, out);
}

// A 100-sprite report of `configs` on the shipped weights and the committed judge, into `dir`.
static int report_on_shipped(const std::string& configs, const std::string& dir, std::string& out) {
  return run("report --images " + kImages + " --labels " + kLabels + " --classifier " + kClassifier + " --weights " + kSrc +
                 "/assets/weights/sprites_final.safetensors --count 100 --configs " + configs + " --out " + dir,
             out);
}

// The configurations' JSON rows and the markdown of such a report (empty if it failed).
struct Rows {
  nlohmann::json configs = nlohmann::json::array();
  std::string md;
};
static Rows report_rows(const std::string& configs) {
  const std::string dir = testutil::temp_dir();
  std::string out;
  Rows r;
  EXPECT_EQ(report_on_shipped(configs, dir, out), 0) << out;
  if (!std::filesystem::exists(dir + "/quality.json")) return r;
  r.configs = nlohmann::json::parse(testutil::read_bytes(dir + "/quality.json"))["configs"];
  const auto md = testutil::read_bytes(dir + "/quality.md");
  r.md.assign(md.begin(), md.end());
  return r;
}

TEST(SpritesEval, ReportWritesTablesJsonAndGrids) {
  const std::string dir = testutil::temp_dir();
  std::string out;
  ASSERT_EQ(report_on_shipped("ddim10,ep0-ddim25", dir, out), 0) << out;
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

// Variations of training sprites: the higher the strength, the more steps and the farther from the start.
TEST(SpritesEval, VariationRowsSayHowFarTheSpritesMoved) {
  const Rows r = report_rows("vary0.3,vary0.9");
  ASSERT_EQ(r.configs.size(), 2u);
  const auto &low = r.configs[0], &high = r.configs[1];
  EXPECT_EQ(low["nfe"], 7) << "DDIM 25 from t = 140 (strength 0.3: 150)";
  EXPECT_EQ(high["nfe"], 22);
  EXPECT_EQ(low["variation_strength"].get<double>(), 0.3f);
  EXPECT_GT(low["distance_to_start"].get<double>(), 5.0) << "variations, not copies";
  EXPECT_LT(low["distance_to_start"].get<double>(), high["distance_to_start"].get<double>());
  EXPECT_GT(high["conditional_accuracy"].get<double>(), 0.5);
  EXPECT_NE(r.md.find("| DDIM 25, variations at strength 0.3 | 0.3 |"), std::string::npos);
}

// Repainting the top half keeps a smaller seam than top halves drawn apart and pasted on, and
// resampling a smaller one still; all measure it against real sprites' same pixel pairs.
TEST(SpritesEval, RepaintingRowsMeasureTheSeamAgainstPasting) {
  const Rows r = report_rows("repaint-top,paste-top,repaint-top-r4");
  ASSERT_EQ(r.configs.size(), 3u);
  const auto &repaint = r.configs[0], &paste = r.configs[1], &resampled = r.configs[2];
  EXPECT_EQ(resampled["nfe"], 24 * 4 + 1) << "every DDIM step but the last 4 times";
  EXPECT_LT(resampled["seam_levels"].get<double>(), repaint["seam_levels"].get<double>()) << "resampling fits the seam closer";
  EXPECT_EQ(repaint["redrawn_pixels"], 128);
  EXPECT_EQ(paste["pasted"], true);
  const double real = repaint["seam_levels_real"].get<double>();
  std::printf("seam: repainted %.1f, resampled 4x %.1f, pasted %.1f, real %.1f levels\n", repaint["seam_levels"].get<double>(),
              resampled["seam_levels"].get<double>(), paste["seam_levels"].get<double>(), real);
  EXPECT_EQ(real, paste["seam_levels_real"].get<double>());
  EXPECT_GT(real, 5.0);
  EXPECT_LT(repaint["seam_levels"].get<double>(), paste["seam_levels"].get<double>() - 10) << "the repainted top fits the kept bottom";
  EXPECT_NE(r.md.find("| DDIM 25, top half repainted | 128 |"), std::string::npos);
}

// scripts/eval --weights runs/mine/sprites_final.safetensors: the report lands in runs/mine, not over
// the project's docs/quality.md; run again, it keeps the notes written under its tables.
TEST(SpritesEval, AReportOnOtherWeightsGoesBesideThemAndKeepsHandWrittenNotes) {
  const std::string dir = testutil::temp_dir();
  std::filesystem::copy_file(kSrc + "/assets/weights/sprites_final.safetensors", dir + "/sprites_final.safetensors");
  const std::string args = "report --images " + kImages + " --labels " + kLabels + " --classifier " + kClassifier + " --weights " + dir +
                           "/sprites_final.safetensors --count 100 --configs ddim10";
  std::string out;
  ASSERT_EQ(run(args, out), 0) << out;
  ASSERT_TRUE(std::filesystem::exists(dir + "/quality.md")) << out;
  EXPECT_TRUE(std::filesystem::exists(dir + "/quality/ddim10.png")) << out;
  const auto first = testutil::read_bytes(dir + "/quality.md");
  std::string md(first.begin(), first.end());
  md += "Our notes.\n";
  testutil::write_bytes(dir + "/quality.md", {md.begin(), md.end()});
  ASSERT_EQ(run(args, out), 0) << out;
  const auto second = testutil::read_bytes(dir + "/quality.md");
  const std::string again(second.begin(), second.end());
  EXPECT_NE(again.find("-->\nOur notes.\n"), std::string::npos) << again;
}

// A game developer's own 60 sprites: 5 are held out, fewer than the judge's 128 features, and the
// report says its FID means little there.
TEST(SpritesEval, ASmallDatasetsReportSaysItsFidMeansLittle) {
  const std::string dir = testutil::temp_dir();
  testutil::write_sprite_set(dir, "mine", 60);
  const std::string data = " --images " + dir + "/mine.npy --labels " + dir + "/mine_labels.npy --classifier " + dir + "/judge.pt";
  std::string out;
  ASSERT_EQ(run("classifier" + data + " --epochs 1", out), 0) << out;
  ASSERT_EQ(run("report" + data + " --weights " + kSrc + "/assets/weights/sprites_final.safetensors --count 100 --configs ddim10 --out " + dir,
                out),
            0)
      << out;
  EXPECT_NE(out.find("warning: 5 held-out sprites for 128 features"), std::string::npos) << out;
}

TEST(SpritesEval, BadInputGivesOneClearLineAndANonZeroExit) {
  const std::string dir = testutil::temp_dir();
  testutil::write_bytes(dir + "/junk.pt", std::vector<uint8_t>(64, 1));
  testutil::write_bytes(dir + "/junk.safetensors", std::vector<uint8_t>(64, 1));
  testutil::write_sprite_set(dir, "one", 1);
  testutil::copy_weights_with_classes(kSrc + "/assets/weights/sprites_final.safetensors", dir + "/three.safetensors", {"slime", "knight", "potion"});
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
           // a model of your own classes, judged against the course's sprites by mistake
           {"report" + data + " --classifier " + kClassifier + " --weights " + dir + "/three.safetensors --configs ddim10",
            "three.safetensors: 3 classes of 16x16 sprites, " + kImages + " has 5 of 16x16: give the weights' own sprites with --images and --labels"},
           {"report --images " + dir + "/none.npy", "images"},
           {"classifier" + data + " --epochs 0", "epochs"},
           {"classifier --images " + dir + "/one.npy --labels " + dir + "/one_labels.npy", "one.npy: none of its 1 sprites is held out"},
           {"report --images " + dir + "/one.npy --labels " + dir + "/one_labels.npy --classifier " + kClassifier +
                " --configs ddim10 --weights " + kSrc + "/assets/weights/sprites_final.safetensors", "is held out"},
           // an empty --out wrote into docs/, the shipped report's folder
           {"report" + data + " --classifier " + kClassifier + " --out ''", "--out: empty; give a value or leave the flag out"},
           {ok + " --classifier " + kClassifier + " --seed 4294967296", "--seed: '4294967296' is not a whole number"},
           {"", "give a command: classifier, report"},
           {"reprot" + data, "'reprot' is not a command; the commands: classifier, report"},
       }) {
    std::string out;
    EXPECT_NE(run(c.args, out), 0) << c.args;
    EXPECT_NE(out.find(c.expect), std::string::npos) << c.args << "\n" << out;
    EXPECT_EQ(out.find("terminate called"), std::string::npos) << out;
    EXPECT_EQ(out.find("frame #"), std::string::npos) << out;  // LibTorch's backtrace
  }
}
