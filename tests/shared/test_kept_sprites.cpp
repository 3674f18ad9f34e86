// The Kept panel's list (shared/kept_sprites.h): what "Keep" adds, what the browser stores and a
// kept sheet's text holds, and what a damaged copy of that text gives back.
#include "kept_sprites.h"

#include <gtest/gtest.h>

using namespace sprites;

static KeptSprite sprite(uint8_t shade, int sel) {
  KeptSprite k;
  k.rgb.assign(kKeptSpriteBytes, shade);
  k.rgb[5] = static_cast<uint8_t>(sel);  // distinct pixels per sprite of a grid
  k.link = "v=1&w=final.1a2b3c4d&c=1,0,0,0,0&s=ddim&n=25&e=0&g=0&seed=7&k=64&view=grid&sel=" + std::to_string(sel);
  return k;
}

TEST(KeptSprites, KeepsEachSpriteOnceInOrderUpToTheSheetsSize) {
  KeptSprites kept;
  EXPECT_TRUE(kept.add(sprite(10, 3)));
  EXPECT_TRUE(kept.add(sprite(20, 5)));
  EXPECT_FALSE(kept.add(sprite(10, 3))) << "the same sprite of the same grid";
  ASSERT_EQ(kept.sprites().size(), 2u);
  EXPECT_TRUE(kept.contains(sprite(20, 5).link));
  const std::vector<uint8_t> all = kept.pixels();
  ASSERT_EQ(all.size(), 2 * kKeptSpriteBytes);
  EXPECT_EQ(all[0], 10);
  EXPECT_EQ(all[kKeptSpriteBytes], 20);
  kept.remove(0);
  kept.remove(7);  // past the end: nothing
  ASSERT_EQ(kept.sprites().size(), 1u);
  EXPECT_EQ(kept.sprites()[0].link, sprite(20, 5).link);
  for (int i = 0; kept.add(sprite(static_cast<uint8_t>(i), i % 64)); ++i) {}
  EXPECT_EQ(kept.sprites().size(), kMaxKeptSprites);
  EXPECT_TRUE(kept.full());
  KeptSprite wrong = sprite(1, 1);
  wrong.rgb.pop_back();
  EXPECT_THROW(kept.add(wrong), std::invalid_argument);
}

TEST(KeptSprites, TheStoredTextGivesBackTheSameSprites) {
  KeptSprites kept;
  kept.add(sprite(0, 0));
  kept.add(sprite(255, 15));
  const std::string text = kept.serialize();
  EXPECT_EQ(text.substr(0, 6), "000000");
  size_t skipped = 9;
  const KeptSprites back = KeptSprites::parse(text, skipped);
  EXPECT_EQ(skipped, 0u);
  ASSERT_EQ(back.sprites().size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(back.sprites()[i].rgb, kept.sprites()[i].rgb);
    EXPECT_EQ(back.sprites()[i].link, kept.sprites()[i].link);
  }
  EXPECT_TRUE(KeptSprites::parse("", skipped).sprites().empty());
  EXPECT_EQ(skipped, 0u);
}

TEST(KeptSprites, DamagedLinesAreLeftOutAndCounted) {
  KeptSprites kept;
  kept.add(sprite(1, 1));
  kept.add(sprite(2, 2));
  kept.add(sprite(3, 3));
  std::string text = kept.serialize();
  const size_t line = text.find('\n') + 1;
  text[line + 10] = 'g';                      // the second sprite's pixels: not hex
  text += text.substr(0, 100) + "\n";         // a line cut short
  text += std::string(1536, 'a') + " v=9\n";  // a link of a version no page reads
  text += std::string(1536, 'a') + "\n";      // no link
  text += "\n\r\n";                           // blank lines, one with a stray CR
  size_t skipped = 0;
  const KeptSprites back = KeptSprites::parse(text, skipped);
  ASSERT_EQ(back.sprites().size(), 2u);
  EXPECT_EQ(back.sprites()[0].link, sprite(1, 1).link);
  EXPECT_EQ(back.sprites()[1].link, sprite(3, 3).link);
  EXPECT_EQ(skipped, 5u);
  // A list longer than the panel holds: the first 64 kept, the rest counted.
  KeptSprites many;
  for (int i = 0; i < 64; ++i) many.add(sprite(static_cast<uint8_t>(i), i));
  const std::string more = many.serialize() + many.serialize().substr(0, many.serialize().find('\n') + 1);
  EXPECT_EQ(KeptSprites::parse(more, skipped).sprites().size(), 64u);
  EXPECT_EQ(skipped, 1u);
}
