// Your own sprites as a training set (common/sprite_folder.h): classes from subfolders, PNGs drawn
// at 1x or 2x, transparency over white, and one line for each thing that is not a sprite set.
#include "common/sprite_folder.h"
#include "png_writer.h"
#include "test_util.h"

#include <gtest/gtest.h>

#include <filesystem>

using namespace sprites;

namespace {

// A 16x16 sprite drawn at `scale`x, with colour (seed, 2 seed, 3 seed) on white; RGBA with a
// transparent background when `alpha`.
void write_sprite(const std::string& path, int seed, int scale = 1, bool alpha = false) {
  const int side = 16 * scale, channels = alpha ? 4 : 3;
  Image img{side, side, std::vector<uint8_t>(static_cast<size_t>(side) * side * channels), channels};
  for (int y = 0; y < side; ++y)
    for (int x = 0; x < side; ++x) {
      const bool inside = x / scale >= 4 && x / scale < 12 && y / scale >= 4 && y / scale < 12;
      uint8_t* p = &img.pixels[(static_cast<size_t>(y) * side + x) * channels];
      for (int c = 0; c < 3; ++c) p[c] = inside ? static_cast<uint8_t>(seed * (c + 1)) : (alpha ? 0 : 255);
      if (alpha) p[3] = inside ? 255 : 0;
    }
  testutil::write_bytes(path, encode_png(img, {}));
}

std::string error_of(const std::string& dir) {
  try {
    read_sprite_folder(dir);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(SpriteFolder, ClassesAreSubfoldersAndEverySpriteComesOut16x16OnWhite) {
  const std::string dir = testutil::temp_dir();
  for (const char* c : {"slime", "knight"}) std::filesystem::create_directories(dir + "/" + c);
  write_sprite(dir + "/slime/a.png", 10);
  write_sprite(dir + "/slime/b.PNG", 20, 2);            // drawn at 2x
  write_sprite(dir + "/knight/k.png", 30, 1, true);     // transparent background
  testutil::write_bytes(dir + "/knight/notes.txt", {'x'});
  testutil::write_bytes(dir + "/README.md", {'x'});     // not a class
  const SpriteFolder f = read_sprite_folder(dir);
  EXPECT_EQ(f.classes, (std::vector<std::string>{"knight", "slime"}));
  EXPECT_EQ(f.per_class, (std::vector<int64_t>{1, 2}));
  ASSERT_EQ(f.n, 3);
  EXPECT_EQ(f.skipped, 1);
  ASSERT_EQ(f.images.size(), 3u * 16 * 16 * 3);
  EXPECT_EQ(f.labels, (std::vector<double>{1, 0, 0, 1, 0, 1}));
  auto px = [&](int k, int x, int y, int c) { return f.images[((static_cast<size_t>(k) * 16 + y) * 16 + x) * 3 + c]; };
  for (int k = 0; k < 3; ++k) {
    const int seed = k == 0 ? 30 : k == 1 ? 10 : 20;
    EXPECT_EQ(px(k, 0, 0, 0), 255) << "sprite " << k << ": white background";
    for (int c = 0; c < 3; ++c) EXPECT_EQ(px(k, 8, 8, c), seed * (c + 1)) << "sprite " << k;
  }
}

TEST(SpriteFolder, WhatIsNotASpriteSetGetsOneLineNamingIt) {
  const std::string dir = testutil::temp_dir();
  EXPECT_EQ(error_of(dir + "/none"), dir + "/none: not a folder");
  EXPECT_EQ(error_of(dir), dir + ": no class folders in it (" + dir + "/<class>/*.png)");
  std::filesystem::create_directories(dir + "/hero");
  EXPECT_EQ(error_of(dir), dir + "/hero: no .png sprites in this class folder");
  write_sprite(dir + "/hero/ok.png", 5);
  Image odd{20, 24, std::vector<uint8_t>(20 * 24 * 3, 0)};
  testutil::write_bytes(dir + "/hero/odd.png", encode_png(odd, {}));
  EXPECT_EQ(error_of(dir), "hero/odd.png: 20x24 pixels; sprites are 16x16 or a square multiple (32x32, ... up to 1024x1024)");
  testutil::write_bytes(dir + "/hero/odd.png", {0x89, 'P', 'N', 'G', 1, 2, 3});
  EXPECT_NE(error_of(dir).find("hero/odd.png: not a PNG image this reads ("), std::string::npos) << error_of(dir);
  std::filesystem::remove(dir + "/hero/odd.png");
  std::filesystem::create_directories(dir + "/a,b");
  write_sprite(dir + "/a,b/x.png", 5);
  EXPECT_EQ(error_of(dir), dir + "/a,b: class name 'a,b' holds a comma (the weights list the labels with commas)");
  std::filesystem::remove_all(dir + "/a,b");
  const std::string long_name(41, 'x');
  std::filesystem::create_directories(dir + "/" + long_name);
  write_sprite(dir + "/" + long_name + "/x.png", 5);
  EXPECT_EQ(error_of(dir), dir + "/" + long_name + ": class name '" + long_name + "' is longer than 40 characters");
}
