// Transparent backgrounds: the flat colour around a sprite goes, the sprite (and white it encloses) stays.
#include "sprite_background.h"

#include <gtest/gtest.h>

using namespace sprites;

namespace {

constexpr int kSize = 16;

struct Sprite {
  std::vector<uint8_t> rgb = std::vector<uint8_t>(kSize * kSize * 3);
  void set(int x, int y, uint8_t r, uint8_t g, uint8_t b) {
    const size_t i = (static_cast<size_t>(y) * kSize + x) * 3;
    rgb[i] = r, rgb[i + 1] = g, rgb[i + 2] = b;
  }
  void fill(uint8_t r, uint8_t g, uint8_t b) {
    for (int y = 0; y < kSize; ++y)
      for (int x = 0; x < kSize; ++x) set(x, y, r, g, b);
  }
  // A dark outline from (4,4) to (11,11) with white inside it.
  void outlined_box() {
    for (int y = 4; y <= 11; ++y)
      for (int x = 4; x <= 11; ++x) {
        const bool edge = x == 4 || y == 4 || x == 11 || y == 11;
        set(x, y, edge ? 20 : 255, edge ? 20 : 255, edge ? 40 : 255);
      }
  }
};

bool inside_box(int x, int y) { return x >= 4 && x <= 11 && y >= 4 && y <= 11; }

}  // namespace

TEST(SpriteBackground, TheBorderConnectedFlatColourGoesAndEnclosedWhiteStays) {
  Sprite s;
  s.fill(255, 255, 255);
  s.outlined_box();
  const auto a = background_alpha(s.rgb.data(), kSize);
  for (int y = 0; y < kSize; ++y)
    for (int x = 0; x < kSize; ++x) EXPECT_EQ(a[y * kSize + x], inside_box(x, y) ? 255 : 0) << x << "," << y;
}

TEST(SpriteBackground, ANoisyBackgroundGoesWithinTheToleranceAndLightPartsBeyondItStay) {
  Sprite s;
  for (int y = 0; y < kSize; ++y)  // near-white, as generated backgrounds are
    for (int x = 0; x < kSize; ++x) s.set(x, y, static_cast<uint8_t>(255 - (x * 7 + y * 3) % 30), 250, static_cast<uint8_t>(240 + x % 10));
  s.outlined_box();
  for (int y = 0; y < 3; ++y) s.set(0, y, 190, 190, 190);  // a light grey part on the border, 65 levels off
  const auto a = background_alpha(s.rgb.data(), kSize);
  EXPECT_EQ(a[5 * kSize + 0], 0);
  EXPECT_EQ(a[15 * kSize + 15], 0);
  EXPECT_EQ(a[8 * kSize + 8], 255);
  for (int y = 0; y < 3; ++y) EXPECT_EQ(a[y * kSize + 0], 255) << "light grey is not the background";
}

TEST(SpriteBackground, ADarkBackgroundIsFoundByTheBorderColour) {
  Sprite s;
  s.fill(0, 0, 0);
  for (int y = 5; y <= 10; ++y)
    for (int x = 5; x <= 10; ++x) s.set(x, y, 200, 40, 40);
  const auto a = background_alpha(s.rgb.data(), kSize);
  EXPECT_EQ(a[0], 0);
  EXPECT_EQ(a[7 * kSize + 7], 255);
}

TEST(SpriteBackground, ASpriteThatFillsItsSquareHasNoBackground) {
  Sprite s;
  for (size_t i = 0; i < s.rgb.size(); ++i) s.rgb[i] = static_cast<uint8_t>((i * 97 + 13) % 256);  // no colour holds the border
  const auto a = background_alpha(s.rgb.data(), kSize);
  EXPECT_EQ(a, std::vector<uint8_t>(kSize * kSize, 255));
}

TEST(SpriteBackground, RgbaKeepsEachSpritesColoursInOrder) {
  Sprite white, black;
  white.fill(255, 255, 255);
  white.outlined_box();
  black.fill(0, 0, 0);
  black.set(8, 8, 9, 99, 199);
  std::vector<uint8_t> both;
  for (const Sprite* s : {&white, &black}) both.insert(both.end(), s->rgb.begin(), s->rgb.end());
  const auto rgba = with_transparent_background(both, 2, kSize);
  ASSERT_EQ(rgba.size(), 2u * kSize * kSize * 4);
  for (size_t i = 0; i < 2u * kSize * kSize; ++i)
    for (int c = 0; c < 3; ++c) ASSERT_EQ(rgba[i * 4 + c], both[i * 3 + c]) << "pixel " << i;
  EXPECT_EQ(rgba[3], 0);                                        // sprite 0's corner
  EXPECT_EQ(rgba[(8 * kSize + 8) * 4 + 3], 255);                // inside sprite 0's box
  const size_t second = kSize * kSize;
  EXPECT_EQ(rgba[(second + 8 * kSize + 8) * 4 + 3], 255);       // sprite 1's one pixel
  EXPECT_EQ(rgba[(second + 8 * kSize + 9) * 4 + 3], 0);
}
