// The core's .pth reader (no LibTorch) on a state_dict python3-torch wrote (tests/fuzz/corpus/pth,
// the fuzz target's seed): names, dtypes, shapes, and a strided view copied out in C order.
#include "pth_reader.h"
#include "test_util.h"

#include <gtest/gtest.h>

#include <cstring>

using namespace sprites;

static const std::string kTiny = SPRITES_SOURCE_DIR "/tests/fuzz/corpus/pth/tiny_state_dict.pth";

template <class T>
static std::vector<T> values(const PthTensor& t) {
  std::vector<T> v(t.data.size() / sizeof(T));
  std::memcpy(v.data(), t.data.data(), t.data.size());
  return v;
}

TEST(PthReader, ReadsNamesDtypesShapesAndStridedViews) {
  const auto sd = parse_pth_state_dict(testutil::read_bytes(kTiny), "tiny.pth");
  ASSERT_EQ(sd.size(), 6u);
  EXPECT_EQ(sd.at("conv.weight").dtype, "F32");
  EXPECT_EQ(sd.at("conv.weight").shape, (std::vector<int64_t>{2, 3, 3, 3}));
  EXPECT_EQ(sd.at("conv.weight").data.size(), 2u * 27 * 4);
  EXPECT_EQ(sd.at("bn.running_var").dtype, "F64");
  EXPECT_EQ(sd.at("half").dtype, "F16");
  EXPECT_EQ(sd.at("bn.num_batches_tracked").dtype, "I64");
  EXPECT_TRUE(sd.at("bn.num_batches_tracked").shape.empty());
  EXPECT_EQ(values<int64_t>(sd.at("bn.num_batches_tracked")), std::vector<int64_t>{7});
  // torch.arange(12.).reshape(3, 4).t(): saved as the 3x4 storage with strides (1, 4).
  EXPECT_EQ(sd.at("view").shape, (std::vector<int64_t>{4, 3}));
  EXPECT_EQ(values<float>(sd.at("view")), (std::vector<float>{0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11}));
}

TEST(PthReader, DamagedFilesGiveOneLineNamingTheFile) {
  const auto good = testutil::read_bytes(kTiny);
  auto error_of = [](std::vector<uint8_t> bytes) -> std::string {
    try {
      parse_pth_state_dict(std::move(bytes), "x.pth");
    } catch (const std::runtime_error& e) {
      return e.what();
    }
    return "";
  };
  EXPECT_NE(error_of({}).find("x.pth: too short"), std::string::npos);
  EXPECT_NE(error_of(std::vector<uint8_t>(good.begin(), good.begin() + static_cast<long>(good.size() / 2))).find("x.pth: "), std::string::npos);
  for (size_t at : {40u, 200u, 700u, 1500u}) {
    auto bad = good;
    for (size_t i = at; i < at + 64 && i < bad.size(); ++i) bad[i] ^= 0xa5;
    const std::string e = error_of(bad);
    if (!e.empty()) EXPECT_EQ(e.rfind("x.pth: ", 0), 0u) << e;
  }
}
