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
  auto error_of = [](std::vector<uint8_t> bytes) {
    return testutil::error_of<std::runtime_error>([&] { parse_pth_state_dict(std::move(bytes), "x.pth"); });
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

// A zip archive with one stored entry, as torch.save writes them (no CRC: the reader does not check it).
static std::vector<uint8_t> stored_zip(const std::string& name, const std::vector<uint8_t>& data) {
  std::vector<uint8_t> z;
  auto u16 = [&](uint32_t v) { z.insert(z.end(), {uint8_t(v), uint8_t(v >> 8)}); };
  auto u32 = [&](uint32_t v) { u16(v & 0xffff), u16(v >> 16); };
  auto bytes = [&](const auto& b) { z.insert(z.end(), b.begin(), b.end()); };
  u32(0x04034b50), u16(20), u16(0), u16(0), u16(0), u16(0), u32(0), u32(data.size()), u32(data.size()), u16(name.size()), u16(0);
  bytes(name), bytes(data);
  const auto directory = static_cast<uint32_t>(z.size());
  u32(0x02014b50), u16(20), u16(20), u16(0), u16(0), u16(0), u16(0), u32(0), u32(data.size()), u32(data.size());
  u16(name.size()), u16(0), u16(0), u16(0), u16(0), u32(0), u32(0);
  bytes(name);
  u32(0x06054b50), u16(0), u16(0), u16(1), u16(1), u32(z.size() - directory), u32(directory), u16(0);
  return z;
}

// Pickles that build a list holding itself, or lists nested a million deep, are refused like any
// other non-state_dict: without leaking the cycle (ASan's leak check) or freeing the nest recursively
// until the stack runs out.
TEST(PthReader, SelfHoldingAndDeeplyNestedPicklesAreRefusedCleanly) {
  auto error_of = [](const std::vector<uint8_t>& pickle) {
    return testutil::error_of<std::runtime_error>([&] { parse_pth_state_dict(stored_zip("archive/data.pkl", pickle), "x.pth"); });
  };
  // PROTO 2, EMPTY_LIST, BINPUT 0, BINGET 0, APPEND, STOP
  EXPECT_EQ(error_of({0x80, 2, ']', 'q', 0, 'h', 0, 'a', '.'}), "x.pth: the pickle does not hold a state_dict (a dict of tensors)");
  std::vector<uint8_t> nest = {0x80, 2};
  const size_t depth = 1000000;
  nest.insert(nest.end(), depth, ']');
  nest.insert(nest.end(), depth - 1, 'a');
  nest.push_back('.');
  EXPECT_EQ(error_of(nest), "x.pth: the pickle does not hold a state_dict (a dict of tensors)");
}
