// Reading back the text a PNG carries (shared/png_text.h): what encode_png and encode_apng wrote,
// a file's head, the CLI's own Parameters, and files that are not what they say.
#include "png_text.h"
#include "png_writer.h"

#include <gtest/gtest.h>

using namespace sprites;

namespace {

Image tiny() { return Image{2, 2, std::vector<uint8_t>(12, 200)}; }

}  // namespace

TEST(PngText, ReadsBackWhatTheWriterWroteInOrder) {
  const auto png = encode_png(tiny(), {{"Software", "Sprite Diffusion Studio"}, {"Parameters", "v=1&seed=3"}, {"Description", ""}});
  const auto text = png_text(png);
  ASSERT_EQ(text.size(), 3u);
  EXPECT_EQ(text[0], (std::pair<std::string, std::string>{"Software", "Sprite Diffusion Studio"}));
  EXPECT_EQ(text[1].second, "v=1&seed=3");
  EXPECT_EQ(text[2], (std::pair<std::string, std::string>{"Description", ""}));
  const auto apng = encode_apng({tiny(), tiny()}, {100, 100}, {{"Parameters", "v=1&seed=4"}});
  EXPECT_EQ(png_share_link(apng), "v=1&seed=4");
}

TEST(PngText, TheFilesHeadIsEnoughAndACutChunkEndsTheWalk) {
  const auto png = encode_png(tiny(), {{"Parameters", "v=1&seed=5"}});
  // Just past the tEXt chunk: the signature (8), IHDR (25), then 12 around the keyword, NUL and text.
  const size_t text_end = 8 + 25 + 12 + std::string("Parameters").size() + 1 + std::string("v=1&seed=5").size();
  EXPECT_EQ(png_share_link({png.begin(), png.begin() + static_cast<long>(text_end)}), "v=1&seed=5");
  EXPECT_EQ(png_share_link({png.begin(), png.begin() + static_cast<long>(text_end - 1)}), "") << "its CRC cut off";
  EXPECT_TRUE(png_text({png.begin(), png.begin() + 20}).empty());
}

TEST(PngText, TheCliWritesItsLinkAfterLinkEquals) {
  const auto cli = encode_png(tiny(), {{"Parameters", "sampler=ddim steps=25 seed=3 link=http://host/page/?build=st#v=1&seed=3&k=4"}});
  EXPECT_EQ(png_share_link(cli), "v=1&seed=3&k=4") << "the part after '#'";
  EXPECT_EQ(png_share_link(encode_png(tiny(), {{"Parameters", "sampler=ddim steps=25 seed=3"}})), "") << "no link: its flags only";
  EXPECT_EQ(png_share_link(encode_png(tiny(), {{"Comment", "v=1&seed=3"}})), "") << "only Parameters holds a link";
}

TEST(PngText, WhatIsNotAPngOrHasBrokenChunksGivesNoText) {
  EXPECT_TRUE(png_text({}).empty());
  EXPECT_TRUE(png_text({'G', 'I', 'F', '8', '9', 'a', 0, 0, 0, 0, 0, 0, 0, 0}).empty());
  auto png = encode_png(tiny(), {{"Parameters", "v=1"}});
  png[8] = 0xff;  // IHDR's length now runs past the end
  EXPECT_TRUE(png_text(png).empty());
  auto no_key_end = encode_png(tiny(), {{"Parameters", "v=1"}});
  for (size_t i = 8 + 25 + 8; i < 8 + 25 + 8 + 14; ++i)
    if (no_key_end[i] == 0) no_key_end[i] = 'x';  // a tEXt body without the NUL after its keyword
  EXPECT_TRUE(png_text(no_key_end).empty());
}
