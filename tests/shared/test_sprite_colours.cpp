// Limiting a sprite's colours: at most N, all of them the sprite's own, the sprite's structure kept,
// each sprite on its own, and a sprite that already has few colours left alone; a palette paints
// every group in its nearest colour.
#include "sprite_colours.h"
#include "test_util.h"

#include <gtest/gtest.h>

#include <set>

using namespace sprites;

namespace {

constexpr int kSize = 16, kPixels = kSize * kSize;

// Four flat areas (a background, an outline, a body, an eye), as a sprite is drawn, and each pixel
// moved by up to +-`noise` levels per channel, as a sampler leaves it.
std::vector<uint8_t> noisy_sprite(int noise, uint32_t salt) {
  static const uint8_t kArea[4][3] = {{250, 248, 245}, {30, 25, 60}, {200, 80, 40}, {90, 200, 120}};
  std::vector<uint8_t> rgb(kPixels * 3);
  uint32_t state = 12345 + salt;
  for (int y = 0; y < kSize; ++y)
    for (int x = 0; x < kSize; ++x) {
      const bool in = x >= 3 && x <= 12 && y >= 3 && y <= 12, edge = in && (x == 3 || x == 12 || y == 3 || y == 12);
      const int area = !in ? 0 : edge ? 1 : (x == 9 && y == 6) ? 3 : 2;
      for (int c = 0; c < 3; ++c) {
        state = state * 1664525u + 1013904223u;
        const int jitter = noise ? static_cast<int>(state >> 16) % (2 * noise + 1) - noise : 0;
        rgb[(y * kSize + x) * 3 + c] = static_cast<uint8_t>(kArea[area][c] + jitter);
      }
    }
  return rgb;
}

std::set<uint32_t> colours_of(const std::vector<uint8_t>& rgb, size_t first, size_t pixels) {
  std::set<uint32_t> out;
  for (size_t i = first; i < first + pixels; ++i) out.insert(uint32_t{rgb[3 * i]} << 16 | uint32_t{rgb[3 * i + 1]} << 8 | rgb[3 * i + 2]);
  return out;
}

}  // namespace

TEST(SpriteColours, FourAreasUnderNoiseComeBackAsFourOfTheSpritesOwnColours) {
  const auto noisy = noisy_sprite(4, 0);
  ASSERT_GT(colours_of(noisy, 0, kPixels).size(), 100u);
  const auto limited = limit_colours(noisy, kSize, 4);
  const auto got = colours_of(limited, 0, kPixels), had = colours_of(noisy, 0, kPixels);
  EXPECT_EQ(got.size(), 4u) << "the eye is one pixel and still gets its own colour";
  for (uint32_t c : got) EXPECT_TRUE(had.count(c)) << "a colour the sprite did not have: " << std::hex << c;
  const auto clean = noisy_sprite(0, 0);
  for (size_t i = 0; i < clean.size(); ++i) EXPECT_LE(std::abs(int(limited[i]) - int(clean[i])), 8) << "byte " << i << ": another area's colour";
}

TEST(SpriteColours, AtMostNColoursForEveryN) {
  const auto noisy = noisy_sprite(30, 1);
  for (int n = kMinColours; n <= kMaxColours; ++n) {
    const auto limited = limit_colours(noisy, kSize, n);
    EXPECT_LE(colours_of(limited, 0, kPixels).size(), static_cast<size_t>(n)) << n;
    EXPECT_EQ(limit_colours(limited, kSize, n), limited) << n << ": limiting again changes nothing";
  }
}

TEST(SpriteColours, AFewColouredSpriteAndZeroAreLeftAsTheyAre) {
  const auto clean = noisy_sprite(0, 0);
  EXPECT_EQ(limit_colours(clean, kSize, 4), clean);
  EXPECT_EQ(limit_colours(clean, kSize, kMaxColours), clean);
  const auto noisy = noisy_sprite(4, 2);
  EXPECT_EQ(limit_colours(noisy, kSize, 0), noisy);
}

TEST(SpriteColours, EachSpriteOfAGridAsIfAlone) {
  std::vector<uint8_t> grid;
  for (uint32_t k = 0; k < 3; ++k) {
    const auto s = noisy_sprite(12, k);
    grid.insert(grid.end(), s.begin(), s.end());
  }
  const auto limited = limit_colours(grid, kSize, 6);
  for (size_t k = 0; k < 3; ++k) {
    const std::vector<uint8_t> alone(grid.begin() + k * kPixels * 3, grid.begin() + (k + 1) * kPixels * 3);
    EXPECT_EQ(limit_colours(alone, kSize, 6), std::vector<uint8_t>(limited.begin() + k * kPixels * 3, limited.begin() + (k + 1) * kPixels * 3))
        << "sprite " << k;
  }
}

TEST(SpriteColours, OutOfRangeCountsAndPartSpritesAreRefused) {
  const auto s = noisy_sprite(4, 0);
  for (int n : {-1, kMaxColours + 1}) {
    try {
      limit_colours(s, kSize, n);
      ADD_FAILURE() << n;
    } catch (const std::invalid_argument& e) {
      EXPECT_EQ(std::string(e.what()), "colours: " + std::to_string(n) + " is not 0 (all) or 2 to 32");
    }
  }
  EXPECT_EQ(colours_refusal(1), "leaves one colour: a sprite needs 2 or more (0: all)");
  EXPECT_THROW(limit_colours(s, kSize, 1), std::invalid_argument);
  EXPECT_EQ(colours_refusal(0), "");
  EXPECT_EQ(colours_refusal(kMaxColours), "");
  EXPECT_THROW(limit_colours(std::vector<uint8_t>(s.begin(), s.end() - 3), kSize, 4), std::invalid_argument);
}

TEST(SpriteColours, APaletteFileOrListReadsAndWritesBack) {
  const Palette p = parse_palette("#1A1C2C\n5d275d\r\n\nb13e53, ef7d57 ffcd75\n");  // a Lospec .hex file's lines, and a list
  ASSERT_EQ(p.size(), 5u);
  EXPECT_EQ(p[0], (std::array<uint8_t, 3>{0x1a, 0x1c, 0x2c}));
  EXPECT_EQ(format_palette(p), "1a1c2c,5d275d,b13e53,ef7d57,ffcd75");
  EXPECT_EQ(parse_palette(format_palette(p)), p);
  const auto error = [](const std::string& text) { return testutil::error_of<std::invalid_argument>([&] { parse_palette(text); }); };
  EXPECT_EQ(error("1a1c2c,12345"), "'12345' is not a colour as 6 hex digits (rrggbb)");
  EXPECT_EQ(error("1a1c2c,zz0000"), "'zz0000' is not a colour as 6 hex digits (rrggbb)");
  EXPECT_EQ(error(" \n, "), "no colours (6 hex digits each, rrggbb)");
  std::string many;
  for (size_t i = 0; i <= kMaxPaletteColours; ++i) many += "000000 ";
  EXPECT_EQ(error(many), "more than 64 colours");
}

TEST(SpriteColours, APalettePaintsEachGroupInItsNearestColour) {
  const Palette palette = parse_palette("ffffff 000000 ff0000 00ff00 0000ff");
  std::set<uint32_t> allowed;
  for (const auto& c : palette) allowed.insert(uint32_t{c[0]} << 16 | uint32_t{c[1]} << 8 | c[2]);
  const auto noisy = noisy_sprite(4, 0);
  for (int n : {0, 3, 4}) {
    const auto painted = limit_colours(noisy, kSize, n, palette);
    const auto got = colours_of(painted, 0, kPixels);
    for (uint32_t c : got) EXPECT_TRUE(allowed.count(c)) << n << ": " << std::hex << c << " is not in the palette";
    if (n > 0) {
      EXPECT_LE(got.size(), static_cast<size_t>(n));
    }
  }
  // The four areas: near-white background to white, the dark outline to black, the orange body to
  // red, the green eye to green; with 0 each pixel goes alone, with 4 each area as one.
  const auto painted = limit_colours(noisy, kSize, 4, palette);
  const auto pixel = [&](int x, int y) { return std::array<uint8_t, 3>{painted[(y * 16 + x) * 3], painted[(y * 16 + x) * 3 + 1], painted[(y * 16 + x) * 3 + 2]}; };
  EXPECT_EQ(pixel(0, 0), palette[0]);
  EXPECT_EQ(pixel(3, 3), palette[1]);
  EXPECT_EQ(pixel(6, 6), palette[2]);
  EXPECT_EQ(pixel(9, 6), palette[3]);
  EXPECT_EQ(limit_colours(noisy, kSize, 0, palette), limit_colours(limit_colours(noisy, kSize, 0, palette), kSize, 0, palette));
}

TEST(SpriteColours, AGridsPaletteIsItsOwnColoursSharedByEverySprite) {
  std::vector<uint8_t> grid;
  for (uint32_t k = 0; k < 3; ++k) {
    const auto s = noisy_sprite(4, k);
    grid.insert(grid.end(), s.begin(), s.end());
  }
  const Palette palette = palette_of(grid, 4);
  ASSERT_EQ(palette.size(), 4u) << "the four areas every sprite has";
  const auto had = colours_of(grid, 0, 3 * kPixels);
  for (const auto& c : palette) EXPECT_TRUE(had.count(uint32_t{c[0]} << 16 | uint32_t{c[1]} << 8 | c[2])) << "a colour of the grid";
  const auto painted = limit_colours(grid, kSize, 4, palette);
  std::set<uint32_t> shared;
  for (size_t k = 0; k < 3; ++k) {
    const auto mine = colours_of(painted, k * kPixels, kPixels);
    EXPECT_EQ(mine.size(), 4u) << "sprite " << k;
    shared.insert(mine.begin(), mine.end());
  }
  EXPECT_EQ(shared.size(), 4u) << "the same four colours in every sprite";
  EXPECT_LE(palette_of(grid, kMaxColours).size(), static_cast<size_t>(kMaxColours));
  EXPECT_THROW(palette_of(grid, 1), std::invalid_argument);
  EXPECT_THROW(palette_of({}, 4), std::invalid_argument);
}
