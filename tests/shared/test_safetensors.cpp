#include "safetensors.h"
#include "test_util.h"

#include <gtest/gtest.h>

#include <cstring>

using namespace sprites;

static std::vector<uint8_t> floats(std::initializer_list<float> v) {
  std::vector<uint8_t> out(v.size() * 4);
  std::memcpy(out.data(), std::data(v), out.size());
  return out;
}

static std::vector<uint8_t> sample_file() {
  return serialize_safetensors({{"a.weight", "F32", {2, 2}, floats({1, 2, 3, 4})}, {"b", "F16", {1}, {0x00, 0x3c}}},
                               {{"architecture", "ContextUnet"}});
}

// A file with the given raw JSON header and data section.
static std::vector<uint8_t> raw_file(const std::string& header, size_t data_bytes) {
  std::vector<uint8_t> out;
  out.reserve(8 + header.size() + data_bytes);
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<uint8_t>(static_cast<uint64_t>(header.size()) >> (8 * i)));
  out.insert(out.end(), header.begin(), header.end());
  out.resize(out.size() + data_bytes);
  return out;
}

static std::string parse_error(std::vector<uint8_t> bytes) {
  try {
    parse_safetensors(std::move(bytes), "w.safetensors");
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}

TEST(Safetensors, RoundTripKeepsTensorsAndMetadata) {
  auto st = parse_safetensors(sample_file(), "mem");
  ASSERT_EQ(st.tensors.size(), 2u);
  EXPECT_EQ(st.metadata.at("architecture"), "ContextUnet");
  const auto& a = st.tensors.at("a.weight");
  EXPECT_EQ(a.dtype, "F32");
  EXPECT_EQ(a.shape, (std::vector<int64_t>{2, 2}));
  float v[4];
  std::memcpy(v, st.data(a), 16);
  EXPECT_EQ(v[3], 4.0f);
  EXPECT_EQ(st.data(st.tensors.at("b"))[1], 0x3c);
  EXPECT_EQ(st.data_start % 8, 0u) << "data section must stay 8-byte aligned";
}

TEST(Safetensors, FileRoundTrip) {
  const std::string path = testutil::temp_dir() + "/w.safetensors";
  testutil::write_bytes(path, sample_file());
  EXPECT_EQ(load_safetensors(path).tensors.size(), 2u);
}

TEST(Safetensors, RejectsMissingFile) {
  EXPECT_THROW(load_safetensors("/nonexistent/w.safetensors"), std::runtime_error);
}

TEST(Safetensors, RejectsTruncatedFile) {
  auto b = sample_file();
  b.resize(b.size() - 3);
  EXPECT_NE(parse_error(b).find("outside the file"), std::string::npos) << parse_error(b);
  EXPECT_NE(parse_error({1, 2, 3}).find("too short"), std::string::npos);
}

TEST(Safetensors, RejectsHugeHeaderLength) {
  std::vector<uint8_t> b(64, 0);
  b[5] = 1;  // 2^40
  EXPECT_NE(parse_error(b).find("exceeds"), std::string::npos);
  b = sample_file();
  b[0] = 0xff;
  b[1] = 0xff;  // beyond the file, under the limit
  EXPECT_NE(parse_error(b).find("past the end"), std::string::npos);
}

TEST(Safetensors, RejectsBadJson) {
  EXPECT_NE(parse_error(raw_file("{\"a\": ", 0)).find("not valid JSON"), std::string::npos);
  EXPECT_NE(parse_error(raw_file("[1,2]", 0)).find("not a JSON object"), std::string::npos);
}

TEST(Safetensors, RejectsInconsistentEntries) {
  EXPECT_NE(parse_error(raw_file(R"({"a":{"dtype":"Q4","shape":[1],"data_offsets":[0,1]}})", 1)).find("unknown dtype"),
            std::string::npos);
  EXPECT_NE(parse_error(raw_file(R"({"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}})", 8)).find("its shape needs"),
            std::string::npos);
  EXPECT_NE(parse_error(raw_file(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}})", 8)).find("outside"),
            std::string::npos);
  EXPECT_NE(parse_error(raw_file(R"({"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}})", 8)).find("bad shape"),
            std::string::npos);
  EXPECT_NE(parse_error(raw_file(R"({"a":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,8]}})", 8))
                .find("larger than the file"),
            std::string::npos);
  EXPECT_NE(parse_error(raw_file(R"({"a":{"dtype":"F32"}})", 0)).find("needs dtype"), std::string::npos);
  EXPECT_NE(parse_error(raw_file(R"({"__metadata__":{"x":1}})", 0)).find("not a string"), std::string::npos);
}

// Names come from the file: a JSON "\n" in one must not split the message (the CLI prints its first
// line), and a long one is cut.
TEST(Safetensors, MessagesQuoteNamesOnOneLine) {
  EXPECT_EQ(parse_error(raw_file(R"({"a\nb\u0007":{"dtype":"Q\n4","shape":[1],"data_offsets":[0,1]}})", 1)),
            "w.safetensors: tensor 'a?b?' has unknown dtype Q?4");
  const std::string long_name(100, 'x');
  EXPECT_EQ(parse_error(raw_file("{\"" + long_name + "\":{\"dtype\":\"F32\"}}", 0)),
            "w.safetensors: tensor '" + std::string(60, 'x') + "...' needs dtype, shape and two data_offsets");
}
