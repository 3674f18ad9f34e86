// The `sprites` CLI: one clear line and a non-zero exit for bad input; the PNG carries its parameters.
#include "checkpoint_files.h"
#include "checksum.h"
#include "common/npy.h"
#include "engine.h"
#include "forward_process.h"
#include "png_text.h"
#include "png_writer.h"
#include "sample.h"
#include "share_link.h"
#include "sprite_colours.h"
#include "unet_weights.h"
#include "weights_index.h"
#include "test_util.h"
#include "weights_edit.h"

#define STB_IMAGE_IMPLEMENTATION
#define STBI_ONLY_PNG
#include <nlohmann/json.hpp>
#include <stb/stb_image.h>
#include <gtest/gtest.h>

#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <set>
#include <sstream>

using namespace sprites;

static const std::string kExe = SPRITES_CLI_EXE;
static const std::string kWeights = SPRITES_SOURCE_DIR "/assets/weights/sprites_final.safetensors";
// A 24,000-parameter model of the same shape and labels, for tests of messages rather than sprites
// (under ASan, DDPM's 500 steps of the full model took 40 s).
static const std::string kTinyWeights = SPRITES_SOURCE_DIR "/tests/support/tiny_weights.safetensors";

static int run(const std::string& args, std::string& out) { return testutil::run_command(kExe + " " + args, out); }

// Raw RGB pixels of `sprites sample --weights WEIGHTS ARGS` (4 sprites), written under `dir`.
static std::vector<uint8_t> sampled_pixels(const std::string& weights, const std::string& args, const std::string& dir) {
  std::string log;
  EXPECT_EQ(run("sample --weights " + weights + " " + args + " --count 4 --out " + dir + "/g.png --raw " + dir + "/g.rgb", log), 0) << log;
  return testutil::read_bytes(dir + "/g.rgb");
}

// Mean absolute difference of two equally sized pixel arrays (255 if they cannot be compared).
static double mean_pixel_diff(const std::vector<uint8_t>& a, const std::vector<uint8_t>& b) {
  if (a.size() != b.size() || a.empty()) return 255.0;
  double d = 0;
  for (size_t i = 0; i < a.size(); ++i) d += std::abs(int(a[i]) - int(b[i]));
  return d / static_cast<double>(a.size());
}

// A PNG the CLI wrote, decoded by stb_image to `channels` bytes a pixel (all zero if it cannot be).
struct DecodedPng {
  int width = 0, height = 0, file_channels = 0;  // file_channels: 3 for an RGB file, 4 for RGBA
  std::vector<uint8_t> pixels;
};
static DecodedPng read_png(const std::string& path, int channels) {
  const auto png = testutil::read_bytes(path);
  DecodedPng d;
  stbi_uc* px = stbi_load_from_memory(png.data(), static_cast<int>(png.size()), &d.width, &d.height, &d.file_channels, channels);
  if (!px) return {};
  d.pixels.assign(px, px + static_cast<size_t>(d.width) * d.height * channels);
  stbi_image_free(px);
  return d;
}

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

// --transparent: a sprite sheet for a game, RGBA; the corners (background) and the gutters are
// transparent, and every opaque pixel is the sprite's own colour.
TEST(SpritesCli, TransparentWritesAnRgbaSheetWithTheBackgroundCleared) {
  const std::string dir = testutil::temp_dir();
  std::string out;
  ASSERT_EQ(run("sample --weights " + kWeights + " --count 4 --scale 1 --transparent --out " + dir + "/t.png --raw " + dir + "/t.rgb", out), 0) << out;
  const auto raw = testutil::read_bytes(dir + "/t.rgb");
  const DecodedPng sheet = read_png(dir + "/t.png", 4);
  const std::vector<uint8_t>& rgba = sheet.pixels;
  const int w = sheet.width;
  ASSERT_EQ(sheet.file_channels, 4);
  ASSERT_EQ(w, 2 * 17 + 1);
  int transparent = 0, opaque = 0;
  for (int k = 0; k < 4; ++k)
    for (int y = 0; y < 16; ++y)
      for (int x = 0; x < 16; ++x) {
        const size_t at = ((static_cast<size_t>(k / 2) * 17 + 1 + y) * w + (k % 2) * 17 + 1 + x) * 4;
        const size_t src = ((static_cast<size_t>(k) * 16 + y) * 16 + x) * 3;
        ASSERT_EQ(std::vector<uint8_t>(rgba.begin() + at, rgba.begin() + at + 3), std::vector<uint8_t>(raw.begin() + src, raw.begin() + src + 3));
        (rgba[at + 3] == 0 ? transparent : opaque)++;
      }
  EXPECT_EQ(rgba[3], 0) << "a gutter";
  EXPECT_GT(transparent, 4 * 16 * 4) << "the trained model draws sprites on a flat background";
  EXPECT_GT(opaque, 4 * 16 * 4);
}

// Without --threads, a thread per core the process may use: under `taskset -c 0`, one (a second
// thread would only wait for the one core).
TEST(SpritesCli, DefaultThreadsAreTheCoresTheProcessMayUse) {
  const std::string dir = testutil::temp_dir();
  std::string out;
  ASSERT_EQ(testutil::run_command("taskset -c 0 " + kExe + " sample --weights " + kTinyWeights + " --count 1 --steps 2 --out " +
                                      dir + "/one.png", out), 0) << out;
  EXPECT_NE(out.find("(1 thread)"), std::string::npos) << out;
  ASSERT_EQ(run("sample --weights " + kTinyWeights + " --count 1 --steps 2 --threads 3 --out " + dir + "/three.png", out), 0) << out;
  EXPECT_NE(out.find("(3 threads)"), std::string::npos) << out;
}

// --colours: clean pixel art, the core's limit on the same sampled pixels, and what a page's link asks.
// --atlas: each frame's rectangle in the sheet holds its sprite (read back from the PNG), frames
// named by the link's sprite number, the sheet's order as an animation, the sheet named relative to
// the atlas.
TEST(SpritesCli, AtlasNamesEachSpritesRectangleInTheSheet) {
  const std::string dir = testutil::temp_dir();
  std::filesystem::create_directories(dir + "/atlases");
  std::string out;
  ASSERT_EQ(run("sample --weights " + kTinyWeights + " --count 5 --cols 3 --scale 2 --first-index 3 --out " + dir + "/g.png --raw " + dir +
                    "/g.rgb --atlas " + dir + "/atlases/g.json",
                out), 0) << out;
  const auto raw = testutil::read_bytes(dir + "/g.rgb");
  const DecodedPng sheet = read_png(dir + "/g.png", 3);
  const std::vector<uint8_t>& rgb = sheet.pixels;
  const int w = sheet.width, h = sheet.height;
  ASSERT_FALSE(rgb.empty());
  const auto atlas = nlohmann::json::parse(testutil::read_bytes(dir + "/atlases/g.json"));
  EXPECT_EQ(atlas["meta"]["image"], "../g.png");
  EXPECT_EQ(atlas["meta"]["format"], "RGB888");
  EXPECT_EQ(atlas["meta"]["size"], (nlohmann::json{{"w", w}, {"h", h}}));
  ASSERT_EQ(atlas["frames"].size(), 5u);
  ASSERT_EQ(atlas["animations"]["sheet"], (nlohmann::json{"sprite_3", "sprite_4", "sprite_5", "sprite_6", "sprite_7"}));
  for (int k = 0; k < 5; ++k) {
    const std::string name = atlas["animations"]["sheet"][k];
    const auto& f = atlas["frames"].at(name);
    const int x0 = f["frame"]["x"], y0 = f["frame"]["y"];
    ASSERT_EQ(f["frame"]["w"], 32);
    ASSERT_EQ(f["frame"]["h"], 32);
    ASSERT_LE(x0 + 32, w);
    ASSERT_LE(y0 + 32, h);
    for (int y = 0; y < 32; ++y)
      for (int x = 0; x < 32; ++x)
        for (int c = 0; c < 3; ++c)
          ASSERT_EQ(rgb[((static_cast<size_t>(y0) + y) * w + x0 + x) * 3 + c], raw[((static_cast<size_t>(k) * 16 + y / 2) * 16 + x / 2) * 3 + c])
              << name << " at " << x << "," << y;
  }
}

TEST(SpritesCli, ColoursLimitsEachSpriteAsTheCoreDoes) {
  const std::string dir = testutil::temp_dir();
  const auto plain = sampled_pixels(kWeights, "--steps 10 --seed 5", dir);
  const auto limited = sampled_pixels(kWeights, "--steps 10 --seed 5 --colours 6", dir);
  EXPECT_EQ(limited, limit_colours(plain, 16, 6));
  ASSERT_EQ(limited.size(), 4u * 768);
  for (size_t k = 0; k < 4; ++k) {
    std::set<uint32_t> had, got;
    for (size_t i = k * 256; i < (k + 1) * 256; ++i) {
      had.insert(uint32_t{plain[3 * i]} << 16 | uint32_t{plain[3 * i + 1]} << 8 | plain[3 * i + 2]);
      got.insert(uint32_t{limited[3 * i]} << 16 | uint32_t{limited[3 * i + 1]} << 8 | limited[3 * i + 2]);
    }
    EXPECT_GT(had.size(), 20u) << "a sampled sprite has many colours";
    EXPECT_LE(got.size(), 6u) << "sprite " << k;
  }
  const std::string text = [&] {
    const auto png = testutil::read_bytes(dir + "/g.png");
    return std::string(png.begin(), png.end());
  }();
  EXPECT_NE(text.find("colours=6"), std::string::npos) << "the PNG says how it was drawn";
  ShareState st;
  st.params.context = {1, 0, 0, 0, 0};
  st.params.seed = 5;
  st.params.steps = 10;
  st.colours = 6;
  EXPECT_EQ(sampled_pixels(kWeights, "--link '#" + encode_share_link(st) + "'", dir), limited) << "a page's link with colours=6";

  // A game's palette, from a Lospec .hex file or a list: each group in its nearest palette colour.
  const Palette palette = parse_palette("1a1c2c 5d275d b13e53 ef7d57 ffcd75 a7f070 38b764 257179 29366f 3b5dc9 41a6f6 73eff7 f4f4f4 94b0c2 566c86 333c57");
  testutil::write_text(dir + "/game.hex", "1a1c2c\n5d275d\nb13e53\nef7d57\nffcd75\na7f070\n38b764\n257179\n29366f\n3b5dc9\n41a6f6\n73eff7\nf4f4f4\n94b0c2\n566c86\n333c57\n");
  const auto painted = sampled_pixels(kWeights, "--steps 10 --seed 5 --colours 6 --palette " + dir + "/game.hex", dir);
  EXPECT_EQ(painted, limit_colours(plain, 16, 6, palette));
  EXPECT_EQ(sampled_pixels(kWeights, "--steps 10 --seed 5 --colours 6 --palette " + format_palette(palette), dir), painted) << "the list itself";
  st.palette = palette;
  EXPECT_EQ(sampled_pixels(kWeights, "--link '#" + encode_share_link(st) + "'", dir), painted) << "a page's link with a palette";

  // The grid's own palette: one set of colours for every sprite, written out so any sprite reproduces alone.
  std::string out;
  ASSERT_EQ(run("sample --weights " + kWeights + " --steps 10 --seed 5 --count 4 --colours 6 --palette grid --out " + dir + "/p.png --raw " + dir + "/p.rgb", out), 0) << out;
  const Palette own = palette_of(plain, 6);
  EXPECT_NE(out.find("palette of the grid: " + format_palette(own)), std::string::npos) << out;
  EXPECT_EQ(testutil::read_bytes(dir + "/p.rgb"), limit_colours(plain, 16, 6, own));
  const auto png = testutil::read_bytes(dir + "/p.png");
  EXPECT_NE(std::string(png.begin(), png.end()).find("palette=" + format_palette(own)), std::string::npos) << "the PNG names the palette";
}

// A model of your own classes is asked for them by name, and with no --context draws its first
// label (the five numbers the course's model takes would not fit it); by name or by number, the
// same pixels, and the PNG's text keeps the numbers.
TEST(SpritesCli, ContextByLabelNameOrNumbersAndTheFirstLabelByDefault) {
  const std::string dir = testutil::temp_dir(), three = dir + "/three.safetensors";
  testutil::copy_weights_with_classes(kTinyWeights, three, {"slime", "knight", "potion"});
  const std::vector<uint8_t> first = sampled_pixels(three, "--steps 3 --seed 2", dir);
  EXPECT_EQ(sampled_pixels(three, "--steps 3 --seed 2 --context slime", dir), first);
  EXPECT_EQ(sampled_pixels(three, "--steps 3 --seed 2 --context 1,0,0", dir), first);
  const std::vector<uint8_t> mix = sampled_pixels(three, "--steps 3 --seed 2 --context 0,1,0.6", dir);
  EXPECT_NE(mix, first);
  EXPECT_EQ(sampled_pixels(three, "--steps 3 --seed 2 --context potion=0.6,knight", dir), mix);
  std::string out;
  ASSERT_EQ(run("sample --weights " + three + " --steps 3 --count 1 --context knight --out " + dir + "/k.png", out), 0) << out;
  const auto png = testutil::read_bytes(dir + "/k.png");
  EXPECT_NE(std::string(png.begin(), png.end()).find("context=0,1,0 labels=slime,knight,potion"), std::string::npos);
  EXPECT_EQ(sampled_pixels(kWeights, "--steps 5 --seed 4 --context hero,food=0.6", dir), sampled_pixels(kWeights, "--steps 5 --seed 4 --context 1,0,0.6,0,0", dir));

  const std::string ok = "sample --weights " + three + " --out " + dir + "/x.png --context ";
  struct Case { std::string context, expect; };
  for (const Case& c : std::vector<Case>{
           {"dragon", "error: --context: 'dragon' is not a number in [0, 1] nor one of the labels (slime, knight, potion)"},
           {"knight,dragon", "error: --context: 'dragon' is not one of the labels (slime, knight, potion); a label's weight is written label=0.6"},
           {"knight,0.5", "error: --context: '0.5' is not one of the labels (slime, knight, potion); a label's weight is written label=0.6"},
           {"knight=2", "error: --context: knight=2: '2' is not a weight in [0, 1]"},
           {"knight,knight=0.5", "error: --context: 'knight' is given twice"},
           {"1,0,0,0,0", "error: --context needs 3 comma-separated values, got 5 (or labels by name: slime, knight, potion)"}}) {
    EXPECT_EQ(run(ok + c.context, out), 1) << c.context;
    EXPECT_EQ(out, c.expect + "\n") << c.context;
  }
  // A link of the course's five labels on these weights: refused, unless --context says what to draw instead.
  const std::string link = " --link '#v=1&w=final&c=1,0,0,0,0&s=ddim&n=3&seed=2&k=4'";
  EXPECT_EQ(run("sample --weights " + three + link + " --out " + dir + "/l.png", out), 1);
  EXPECT_EQ(out, "error: --link: 'c=1,0,0,0,0' has 5 values, the model has 3 labels; give --context for these weights\n");
  EXPECT_EQ(sampled_pixels(three, link + " --context potion=0.6,knight", dir), mix);
}

// `sprites dataset`: a folder of your own PNG sprites becomes the .npy pair the trainer reads, and
// the command says how to train on it.
TEST(SpritesCli, DatasetTurnsAFolderOfPngsIntoTheTrainersNpyPair) {
  const std::string dir = testutil::temp_dir();
  for (const char* c : {"potion", "knight"}) std::filesystem::create_directories(dir + "/art/" + c);
  Image sprite{16, 16, std::vector<uint8_t>(16 * 16 * 3, 200)};
  for (const char* f : {"potion/a.png", "potion/b.png", "knight/k.png"}) testutil::write_bytes(dir + "/art/" + f, encode_png(sprite, {}));
  std::string out;
  ASSERT_EQ(run("dataset " + dir + "/art --out " + dir + "/mine", out), 0) << out;
  EXPECT_NE(out.find("3 sprites in 2 classes (knight 1, potion 2)"), std::string::npos) << out;
  EXPECT_NE(out.find("IMAGES=" + dir + "/mine.npy LABELS=" + dir + "/mine_labels.npy scripts/train --label-names 'knight,potion'"), std::string::npos) << out;
  const SpriteArrays a = load_sprite_arrays(dir + "/mine.npy", dir + "/mine_labels.npy");
  EXPECT_EQ(a.n, 3);
  EXPECT_EQ(a.n_classes, 2);
  EXPECT_EQ(a.labels, (std::vector<float>{1, 0, 0, 1, 0, 1}));
  EXPECT_EQ(a.images, std::vector<uint8_t>(3 * 16 * 16 * 3, 200));
  EXPECT_NE(run("dataset " + dir + "/nothing --out " + dir + "/x", out), 0);
  EXPECT_NE(out.find("error: " + dir + "/nothing: not a folder"), std::string::npos) << out;
  EXPECT_NE(run("dataset " + dir + "/art --out " + dir + "/typo/x", out), 0);
  EXPECT_NE(out.find("no folder " + dir + "/typo to write it into"), std::string::npos) << out;
  // The command it prints pastes into a shell as it is: a quote in a class name, a space in a path.
  std::filesystem::create_directories(dir + "/my art/wizard's hat");
  testutil::write_bytes(dir + "/my art/wizard's hat/w.png", encode_png(sprite, {}));
  ASSERT_EQ(run("dataset '" + dir + "/my art' --out '" + dir + "/my art/set'", out), 0) << out;
  EXPECT_NE(out.find("IMAGES='" + dir + "/my art/set.npy' LABELS='" + dir + "/my art/set_labels.npy' scripts/train --label-names 'wizard'\\''s hat'"),
            std::string::npos) << out;
}

// The shipped v-prediction model: two solvers of the same probability-flow ODE (DDIM-25, DPM-Solver++ 20)
// draw the same sprites from the same noise, as they do only if v is read as v (read as eps, or with
// x0 undefined at abar_T = 0, they would disagree or give NaN-black grids).
TEST(SpritesCli, TheVPredictionModelSamplesTheSameSpritesWithEitherSolver) {
  const std::string weights = SPRITES_SOURCE_DIR "/assets/weights-v/sprites_final.safetensors", dir = testutil::temp_dir();
  const auto ddim = sampled_pixels(weights, "--sampler ddim --steps 25 --seed 3", dir);
  const double solvers = mean_pixel_diff(ddim, sampled_pixels(weights, "--sampler dpm++ --steps 20 --seed 3", dir));
  const double seeds = mean_pixel_diff(ddim, sampled_pixels(weights, "--sampler ddim --steps 25 --seed 4", dir));
  std::printf("v model, 4 sprites: DDIM-25 vs DPM-Solver++ 20 differ by %.2f, two seeds by %.2f (of 255)\n", solvers, seeds);
  EXPECT_LT(solvers, 0.3 * seeds);
  double spread = 0;
  for (uint8_t v : ddim) spread += std::abs(int(v) - 128);
  EXPECT_GT(spread / ddim.size(), 20) << "sprites on white, not a flat grey or black grid";
}

// The shipped students (assets/weights-student, distilled from the v model): a student file samples
// with the sampler and step count it was distilled for unless told otherwise, and from the same
// noise it draws the sprites its teacher draws in 16 steps (distillation keeps the noise-to-sprite map).
TEST(SpritesCli, StudentsSampleAsDistilledAndDrawTheirTeachersSprites) {
  const std::string dir = testutil::temp_dir(), students = SPRITES_SOURCE_DIR "/assets/weights-student/";
  const std::string teacher = SPRITES_SOURCE_DIR "/assets/weights-v/sprites_final.safetensors";
  std::string log;
  ASSERT_EQ(run("sample --weights " + students + "sprites_student2.safetensors --count 4 --out " + dir + "/s.png", log), 0) << log;
  EXPECT_NE(log.find("student"), std::string::npos) << log;
  const auto by_default = testutil::read_bytes(dir + "/s.png");
  ASSERT_EQ(run("sample --weights " + students + "sprites_student2.safetensors --sampler student --steps 2 --count 4 --out " + dir + "/s.png", log), 0);
  EXPECT_EQ(by_default, testutil::read_bytes(dir + "/s.png")) << "the default is the student sampler at its 2 steps";

  const auto taught = sampled_pixels(teacher, "--sampler student --steps 16 --seed 3", dir);
  const double seeds = mean_pixel_diff(taught, sampled_pixels(teacher, "--sampler student --steps 16 --seed 4", dir));
  for (const char* student : {"student1", "student2", "student4", "preview1"}) {  // preview1: narrow, 1 step
    const auto p = sampled_pixels(students + sprites::checkpoint_file(student), "--seed 3", dir);
    const double d = mean_pixel_diff(taught, p);
    std::printf("%s vs its teacher's 16 steps: %.2f of 255 apart (two seeds of the teacher: %.2f)\n", student, d, seeds);
    EXPECT_LT(d, 0.5 * seeds) << student;
  }
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
    return sampled_pixels(weights, "--sampler ddim --steps 25 --seed " + std::to_string(seed), dir);
  };
  const auto fp16 = pixels(kWeights, 5);
  const double eight_bit = mean_pixel_diff(fp16, pixels(dir + "/w8.safetensors", 5));
  const double other_seed = mean_pixel_diff(fp16, pixels(kWeights, 6));
  std::printf("DDIM-25, 4 sprites, mean pixel difference to fp16: 8-bit weights %.2f, another seed %.2f (of 255)\n",
              eight_bit, other_seed);
  EXPECT_GT(eight_bit, 0.0);               // it is another file...
  EXPECT_LT(eight_bit, 0.3 * other_seed);  // ...that draws the same sprites, not other ones
}

// index --from stages a run's checkpoints for the page into a folder it makes if need be.
TEST(SpritesCli, IndexFromARunWritesIntoANewFolder) {
  const std::string dir = testutil::temp_dir(), run_dir = dir + "/run", stage = dir + "/stage/weights";
  std::filesystem::create_directories(run_dir);
  std::filesystem::copy_file(kWeights, run_dir + "/sprites_final.safetensors");
  std::string out;
  ASSERT_EQ(run("index " + stage + " --from " + run_dir, out), 0) << out;
  EXPECT_EQ(testutil::read_bytes(stage + "/sprites_final.safetensors"), testutil::read_bytes(kWeights));
  const auto index = testutil::read_bytes(stage + "/index.json");
  EXPECT_NE(std::string(index.begin(), index.end()).find("sprites_final.safetensors"), std::string::npos);
}

// The run's logs beside its exports become the index's training curve; damaged logs cost the curve
// (one warning line), not the index.
TEST(SpritesCli, IndexCarriesTheRunsTrainingCurve) {
  const std::string dir = testutil::temp_dir(), run_dir = dir + "/run";
  std::filesystem::create_directories(run_dir);
  std::filesystem::copy_file(kWeights, run_dir + "/sprites_final.safetensors");
  std::string loss = "step,epoch,loss,lr\n";
  for (int s = 1; s <= 300; ++s) loss += std::to_string(s) + "," + std::to_string((s - 1) / 100) + ",0.5,0.001\n";
  testutil::write_text(run_dir + "/loss.csv", loss);
  testutil::write_text(run_dir + "/val.csv", "epoch,step,val_loss\n0,100,0.2\n1,200,0.1\n2,300,0.05\n");
  std::string out;
  ASSERT_EQ(run("index " + dir + "/a --from " + run_dir, out), 0) << out;
  EXPECT_NE(out.find("training curve from " + run_dir + " (120 loss means, 3 validation losses)"), std::string::npos) << out;
  const auto bytes = testutil::read_bytes(dir + "/a/index.json");
  const WeightsIndex index = parse_weights_index(std::string(bytes.begin(), bytes.end()), "index.json");
  ASSERT_EQ(index.training.loss.size(), 120u);
  EXPECT_EQ(index.training.loss.back().step, 300);
  EXPECT_DOUBLE_EQ(index.training.loss.back().loss, 0.5);
  ASSERT_EQ(index.training.val.size(), 3u);
  EXPECT_DOUBLE_EQ(index.training.val[2].loss, 0.05);

  testutil::write_text(run_dir + "/val.csv", "epoch,step,val_loss\n0,100,0.2\n0,200,0.1\n");
  ASSERT_EQ(run("index " + dir + "/b --from " + run_dir, out), 0) << out;
  EXPECT_NE(out.find("warning: " + run_dir + "/val.csv line 3: epoch 0 comes after epoch 0; the index has no training curve\n"),
            std::string::npos) << out;
  const auto damaged = testutil::read_bytes(dir + "/b/index.json");
  const WeightsIndex without = parse_weights_index(std::string(damaged.begin(), damaged.end()), "index.json");
  EXPECT_TRUE(without.training.empty());
  EXPECT_EQ(without.weights.size(), 1u);
}

// --from copies into DIR: a folder holding other weights of the same name (a run's own exports, the
// repository's weights) is refused and left as it was; the same weights again are fine.
TEST(SpritesCli, IndexNeverWritesOverOtherWeights) {
  const std::string dir = testutil::temp_dir(), run_dir = dir + "/run", other = dir + "/other";
  for (const std::string& d : {run_dir, other}) std::filesystem::create_directories(d);
  std::filesystem::copy_file(kWeights, run_dir + "/sprites_final.safetensors");
  std::filesystem::copy_file(kTinyWeights, other + "/sprites_final.safetensors");
  std::string out;
  EXPECT_NE(run("index " + other + " --from " + run_dir, out), 0);
  EXPECT_EQ(out, "error: " + other + "/sprites_final.safetensors holds other weights; index into a new or empty folder (nothing was written)\n");
  EXPECT_EQ(testutil::read_bytes(other + "/sprites_final.safetensors"), testutil::read_bytes(kTinyWeights));
  EXPECT_FALSE(std::filesystem::exists(other + "/index.json"));
  ASSERT_EQ(run("index " + dir + "/stage --from " + run_dir, out), 0) << out;
  ASSERT_EQ(run("index " + dir + "/stage --from " + run_dir, out), 0) << "the same weights again: " << out;
  EXPECT_NE(run("index " + run_dir + " --from " + run_dir + " --int8", out), 0);
  EXPECT_NE(out.find("--int8 writes 8-bit copies: give DIR another folder than --from"), std::string::npos) << out;
  EXPECT_EQ(testutil::read_bytes(run_dir + "/sprites_final.safetensors"), testutil::read_bytes(kWeights));
}

// The folder the course's notebook saves into (model_<epoch>.pth every 4 epochs and at the last)
// lists as the page's checkpoints: ep<k> from model_<k>.pth, final from the highest epoch.
TEST(SpritesCli, IndexFromACourseNotebookFolderListsItsEpochs) {
  const std::string dir = testutil::temp_dir(), course = dir + "/course", stage = dir + "/stage";
  std::filesystem::create_directories(course);
  const std::string pth = SPRITES_SOURCE_DIR "/tests/fuzz/corpus/pth/course_state_dict_n8.pth";
  for (const char* file : {"model_0.pth", "model_4.pth", "model_28.pth", "model_31.pth", "notes.txt"})
    std::filesystem::copy_file(pth, course + "/" + file);
  std::string out;
  ASSERT_EQ(run("index " + stage + " --from " + course, out), 0) << out;
  const auto index = testutil::read_bytes(stage + "/index.json");
  const std::string json(index.begin(), index.end());
  for (const char* listed : {"\"epoch\": \"31\",\n   \"file\": \"sprites_final.safetensors\"", "sprites_ep4.safetensors", "sprites_ep0.safetensors"})
    EXPECT_NE(json.find(listed), std::string::npos) << listed << "\n" << json;
  EXPECT_EQ(json.find("sprites_ep8"), std::string::npos) << "there is no model_8.pth";
  const std::string final_path = stage + "/sprites_final.safetensors";
  ASSERT_EQ(run("info " + final_path, out), 0) << out;
  EXPECT_NE(out.find("source           course .pth: " + course + "/model_31.pth"), std::string::npos) << out;
  EXPECT_NE(out.find("labels           hero,non-human,food,spell,side-facing"), std::string::npos) << out;
  EXPECT_EQ(run("index " + dir + "/other --from " + dir, out), 1) << out;
  EXPECT_NE(out.find("no sprites_<id>.safetensors checkpoints (or the course's model_<epoch>.pth) to list"), std::string::npos) << out;
}

// A run folder with one damaged checkpoint among good ones: index --from names it and stages
// nothing, so the page never sees a folder with some of a run's files and no index.
TEST(SpritesCli, IndexFromARunWithADamagedCheckpointStagesNothing) {
  const std::string dir = testutil::temp_dir(), run_dir = dir + "/run", stage = dir + "/stage";
  std::filesystem::create_directories(run_dir);
  std::filesystem::copy_file(kWeights, run_dir + "/sprites_final.safetensors");  // read before ep0
  auto bytes = testutil::read_bytes(kWeights);
  bytes.resize(bytes.size() / 2);
  testutil::write_bytes(run_dir + "/sprites_ep0.safetensors", bytes);
  std::string out;
  EXPECT_NE(run("index " + stage + " --from " + run_dir, out), 0) << out;
  EXPECT_NE(out.find("sprites_ep0.safetensors"), std::string::npos) << out;
  EXPECT_FALSE(std::filesystem::exists(stage)) << "a half-staged folder was left";
}

TEST(SpritesCli, StepsOrEtaASamplerDoesNotReadAreNotedNotIgnoredSilently) {
  const std::string dir = testutil::temp_dir();
  std::string out;
  ASSERT_EQ(run("sample --weights " + kTinyWeights + " --sampler dpm++ --steps 3 --eta 0.5 --count 1 --out " + dir + "/x.png", out), 0) << out;
  EXPECT_NE(out.find("note: dpm++ has no eta; --eta 0.5 is not used (it is for ddim)"), std::string::npos) << out;
  EXPECT_EQ(out.find("--steps"), std::string::npos) << "dpm++ reads --steps: " << out;
  ASSERT_EQ(run("sample --weights " + kTinyWeights + " --sampler ddpm --steps 3 --count 1 --out " + dir + "/x.png", out), 0) << out;
  EXPECT_NE(out.find("note: ddpm takes every step of the schedule; --steps 3 is not used"), std::string::npos) << out;
  EXPECT_NE(out.find("wrote " + dir + "/x.png: 1 sprite, ddpm"), std::string::npos) << out;
}

// Variations of a sprite the CLI wrote (a one-sprite sheet at scale 8, as the page's "Download
// sprite"): the same pixels as the core given that sprite's bytes, and the PNG says what it started from.
// The core's pixels for what the CLI is asked with "--seed 7 --init ... --count 4" (and --mask).
static std::vector<uint8_t> core_variations(const std::vector<uint8_t>& start, float strength, const std::vector<uint8_t>& mask = {}) {
  const UnetWeights w = load_unet_weights(kWeights);
  UnetXnn net(w, init_engine(1).pool);
  SampleParams p;
  p.seed = 7;
  p.count = 4;
  p.context = {1, 0, 0, 0, 0};
  p.init = start;
  p.strength = strength;
  p.mask = mask;
  std::vector<float> x;
  EXPECT_TRUE(sample(net, schedule_for(w.arch), p, x));
  return to_rgb8(x);
}

// `sprites sample ARGS` on the default weights written to PATH.png, a start for variations: its raw pixels.
static std::vector<uint8_t> written_start(const std::string& args, const std::string& path) {
  std::string log;
  EXPECT_EQ(run("sample --weights " + kWeights + " " + args + " --out " + path + ".png --raw " + path + ".rgb", log), 0) << log;
  return testutil::read_bytes(path + ".rgb");
}

TEST(SpritesCli, VariationsOfAWrittenSpriteAreTheCoresVariations) {
  const std::string dir = testutil::temp_dir();
  std::string out;
  const auto sprite = written_start("--seed 42 --first-index 3 --count 1 --scale 8", dir + "/s");
  const auto vars = sampled_pixels(kWeights, "--seed 7 --init " + dir + "/s.png --strength 0.4", dir);
  EXPECT_EQ(core_variations(sprite, 0.4f), vars);
  EXPECT_LT(mean_pixel_diff(std::vector<uint8_t>(vars.begin(), vars.begin() + 768), sprite), 30.0) << "a variation of the sprite";
  const auto png = testutil::read_bytes(dir + "/g.png");
  EXPECT_NE(std::string(png.begin(), png.end()).find("init=" + dir + "/s.png strength=0.4"), std::string::npos);
  // A 1-step student has no step below t = 500: it says so instead of drawing strangers silently.
  ASSERT_EQ(run("sample --weights " + std::string(SPRITES_SOURCE_DIR) + "/assets/weights-student/sprites_student1.safetensors --init " + dir +
                    "/s.png --count 1 --out " + dir + "/st.png",
                out),
            0)
      << out;
  EXPECT_NE(out.find("note: student has no step at or below t = 300 (strength 0.6); the variations start from its last, t = 500"),
            std::string::npos)
      << out;
}

// Variations of a whole sheet the CLI wrote: a start per sprite, as the core samples them, each
// variation near its own sprite; the sheet sets the count, and another --count is one line.
TEST(SpritesCli, VariationsOfASheetVaryEachOfItsSprites) {
  const std::string dir = testutil::temp_dir();
  std::string out;
  const auto sheet = written_start("--seed 42 --count 4 --scale 3", dir + "/sheet");
  const auto vars = sampled_pixels(kWeights, "--seed 7 --init " + dir + "/sheet.png --strength 0.4", dir);
  EXPECT_EQ(core_variations(sheet, 0.4f), vars);
  for (size_t k = 0; k < 4; ++k) {
    auto sprite = [&](const std::vector<uint8_t>& v, size_t i) { return std::vector<uint8_t>(v.begin() + i * 768, v.begin() + (i + 1) * 768); };
    EXPECT_LT(mean_pixel_diff(sprite(vars, k), sprite(sheet, k)), mean_pixel_diff(sprite(vars, k), sprite(sheet, (k + 1) % 4)))
        << "variation " << k << " is of sprite " << k;
  }
  ASSERT_EQ(run("sample --weights " + kWeights + " --init " + dir + "/sheet.png --out " + dir + "/v.png", out), 0) << out;
  EXPECT_NE(out.find("wrote " + dir + "/v.png: 4 sprites"), std::string::npos) << out;
  EXPECT_NE(run("sample --weights " + kWeights + " --init " + dir + "/sheet.png --count 16 --out " + dir + "/v.png", out), 0);
  EXPECT_EQ(out, "error: --init " + dir + "/sheet.png is a sheet of 4 sprites, a variation of each: --count 4 or none, not 16\n");
}

TEST(SpritesCli, NoisingPrintsTheCoresNoiseErrorOverTimestepsPerWeightsFile) {
  const std::string dir = testutil::temp_dir();
  const std::string ep0 = std::string(SPRITES_SOURCE_DIR) + "/assets/weights/sprites_ep0.safetensors";
  std::string out;
  ASSERT_EQ(run("sample --weights " + kWeights + " --seed 42 --context 0,0,1,0,0 --count 1 --out " + dir + "/s.png --raw " + dir + "/s.rgb", out), 0) << out;
  const auto sprite = testutil::read_bytes(dir + "/s.rgb");
  ASSERT_EQ(run("noising --weights " + ep0 + " --weights " + kWeights + " --sprite " + dir + "/s.png --context 0,0,1,0,0 --seed 5 --first-index 2 " +
                    "--every 50 --out " + dir + "/strip.png",
                out),
            0)
      << out;
  std::vector<std::vector<double>> rows;  // t, ep0, final
  std::istringstream lines(out);
  bool header = false;
  for (std::string line; std::getline(lines, line);) {
    if (line == "t,sprites_ep0.safetensors,sprites_final.safetensors") header = true;
    if (line.empty() || !std::isdigit(static_cast<unsigned char>(line[0]))) continue;
    std::vector<double> row;
    std::istringstream cells(line);
    for (std::string cell; std::getline(cells, cell, ',');) row.push_back(std::stod(cell));
    rows.push_back(row);
  }
  EXPECT_TRUE(header) << out;
  ASSERT_EQ(rows.size(), 10u) << out;
  const UnetWeights w = load_unet_weights(kWeights);
  UnetXnn net(w, init_engine(1).pool);
  SampleParams p;
  p.seed = 5;
  p.first_index = 2;
  p.context = {0, 0, 1, 0, 0};
  std::vector<int> ts;
  for (int t = 50; t <= 500; t += 50) ts.push_back(t);
  const auto looks = look_at_noised(net, schedule_for(w.arch), p, sprite, ts);
  for (size_t r = 0; r < rows.size(); ++r) {
    ASSERT_EQ(rows[r].size(), 3u);
    EXPECT_EQ(rows[r][0], ts[r]);
    EXPECT_NEAR(rows[r][2], looks[r].loss, 1e-5 * looks[r].loss) << "t = " << ts[r];
    EXPECT_GT(rows[r][1], 0.0) << "epoch 0's column, t = " << ts[r];
  }
  EXPECT_NE(out.find("sprites_final.safetensors: noise error"), std::string::npos) << out;
  const DecodedPng strip = read_png(dir + "/strip.png", 3);
  EXPECT_EQ(strip.width, 11 * (16 * 4 + 1) + 1) << "11 timesteps a row, 4x, 1-pixel gutters";
  EXPECT_EQ(strip.height, 2 * (16 * 4 + 1) + 1) << "x_t above the guesses";
  const auto cell = [&](int k) {  // sprite k of the strip, one pixel of each 4x4 block
    std::vector<uint8_t> c;
    for (int y = 0; y < 16; ++y)
      for (int x = 0; x < 16; ++x) {
        const size_t at = (static_cast<size_t>((k / 11) * 65 + 1 + y * 4) * strip.width + (k % 11) * 65 + 1 + x * 4) * 3;
        c.insert(c.end(), strip.pixels.begin() + static_cast<long>(at), strip.pixels.begin() + static_cast<long>(at + 3));
      }
    return c;
  };
  EXPECT_EQ(cell(0), sprite) << "t = 0: the sprite itself";
  EXPECT_EQ(cell(11), sprite) << "under it, the sprite the guesses aim at";
  EXPECT_NE(cell(1), sprite) << "t = 50: noised";
}

// A mask painted white on black: the white pixels are redrawn, the black ones keep the sprite's.
static void write_mask_png(const std::string& path, int white_rows) {
  Image m{32, 32, std::vector<uint8_t>(32 * 32 * 3, 0)};  // 2x, as pixel art is often drawn
  std::fill(m.pixels.begin(), m.pixels.begin() + white_rows * 2 * 32 * 3, 255);
  testutil::write_bytes(path, encode_png(m, {}));
}

TEST(SpritesCli, RepaintingTheTopHalfIsTheCoresAndKeepsTheBottom) {
  const std::string dir = testutil::temp_dir();
  std::string out;
  ASSERT_EQ(run("sample --weights " + kWeights + " --seed 42 --count 1 --scale 1 --out " + dir + "/s.png --raw " + dir + "/s.rgb", out), 0) << out;
  const auto sprite = testutil::read_bytes(dir + "/s.rgb");
  write_mask_png(dir + "/m.png", 8);
  const auto got = sampled_pixels(kWeights, "--seed 7 --init " + dir + "/s.png --mask " + dir + "/m.png --strength 1", dir);
  std::vector<uint8_t> top_half(256, 0);
  std::fill(top_half.begin(), top_half.begin() + 128, 1);
  EXPECT_EQ(core_variations(sprite, 1, top_half), got);
  for (int k = 0; k < 4; ++k) {
    EXPECT_TRUE(std::equal(sprite.begin() + 384, sprite.end(), got.begin() + k * 768 + 384)) << "sprite " << k << " keeps the bottom half";
    EXPECT_FALSE(std::equal(sprite.begin(), sprite.begin() + 384, got.begin() + k * 768)) << "sprite " << k << " redraws the top half";
  }
  const auto png = testutil::read_bytes(dir + "/g.png");
  EXPECT_NE(std::string(png.begin(), png.end()).find("mask=" + dir + "/m.png"), std::string::npos);
}

// A page's link gives the CLI everything it carries: a repainting link draws the core's pixels,
// flags beside it win (sprite 2 alone), and a link made with other weights is noted.
TEST(SpritesCli, APagesLinkDrawsItsPixels) {
  const std::string dir = testutil::temp_dir();
  ShareState st;
  SampleParams& p = st.params;
  p.context = {0, 1, 0, 0.5f, 0};
  p.seed = 12;
  p.count = 3;
  p.steps = 10;
  p.init.assign(768, 0);
  for (size_t j = 0; j < 768; ++j) p.init[j] = static_cast<uint8_t>(j * 5);
  p.strength = 0.8f;
  p.mask.assign(256, 0);
  std::fill(p.mask.begin() + 64, p.mask.begin() + 128, 1);
  p.resample = 2;
  st.weights_hash = fnv1a64_hex(testutil::read_bytes(kWeights)).substr(0, 8);
  const std::string link = "http://127.0.0.1:8000/?build=mt#" + encode_share_link(st);
  std::string out;
  ASSERT_EQ(run("sample --weights " + kWeights + " --link '" + link + "' --out " + dir + "/g.png --raw " + dir + "/g.rgb", out), 0) << out;
  EXPECT_EQ(out.find("note:"), std::string::npos) << out;
  const UnetWeights w = load_unet_weights(kWeights);
  UnetXnn net(w, init_engine(1).pool);
  std::vector<float> x;
  ASSERT_TRUE(sample(net, schedule_for(w.arch), p, x));
  const auto want = to_rgb8(x);
  EXPECT_EQ(testutil::read_bytes(dir + "/g.rgb"), want);
  // A PNG the page saved (its link is the Parameters text) or that this command wrote from a link
  // (link= in its Parameters) names the same link.
  testutil::write_bytes(dir + "/page.png", encode_png(Image{1, 1, {0, 0, 0}}, {{"Parameters", encode_share_link(st)}}));
  for (const std::string png : {dir + "/page.png", dir + "/g.png"}) {
    ASSERT_EQ(run("sample --weights " + kWeights + " --link " + png + " --out " + dir + "/p.png --raw " + dir + "/p.rgb", out), 0) << out;
    EXPECT_EQ(testutil::read_bytes(dir + "/p.rgb"), want) << png;
  }
  // Every grid this command writes carries the page's link for it, colours and palette too, so
  // --link draws it again; one starting past sprite 0 has none (a link starts at sprite 0).
  const std::string plain = "sample --weights " + kWeights + " --seed 5 --count 2 --steps 5 --colours 4 --palette grid";
  ASSERT_EQ(run(plain + " --out " + dir + "/plain.png --raw " + dir + "/plain.rgb", out), 0) << out;
  ASSERT_EQ(run("sample --weights " + kWeights + " --link " + dir + "/plain.png --out " + dir + "/again.png --raw " + dir + "/again.rgb", out), 0) << out;
  EXPECT_EQ(testutil::read_bytes(dir + "/again.rgb"), testutil::read_bytes(dir + "/plain.rgb"));
  EXPECT_EQ(png_share_link(testutil::read_bytes(dir + "/plain.png")).rfind("v=1&w=final." + fnv1a64_hex(testutil::read_bytes(kWeights)).substr(0, 8), 0), 0u);
  // Weights by another name are no checkpoint of the page's: the link names the file by its hash,
  // which the page asks to have opened, and which --link checks like any other.
  const std::string tiny_hash = fnv1a64_hex(testutil::read_bytes(kTinyWeights)).substr(0, 8);
  ASSERT_EQ(run("sample --weights " + kTinyWeights + " --seed 5 --count 2 --steps 5 --out " + dir + "/own.png --raw " + dir + "/own.rgb", out), 0) << out;
  EXPECT_EQ(png_share_link(testutil::read_bytes(dir + "/own.png")).rfind("v=1&w=file." + tiny_hash + "&", 0), 0u);
  ASSERT_EQ(run("sample --weights " + kTinyWeights + " --link " + dir + "/own.png --out " + dir + "/own2.png --raw " + dir + "/own2.rgb", out), 0) << out;
  EXPECT_EQ(out.find("note:"), std::string::npos) << out;
  EXPECT_EQ(testutil::read_bytes(dir + "/own2.rgb"), testutil::read_bytes(dir + "/own.rgb"));
  ASSERT_EQ(run("sample --weights " + kWeights + " --link " + dir + "/own.png --out " + dir + "/own3.png", out), 0) << out;
  EXPECT_NE(out.find("note: the link was made with a weights file of its own (" + tiny_hash + "); --weights " + kWeights + " is "),
            std::string::npos) << out;
  EXPECT_NE(out.find("(give that file with --weights for them)"), std::string::npos) << out;
  ASSERT_EQ(run(plain + " --first-index 1 --out " + dir + "/later.png", out), 0) << out;
  EXPECT_EQ(png_share_link(testutil::read_bytes(dir + "/later.png")), "");
  ASSERT_EQ(run("sample --weights " + kWeights + " --link '" + link + "' --count 1 --first-index 2 --out " + dir + "/k.png --raw " + dir + "/k.rgb", out), 0) << out;
  EXPECT_TRUE(testutil::read_bytes(dir + "/k.rgb") == std::vector<uint8_t>(want.begin() + 2 * 768, want.end())) << "sprite 2 alone";
  st.weights_hash = "0123abcd";
  ASSERT_EQ(run("sample --weights " + kWeights + " --link '#" + encode_share_link(st) + "' --count 1 --out " + dir + "/o.png", out), 0) << out;
  EXPECT_NE(out.find("note: the link was made with weights final.0123abcd; --weights " + kWeights + " is "), std::string::npos) << out;
  st.weights_id = kUrlWeights;
  st.weights_url = "https://example.org/runs/mine/sprites_final.safetensors";
  ASSERT_EQ(run("sample --weights " + kWeights + " --link '#" + encode_share_link(st) + "' --count 1 --out " + dir + "/u.png", out), 0) << out;
  EXPECT_NE(out.find("note: the link was made with the weights at " + st.weights_url + " (0123abcd); --weights "), std::string::npos) << out;
}

// The page's seed field and links hold 32 bits; the CLI takes the same range, up to the last seed.
TEST(SpritesCli, TheLargestSeedIsTheLinksLargest) {
  const std::string dir = testutil::temp_dir();
  const std::string args = "--sampler ddim --steps 5";
  EXPECT_EQ(sampled_pixels(kTinyWeights, args + " --seed 4294967295", dir), sampled_pixels(kTinyWeights, args + " --link 'v=1&seed=4294967295'", dir));
  EXPECT_NE(sampled_pixels(kTinyWeights, args + " --seed 4294967295", dir), sampled_pixels(kTinyWeights, args + " --seed 0", dir));
}

TEST(SpritesCli, BadInputGivesOneClearLineAndANonZeroExit) {
  const std::string dir = testutil::temp_dir();
  write_mask_png(dir + "/black.png", 0);
  write_mask_png(dir + "/white.png", 16);
  // The page's kept sheet: a list of sprites, each with its own grid's link, and no one link.
  const std::string hex(16 * 16 * 3 * 2, 'a');
  testutil::write_bytes(dir + "/kept-sprites.png", encode_png(Image{18, 35, std::vector<uint8_t>(18 * 35 * 3, 0)},
                                                              {{"Kept", hex + " v=1&seed=3&sel=2\n" + hex + " v=1&seed=9&sel=0\n"}}));
  testutil::write_bytes(dir + "/huge.safetensors", {});
  std::filesystem::resize_file(dir + "/huge.safetensors", size_t{3} << 30);  // sparse: 3 GiB, nothing on disk
  const std::string ok = " --weights " + kTinyWeights + " --out " + dir + "/x.png";  // refused before any sampling
  struct Case { std::string args, expect; };
  for (const Case& c : std::vector<Case>{
           {"sample --weights /nonexistent.safetensors --out " + dir + "/x.png", "cannot open"},
           {"sample" + ok + " --context 1,0,0", "needs 5"},
           {"sample" + ok + " --context 1,0,abc,0,0", "not a number"},
           {"sample" + ok + " --context 1,0,1.5,0,0", "not a number in [0, 1]"},
           {"sample" + ok + " --sampler euler", "sampler"},
           {"sample" + ok + " --steps 0", "steps"},
           {"sample" + ok + " --count -3", "count"},
           {"sample" + ok + " --guidance 99", "--guidance: '99' is not a number in [0, 20]"},
           {"sample" + ok + " --eta nan --sampler ddim", "--eta: 'nan' is not a number in [0, 1]"},
           // CLI11 read -1 as 2^64 - 1 and a longer number as the largest, seeds no link could carry
           {"sample" + ok + " --seed -1", "--seed: '-1' is not a whole number in [0, 4294967295]"},
           {"sample" + ok + " --seed 4294967296", "--seed: '4294967296' is not a whole number in [0, 4294967295]"},
           {"sample" + ok + " --seed 99999999999999999999999", "--seed: '99999999999999999999999' is not a whole number"},
           // an empty value (an unset shell variable) ran as if the flag were not given
           {"sample" + ok + " --init ''", "--init: empty; give a value or leave the flag out"},
           {"sample" + ok + " --raw ''", "--raw: empty"},
           {"sample" + ok + " --link ''", "--link: empty"},
           {"sample" + ok + " --palette ''", "--palette: empty"},
           {"sample" + ok + " --atlas " + dir + "/a.txt", "--atlas " + dir + "/a.txt: the atlas is JSON; give it a .json name"},
           {"sample" + ok + " --atlas " + dir + "/typo/a.json", "a.json: no folder"},
           {"noising --weights " + kWeights + " --sprite " + dir + "/white.png --out ''", "--out: empty"},
           {"sample --weights /dev/zero --out " + dir + "/x.png", "error: /dev/zero: a device, not a file"},  // it never ends
           {"sample" + ok + " --init /dev/null", "/dev/null: a device, not a file"},
           {"sample --weights " + dir + "/huge.safetensors --out " + dir + "/x.png", "huge.safetensors: larger than 1024 MiB"},
           {"info " + std::string(SPRITES_SOURCE_DIR) + "/assets/dataset/sprites_2642_16x16.npy", "header length"},
           {"frobnicate", "'frobnicate' is not a command; the commands: sample, info, quantize, index, dataset, noising"},  // CLI11: "A subcommand is required"
           {"", "give a command: sample, info"},
           {"quantize /nonexistent.safetensors " + dir + "/q.safetensors", "cannot open"},
           {"quantize " + kWeights, "out is required"},
           {"sample --weights " + kWeights + " --out " + dir + "/typo/x.png", dir + "/typo/x.png: no folder " + dir + "/typo to write it into"},
           {"sample" + ok + " --raw " + dir + "/typo/x.rgb", "x.rgb: no folder"},
           {"quantize " + kWeights + " " + dir + "/typo/q.safetensors", dir + "/typo/q.safetensors: cannot write (No such file or directory)"},
           {"info " + dir, dir + ": is a folder, not a file"},
           {"quantize " + kWeights + " " + std::string(SPRITES_SOURCE_DIR) + "/assets/../assets/weights/sprites_final.safetensors",
            "sprites_final.safetensors is the input file; write to another name"},
           {"sample --weights " + kWeights + " --out " + dir + "/x.jpg", "x.jpg: the grid is written as PNG; give it a .png name"},
           {"sample" + ok + " --count 1024 --scale 64", "makes a 32801x32801 grid, too large for a PNG; lower --scale"},
           {"sample" + ok + " --strength 0.5", "--strength is for variations of a sprite; give the sprite with --init"},
           {"sample" + ok + " --init " + kWeights, "--init " + kWeights + ": not a PNG image this reads"},
           {"sample" + ok + " --mask " + dir + "/black.png", "--mask is for variations of a sprite; give the sprite with --init"},
           {"sample" + ok + " --colours 1", "--colours 1 leaves one colour: a sprite needs 2 or more (0: all)"},
           {"sample" + ok + " --colours 33", "--colours"},
           {"sample" + ok + " --link 'v=1&colours=1'", "--link: 'colours=1' leaves one colour"},
           {"sample" + ok + " --palette 1a1c2c,fff", "--palette 'fff' is not a colour as 6 hex digits (rrggbb) (nor a file of that name)"},
           {"sample" + ok + " --palette " + kWeights, "--palette " + kWeights + ": '"},
           {"sample" + ok + " --resample 2", "--resample fits redrawn pixels to kept ones; give the pixels to redraw with --mask"},
           {"sample" + ok + " --link 'v=2&seed=1'", "--link: 'v=2' is a format version this page does not read"},
           {"sample" + ok + " --link " + dir + "/white.png", "--link: " + dir + "/white.png holds no share link"},
           {"sample" + ok + " --link " + dir + "/kept-sprites.png",
            "--link: " + dir + "/kept-sprites.png is the page's sheet of 2 kept sprites, each from a grid of its own: give one of their links, the first 'v=1&seed=3&sel=2'"},
           {"sample" + ok + " --link " + dir + "/typo.png", "--link: " + dir + "/typo.png: cannot open"},
           {"sample" + ok + " --link 'v=1&c=1,0'", "--link: 'c=1,0' has 2 values, the model has 5 labels"},
           {"sample" + ok + " --init " + dir + "/white.png --mask " + dir + "/white.png --resample 2 --sampler dpm++", "dpm++ builds each step on the last one"},
           {"sample" + ok + " --init " + dir + "/black.png --mask " + dir + "/black.png", "--mask " + dir + "/black.png: no white pixel, so nothing would be redrawn"},
           {"sample" + ok + " --init " + dir + "/black.png --mask " + std::string(SPRITES_SOURCE_DIR) + "/assets/images/phone-portrait.png", "--mask " + std::string(SPRITES_SOURCE_DIR) + "/assets/images/phone-portrait.png"},
           {"sample" + ok + " --init /nonexistent.png", "/nonexistent.png: cannot open"},
           {"sample" + ok + " --init " + std::string(SPRITES_SOURCE_DIR) + "/assets/images/phone-portrait.png", "1170x2532 pixels; neither a 16x16 sprite (or a square multiple) nor a sheet of them"},
           {"sample" + ok + " --init " + std::string(SPRITES_SOURCE_DIR) + "/assets/images/phone-portrait.png --strength 1.5", "--strength: '1.5' is not a number in [0, 1]"},
           {"noising --weights " + kWeights, "--sprite is required"},
           {"noising --weights " + kWeights + " --sprite " + kWeights, "--sprite " + kWeights + ": not a PNG image this reads"},
           {"noising --weights " + kWeights + " --sprite " + dir + "/white.png --context 1,0", "needs 5"},
           {"noising --weights " + kWeights + " --sprite " + dir + "/white.png --out " + dir + "/n.jpg", "n.jpg: the strip is written as PNG"},
           {"noising --weights " + kWeights + " --sprite " + dir + "/white.png --every 0", "--every"},
           {"noising --weights /nonexistent.safetensors --sprite " + dir + "/white.png", "cannot open"},
       }) {
    std::string out;
    EXPECT_NE(run(c.args, out), 0) << c.args;
    EXPECT_EQ(out.find("sample done"), std::string::npos) << "refused before sampling: " << out;
    EXPECT_NE(out.find(c.expect), std::string::npos) << c.args << "\n" << out;
    EXPECT_EQ(out.find("terminate called"), std::string::npos) << out;
  }
}
