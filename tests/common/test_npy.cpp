#include "common/npy.h"
#include "test_util.h"

#include <gtest/gtest.h>

#include <cstring>

using namespace sprites;

static std::vector<uint8_t> one_hot_f8(int n, int k) {
  std::vector<uint8_t> out(static_cast<size_t>(n * k * 8), 0);
  for (int i = 0; i < n; ++i) {
    const double one = 1.0;
    std::memcpy(&out[static_cast<size_t>((i * k + i % k) * 8)], &one, 8);
  }
  return out;
}

static std::string error_of(const std::string& images, const std::string& labels) {
  try {
    load_sprite_arrays(images, labels);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}

struct NpyFiles : ::testing::Test {
  std::string dir = testutil::temp_dir();
  std::string put(const std::string& name, const std::vector<uint8_t>& bytes) {
    testutil::write_bytes(dir + "/" + name, bytes);
    return dir + "/" + name;
  }
};

TEST_F(NpyFiles, ReadsCourseLayout) {
  std::vector<uint8_t> px(3 * 2 * 2 * 3);
  for (size_t i = 0; i < px.size(); ++i) px[i] = static_cast<uint8_t>(i);
  auto im = put("im.npy", testutil::npy_bytes("|u1", {3, 2, 2, 3}, px));
  auto lb = put("lb.npy", testutil::npy_bytes("<f8", {3, 5}, one_hot_f8(3, 5)));
  auto s = load_sprite_arrays(im, lb);
  EXPECT_EQ(s.n, 3);
  EXPECT_EQ(s.height, 2);
  EXPECT_EQ(s.n_classes, 5);
  EXPECT_EQ(s.images[35], 35);
  EXPECT_EQ(s.labels[2 * 5 + 2], 1.0f);
  EXPECT_EQ(s.labels[2 * 5 + 1], 0.0f);
}

TEST_F(NpyFiles, ReadsTheShippedDataset) {
  auto s = load_sprite_arrays(SPRITES_SOURCE_DIR "/assets/dataset/sprites_2642_16x16.npy",
                              SPRITES_SOURCE_DIR "/assets/dataset/sprite_labels_nc_2642_16x16.npy");
  EXPECT_EQ(s.n, 2642);
  EXPECT_EQ(s.height, 16);
  EXPECT_EQ(s.n_classes, 5);
}

TEST_F(NpyFiles, RejectsMissingFile) {
  auto lb = put("lb.npy", testutil::npy_bytes("<f8", {1, 5}, one_hot_f8(1, 5)));
  EXPECT_NE(error_of(dir + "/nope.npy", lb).find("cannot open"), std::string::npos);
}

TEST_F(NpyFiles, RejectsCorruptAndTruncatedFiles) {
  auto lb = put("lb.npy", testutil::npy_bytes("<f8", {2, 5}, one_hot_f8(2, 5)));
  auto bad_magic = put("bad.npy", {'N', 'O', 'T', 'N', 'P', 'Y', 1, 0, 0, 0});
  EXPECT_NE(error_of(bad_magic, lb).find("bad magic"), std::string::npos);
  auto bytes = testutil::npy_bytes("|u1", {2, 4, 4, 3}, std::vector<uint8_t>(96));
  bytes.resize(bytes.size() - 10);
  EXPECT_NE(error_of(put("trunc.npy", bytes), lb).find("truncated data"), std::string::npos);
  auto header_cut = testutil::npy_bytes("|u1", {2, 4, 4, 3}, {});
  header_cut.resize(30);
  EXPECT_NE(error_of(put("hdr.npy", header_cut), lb).find("truncated header"), std::string::npos);
}

TEST_F(NpyFiles, RejectsWrongShapesAndTypes) {
  auto lb2 = put("lb2.npy", testutil::npy_bytes("<f8", {2, 5}, one_hot_f8(2, 5)));
  auto gray = put("gray.npy", testutil::npy_bytes("|u1", {2, 4, 4}, std::vector<uint8_t>(32)));
  EXPECT_NE(error_of(gray, lb2).find("(N, H, W, 3)"), std::string::npos);
  auto floats = put("f.npy", testutil::npy_bytes("<f4", {2, 4, 4, 3}, std::vector<uint8_t>(384)));
  EXPECT_NE(error_of(floats, lb2).find("uint8"), std::string::npos);
  auto im3 = put("im3.npy", testutil::npy_bytes("|u1", {3, 4, 4, 3}, std::vector<uint8_t>(144)));
  EXPECT_NE(error_of(im3, lb2).find("to match the images"), std::string::npos);
}

// Found while writing the fuzz target: inputs that used to escape the one-line errors (an element
// size stoul could not hold threw std::out_of_range) or overflow a shape product.
TEST(ParseNpy, HugeElementSizesAndShapesGiveOneLineErrors) {
  auto error_of = [](const std::vector<uint8_t>& bytes) -> std::string {
    try {
      sprites::parse_npy(bytes, "x.npy");
    } catch (const std::runtime_error& e) {
      return e.what();
    }
    return "";
  };
  EXPECT_NE(error_of(testutil::npy_bytes("<f99999999999999999999", {2}, {})).find("x.npy: not a valid .npy file"), std::string::npos);
  EXPECT_NE(error_of(testutil::npy_bytes("<f8", {4294967296, 4294967296, 4294967296}, {})).find("truncated data"), std::string::npos);
  EXPECT_NE(error_of(testutil::npy_bytes("<f8", {99999999999999}, {})).find("too large"), std::string::npos);
  EXPECT_EQ(sprites::parse_npy(testutil::npy_bytes("|u1", {0, 7}, {}), "x.npy").data.size(), 0u);
}
