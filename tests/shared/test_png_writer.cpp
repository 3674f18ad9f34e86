// PNG and animated PNG output: the still image a plain decoder sees, and each frame's data.
#include "png_writer.h"

#define STB_IMAGE_IMPLEMENTATION
#define STBI_ONLY_PNG
#include <stb/stb_image.h>
#include <gtest/gtest.h>

#include <cstring>
#include <string>

using namespace sprites;

namespace {

struct Chunk {
  std::string type;
  std::vector<uint8_t> body;
};

uint32_t be32(const uint8_t* p) { return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | p[3]; }

std::vector<Chunk> chunks(const std::vector<uint8_t>& png) {
  std::vector<Chunk> out;
  for (size_t at = 8; at + 12 <= png.size(); at += 12 + be32(&png[at]))
    out.push_back({std::string(png.begin() + at + 4, png.begin() + at + 8),
                   std::vector<uint8_t>(png.begin() + at + 8, png.begin() + at + 8 + be32(&png[at]))});
  return out;
}

// Decodes a PNG's still image (stb_image ignores the animation chunks, as a viewer without APNG
// does) as `channels` bytes a pixel; `stored`, if given, gets the channels the file holds.
std::vector<uint8_t> decode(const std::vector<uint8_t>& png, int& w, int& h, int channels = 3, int* stored = nullptr) {
  int n = 0;
  uint8_t* px = stbi_load_from_memory(png.data(), static_cast<int>(png.size()), &w, &h, &n, channels);
  if (!px) return {};
  if (stored) *stored = n;
  std::vector<uint8_t> out(px, px + w * h * channels);
  stbi_image_free(px);
  return out;
}

Image frame(int seed) {
  Image f{20, 12, std::vector<uint8_t>(20 * 12 * 3)};
  for (size_t i = 0; i < f.pixels.size(); ++i) f.pixels[i] = static_cast<uint8_t>((i * 7 + seed * 53) % 256);
  return f;
}

}  // namespace

TEST(Apng, FirstFrameIsTheStillImageAndEachFrameCarriesItsOwnPixels) {
  const std::vector<Image> frames = {frame(0), frame(1), frame(2)};
  const auto apng = encode_apng(frames, {100, 100, 1500}, {{"Parameters", "v=1&seed=3"}});
  ASSERT_EQ(std::memcmp(apng.data(), "\x89PNG\r\n\x1a\n", 8), 0);

  const auto cs = chunks(apng);
  std::string order;
  for (auto& c : cs) order += c.type + " ";
  EXPECT_EQ(order, "IHDR acTL tEXt fcTL IDAT fcTL fdAT fcTL fdAT IEND ");
  EXPECT_EQ(be32(&cs[1].body[0]), 3u) << "frames";
  EXPECT_EQ(be32(&cs[1].body[4]), 0u) << "loops forever";
  // Sequence numbers run over fcTL and fdAT without gaps; the last frame is held 1.5 s.
  EXPECT_EQ(be32(&cs[3].body[0]), 0u);
  EXPECT_EQ(be32(&cs[5].body[0]), 1u);
  EXPECT_EQ(be32(&cs[6].body[0]), 2u);
  EXPECT_EQ(be32(&cs[7].body[0]), 3u);
  EXPECT_EQ(be32(&cs[8].body[0]), 4u);
  EXPECT_EQ((cs[7].body[20] << 8) | cs[7].body[21], 1500);
  EXPECT_EQ((cs[7].body[22] << 8) | cs[7].body[23], 1000);

  int w = 0, h = 0;
  EXPECT_EQ(decode(apng, w, h), frames[0].pixels) << "a viewer without APNG shows the first frame";
  EXPECT_EQ(w, 20);
  EXPECT_EQ(h, 12);
  // Frames 1 and 2: their fdAT data is a complete image stream of that frame alone.
  for (int i : {1, 2}) {
    const auto& fdat = cs[4 + 2 * i].body;
    std::vector<uint8_t> still(apng.begin(), apng.begin() + 33);  // signature + IHDR
    const uint32_t n = static_cast<uint32_t>(fdat.size() - 4);
    for (int s = 24; s >= 0; s -= 8) still.push_back(static_cast<uint8_t>(n >> s));
    still.insert(still.end(), {'I', 'D', 'A', 'T'});
    still.insert(still.end(), fdat.begin() + 4, fdat.end());
    still.insert(still.end(), {0, 0, 0, 0});  // stb_image does not check CRCs; chromium does (tests/browser)
    still.insert(still.end(), {0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82});
    EXPECT_EQ(decode(still, w, h), frames[i].pixels) << "frame " << i;
  }
}

TEST(Apng, RefusesFramesOfDifferentSizesAndMissingDelays) {
  Image small{4, 4, std::vector<uint8_t>(48)};
  EXPECT_THROW(encode_apng({frame(0), small}, {100, 100}, {}), std::runtime_error);
  EXPECT_THROW(encode_apng({frame(0)}, {}, {}), std::runtime_error);
  EXPECT_THROW(encode_apng({}, {}, {}), std::runtime_error);
}

// A transparent sprite sheet: RGBA pixels as given, gutters fully transparent.
TEST(Png, RgbaGridsKeepAlphaAndHaveTransparentGutters) {
  std::vector<uint8_t> sprites(2 * 2 * 2 * 4);  // two 2x2 RGBA sprites
  for (size_t i = 0; i < sprites.size(); ++i) sprites[i] = static_cast<uint8_t>(i * 11);
  const Image grid = grid_image(sprites, 2, 2, 2, 1, 4);
  EXPECT_EQ(grid.channels, 4);
  int w = 0, h = 0, n = 0;
  const auto px = decode(encode_png(grid, {}), w, h, 4, &n);
  ASSERT_EQ(n, 4) << "an RGBA PNG";
  ASSERT_EQ(px, grid.pixels);
  EXPECT_EQ(px[3], 0) << "the gutter at (0,0)";
  EXPECT_EQ(std::vector<uint8_t>(px.begin() + (w + 1) * 4, px.begin() + (w + 1) * 4 + 4), std::vector<uint8_t>(sprites.begin(), sprites.begin() + 4));
  Image two_channels{2, 2, std::vector<uint8_t>(8), 2};
  EXPECT_THROW(encode_png(two_channels, {}), std::runtime_error);
}
