// Reading one sprite from a PNG: the sheets this project writes come back to the byte at any
// scale, transparency is laid over white, and anything else is one line naming the file.
#include "png_writer.h"
#include "sprite_background.h"
#include "sprite_png.h"
#include "test_util.h"

#include <gtest/gtest.h>

using namespace sprites;

namespace {

std::vector<uint8_t> test_sprite() {
  std::vector<uint8_t> rgb(16 * 16 * 3);
  for (size_t i = 0; i < rgb.size(); ++i) rgb[i] = static_cast<uint8_t>((i * 37) % 251);
  return rgb;
}

// The sprite drawn `scale` times larger, without gutters: pixel art as an artist saves it.
Image enlarged(const std::vector<uint8_t>& rgb, int scale) {
  Image img{16 * scale, 16 * scale, {}, 3};
  for (int y = 0; y < img.height; ++y)
    for (int x = 0; x < img.width; ++x)
      for (int c = 0; c < 3; ++c) img.pixels.push_back(rgb[((y / scale) * 16 + x / scale) * 3 + c]);
  return img;
}

std::string error_of(const Image& img) {
  return testutil::error_of<std::runtime_error>([&] { decode_sprite_png(encode_png(img, {}), 16, "x.png"); });
}

}  // namespace

TEST(SpritePng, SheetsAndEnlargedSpritesComeBackToTheByte) {
  const auto rgb = test_sprite();
  for (int scale : {1, 2, 8}) {
    // As `sprites sample --count 1 --scale N` and the page's "Download sprite" write it: a gutter around.
    EXPECT_EQ(decode_sprite_png(encode_png(sprite_sheet(rgb, 1, 16, 1, scale, false), {}), 16, "sheet.png"), rgb) << "scale " << scale;
    EXPECT_EQ(decode_sprite_png(encode_png(enlarged(rgb, scale), {}), 16, "art.png"), rgb) << "scale " << scale;
  }
}

TEST(SpritePng, TransparencyIsLaidOverWhite) {
  std::vector<uint8_t> rgb(16 * 16 * 3, 0);  // black, with a grey pixel inside a white background
  for (size_t i = 0; i < rgb.size(); ++i) rgb[i] = i / 3 == 100 ? 90 : 255;
  for (int k = 0; k < 16; ++k) rgb[3 * (16 * 8 + k)] = rgb[3 * (16 * 8 + k) + 1] = rgb[3 * (16 * 8 + k) + 2] = 0;  // an outline
  const Image rgba = sprite_sheet(rgb, 1, 16, 1, 4, true);
  ASSERT_EQ(rgba.channels, 4);
  EXPECT_EQ(rgba.pixels[(5 * rgba.width + 5) * 4 + 3], 0) << "the background was cleared";
  EXPECT_EQ(decode_sprite_png(encode_png(rgba, {}), 16, "t.png"), rgb) << "cleared white comes back white";
}

TEST(SpritePng, OtherImagesAreOneLineNamingTheFile) {
  EXPECT_EQ(error_of(Image{20, 20, std::vector<uint8_t>(20 * 20 * 3, 9), 3}), "x.png: 20x20 pixels; sprites are 16x16 or a square multiple (32x32, ... up to 1024x1024)");
  EXPECT_EQ(error_of(Image{32, 16, std::vector<uint8_t>(32 * 16 * 3, 9), 3}), "x.png: 32x16 pixels; sprites are 16x16 or a square multiple (32x32, ... up to 1024x1024)");
  try {
    decode_sprite_png({'n', 'o', 't'}, 16, "y.png");
    ADD_FAILURE() << "not a PNG";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("y.png: not a PNG image this reads"), std::string::npos) << e.what();
  }
}

TEST(SpritePng, SizesOutsideTheSpriteRangeAreRefusedBeforeDecoding) {
  // 2x2 once passed the gutter rule (a sheet of nothing) and averaged zero pixels.
  const std::vector<uint8_t> rgba(2 * 2 * 4, 255);
  EXPECT_THROW(sprite_from_rgba(rgba.data(), 2, 2, 16, "tiny.png"), std::runtime_error);
  EXPECT_EQ(error_of(Image{1040, 1040, std::vector<uint8_t>(1040 * 1040 * 3, 9), 3}),
            "x.png: 1040x1040 pixels; sprites are 16x16 or a square multiple (32x32, ... up to 1024x1024)");
  // A header that claims 16000x16000 (768 MB of RGB) with almost no data: refused from the header, before stb_image
  // inflates anything (stb_image does not check chunk CRCs, so the patched header reads as it is).
  std::vector<uint8_t> png = encode_png(enlarged(test_sprite(), 1), {});
  for (int at : {16, 20}) {  // IHDR width and height, big-endian
    png[at] = 0, png[at + 1] = 0, png[at + 2] = 0x3E, png[at + 3] = 0x80;
  }
  try {
    decode_sprite_png(png, 16, "bomb.png");
    ADD_FAILURE() << "a 16000x16000 header";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "bomb.png: 16000x16000 pixels; sprites are 16x16 or a square multiple (32x32, ... up to 1024x1024)");
  }
}

TEST(SpritePng, AChunkLongerThanTheFileIsRefusedBeforeDecoding) {
  // stb_image would reserve an IDAT chunk's declared length before reading it: 1 GiB here.
  std::vector<uint8_t> png = encode_png(enlarged(test_sprite(), 1), {});
  const size_t idat = 33;  // signature 8 + IHDR 25
  ASSERT_EQ(std::string(png.begin() + idat + 4, png.begin() + idat + 8), "IDAT");
  png[idat] = 0x40, png[idat + 1] = 0, png[idat + 2] = 0, png[idat + 3] = 0;
  try {
    decode_sprite_png(png, 16, "cut.png");
    ADD_FAILURE() << "a 1 GiB IDAT chunk in a small file";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()).rfind("cut.png: a damaged PNG (a chunk at byte 33 claims 1073741824 bytes, ", 0), 0) << e.what();
  }
  // Bytes after IEND are not read, whatever they claim.
  std::vector<uint8_t> trailing = encode_png(enlarged(test_sprite(), 1), {});
  trailing.insert(trailing.end(), {0xFF, 0xFF, 0xFF, 0xFF, 'I', 'D', 'A', 'T'});
  EXPECT_EQ(decode_sprite_png(trailing, 16, "t.png"), test_sprite());
}

namespace {

// Deflate's bits go out least significant first; Huffman codes most significant bit first.
struct BitWriter {
  std::vector<uint8_t> bytes;
  int used = 8;
  void put(uint32_t value, int n) {
    for (int i = 0; i < n; ++i) {
      if (used == 8) bytes.push_back(0), used = 0;
      bytes.back() |= static_cast<uint8_t>(((value >> i) & 1) << used++);
    }
  }
  void put_code(uint32_t code, int n) {
    for (int i = n - 1; i >= 0; --i) put((code >> i) & 1, 1);
  }
};

void append_chunk(std::vector<uint8_t>& png, const char* type, const std::vector<uint8_t>& data) {
  for (int s : {24, 16, 8, 0}) png.push_back(static_cast<uint8_t>(data.size() >> s));
  png.insert(png.end(), type, type + 4);
  png.insert(png.end(), data.begin(), data.end());
  png.insert(png.end(), 4, 0);  // CRC: stb_image does not check it
}

// A 16x16 RGB PNG whose IDAT is one fixed-Huffman block of `inflated` zero bytes: a literal zero,
// copies of 258 bytes at distance 1 (13 bits each: inflated / 159 bytes in all), literals for the rest.
std::vector<uint8_t> zlib_bomb_png(size_t inflated) {
  BitWriter z;
  z.bytes = {0x78, 0x01};
  z.put(1, 1), z.put(1, 2);  // the last block, fixed Huffman codes
  z.put_code(0x30, 8);       // literal 0
  size_t n = 1;
  for (; n + 258 <= inflated; n += 258) z.put_code(0xC5, 8), z.put_code(0, 5);  // length 258, distance 1
  for (; n < inflated; ++n) z.put_code(0x30, 8);
  z.put_code(0, 7);  // end of block
  z.bytes.insert(z.bytes.end(), 4, 0);  // Adler-32: stb_image does not check it
  std::vector<uint8_t> png = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  append_chunk(png, "IHDR", {0, 0, 0, 16, 0, 0, 0, 16, 8, 2, 0, 0, 0});
  append_chunk(png, "IDAT", z.bytes);
  append_chunk(png, "IEND", {});
  return png;
}

}  // namespace

TEST(SpritePng, AZlibBombIsRefusedBeforeItTakesTheMemory) {
  // 1.1 MB that would inflate to 192 MB for a sprite whose pixels are 784 bytes.
  const auto png = zlib_bomb_png(size_t{192} << 20);
  try {
    decode_sprite_png(png, 16, "bomb.png");
    ADD_FAILURE() << "a zlib bomb";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "bomb.png: a damaged PNG (its pixel data inflates past 64 MB, more than any sprite needs)");
  }
  // The same stream at the sprite's size (16 rows of a filter byte and 48 zeros) is a black sprite.
  EXPECT_EQ(decode_sprite_png(zlib_bomb_png(16 * 49), 16, "black.png"), std::vector<uint8_t>(16 * 16 * 3, 0));
}

// A whole sheet as `sprites sample` writes it: every sprite back to the byte, row by row, at any
// scale, its empty last cells left out (white, or transparent in an RGBA sheet); one sprite is a
// sheet of one; other sizes, too many sprites or too many pixels are one line, the last two before decoding.
TEST(SpritePng, SheetsComeBackAsTheirSprites) {
  std::vector<uint8_t> five;
  for (int k = 0; k < 5; ++k)
    for (uint8_t v : test_sprite()) five.push_back(static_cast<uint8_t>(v + 40 * k));
  for (int scale : {1, 3}) {  // 3 columns (grid_columns(5)), the sixth cell empty
    const Image sheet = sprite_sheet(five, 5, 16, grid_columns(5), scale, false);
    EXPECT_EQ(decode_sprite_sheet_png(encode_png(sheet, {}), 16, "sheet.png"), five) << "scale " << scale;
  }
  const Image wide = sprite_sheet(five, 5, 16, 5, 2, false);  // one row
  EXPECT_EQ(decode_sprite_sheet_png(encode_png(wide, {}), 16, "row.png"), five);
  const Image rgba = sprite_sheet(five, 5, 16, 3, 1, true);
  EXPECT_EQ(decode_sprite_sheet_png(encode_png(rgba, {}), 16, "t.png").size(), five.size()) << "the transparent empty cell is left out";
  const auto one = test_sprite();
  EXPECT_EQ(decode_sprite_sheet_png(encode_png(enlarged(one, 4), {}), 16, "art.png"), one);
  // 225 sprites at scale 1 make 256x256 pixels, the size of one sprite drawn 16 times larger: the
  // white gutters say which it is.
  std::vector<uint8_t> grid225;
  for (int k = 0; k < 225; ++k)
    for (uint8_t v : one) grid225.push_back(static_cast<uint8_t>(v + k));
  const Image square = sprite_sheet(grid225, 225, 16, 15, 1, false);
  ASSERT_EQ(square.width, 256);
  EXPECT_EQ(decode_sprite_sheet_png(encode_png(square, {}), 16, "225.png"), grid225);
  EXPECT_EQ(decode_sprite_sheet_png(encode_png(enlarged(one, 16), {}), 16, "art16.png"), one);
  EXPECT_EQ(decode_sprite_sheet_png(encode_png(sprite_sheet(one, 1, 16, 1, 2, false), {}), 16, "one.png"), one);

  auto error_of_sheet = [](const std::vector<uint8_t>& png) {
    return testutil::error_of<std::runtime_error>([&] { decode_sprite_sheet_png(png, 16, "x.png"); });
  };
  EXPECT_EQ(error_of_sheet(encode_png(Image{40, 20, std::vector<uint8_t>(40 * 20 * 3, 9), 3}, {})),
            "x.png: 40x20 pixels; neither a 16x16 sprite (or a square multiple) nor a sheet of them with 1-pixel gutters, as sprites sample writes");
  std::vector<uint8_t> many;
  for (int k = 0; k < 33 * 32; ++k) many.insert(many.end(), one.begin(), one.end());
  EXPECT_EQ(error_of_sheet(encode_png(sprite_sheet(many, 33 * 32, 16, 33, 1, false), {})), "x.png: a sheet of 1056 sprites; at most 1024");
  // 241 x 2 cells of 17 pixels, 4098 wide: refused from the header, before decoding.
  std::vector<uint8_t> png = encode_png(sprite_sheet(one, 1, 16, 1, 1, false), {});
  auto claim = [&](uint32_t w, uint32_t h) {
    for (auto [at, v] : {std::pair{16, w}, std::pair{20, h}})  // IHDR width and height, big-endian
      png[at] = v >> 24, png[at + 1] = (v >> 16) & 255, png[at + 2] = (v >> 8) & 255, png[at + 3] = v & 255;
    return png;
  };
  EXPECT_EQ(error_of_sheet(claim(241 * 17 + 1, 2 * 17 + 1)),
            "x.png: 4098x35 pixels; neither a 16x16 sprite (or a square multiple) nor a sheet of them with 1-pixel gutters, as sprites sample "
            "writes, up to 4096 pixels a side");
}
