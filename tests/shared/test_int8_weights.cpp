// The compact 8-bit format: what it keeps of the weights, and one clear error for each way a file can
// get it wrong.
#include "engine.h"
#include "int8_weights.h"
#include "sample.h"
#include "test_util.h"
#include "unet_weights.h"
#include "weights_edit.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <functional>

using namespace sprites;

namespace {

std::vector<uint8_t> int8_bytes(const UnetWeights& w) {
  return serialize_int8_weights(w.tensors, expected_unet_tensors(w.arch), w.metadata);
}

const UnetWeights& fp16_weights() {
  static const UnetWeights w = load_unet_weights(testutil::kDefaultWeights);
  return w;
}

// The 8-bit default weights rewritten by `edit`; returns the load error ("" if it loaded).
std::string error_after(const testutil::WeightsEdit& edit) {
  return testutil::load_error_after(parse_safetensors(int8_bytes(fp16_weights()), "w8"), edit, "w8.safetensors");
}

TensorOut& find(std::vector<TensorOut>& ts, const std::string& name) {
  for (auto& t : ts)
    if (t.name == name) return t;
  throw std::logic_error(name);
}

void set_floats(TensorOut& t, const std::vector<float>& v) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(v.data());
  t.data.assign(bytes, bytes + v.size() * 4);
}

}  // namespace

TEST(Int8Weights, RoundTripKeepsEveryWeightWithinHalfAStep) {
  const UnetWeights& w = fp16_weights();
  const auto bytes = int8_bytes(w);
  const SafeTensors st = parse_safetensors(bytes, "w8");
  const UnetWeights back = load_unet_weights(st, "w8");
  EXPECT_EQ(back.metadata.at(kQuantizationKey), kInt8PerChannel);
  EXPECT_EQ(back.labels, w.labels);
  EXPECT_EQ(back.tensors.size(), w.tensors.size());
  size_t quantized = 0;
  for (auto& [name, spec] : expected_unet_tensors(w.arch)) {
    const auto& a = w.at(name).data;
    const auto& b = back.at(name).data;
    ASSERT_EQ(a.size(), b.size()) << name;
    if (spec.channel_axis < 0 || int8_keeps_float(name)) {
      EXPECT_EQ(st.tensors.at(name).dtype, "F32") << name;
      EXPECT_EQ(a, b) << name;
      continue;
    }
    ++quantized;
    EXPECT_EQ(st.tensors.at(name).dtype, "I8") << name;
    const TensorEntry& s = st.tensors.at(int8_scale_name(name));
    EXPECT_EQ(s.shape, int8_scale_shape(spec.shape, spec.channel_axis)) << name;
    std::vector<float> scale(s.shape[static_cast<size_t>(spec.channel_axis)]);
    std::memcpy(scale.data(), st.data(s), scale.size() * 4);
    const float largest_scale = *std::max_element(scale.begin(), scale.end());
    for (size_t i = 0; i < a.size(); ++i) ASSERT_LE(std::fabs(a[i] - b[i]), 0.5f * largest_scale * 1.0001f) << name << "[" << i << "]";
  }
  EXPECT_EQ(quantized, 31u);  // 21 convs, 3 transposed convs, 8 linears, less the last conv
  // Half the bytes of fp16, give or take the scales and F32 biases.
  EXPECT_LT(bytes.size(), testutil::read_bytes(testutil::kDefaultWeights).size() * 52 / 100);
}

// The course's sampler reuses the network 500 times with fresh noise, so a bias in the predicted
// noise adds up where DDIM's 25 steps do not see it: from the same noise, the 8-bit file's DDPM
// sprites stay with the fp16 file's (with the last convolution quantized they were 5-8 levels
// brighter in every channel, 8 levels apart on average on these 4 sprites).
TEST(Int8Weights, DdpmOnTheEightBitFileDrawsTheFp16FilesSprites) {
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
  GTEST_SKIP() << "1,000 network passes under ASan: 11 s alone, 40 s beside other tests; the native build runs this";
#endif
#endif
  const UnetWeights& w = fp16_weights();
  const UnetWeights w8 = load_unet_weights(parse_safetensors(int8_bytes(w), "w8"), "w8");
  const EngineInfo eng = init_engine(0);
  ASSERT_TRUE(eng.ok) << eng.message;
  SampleParams p;
  p.sampler = "ddpm";
  p.count = 4;
  p.seed = 7;
  p.context = {1, 0, 0, 0, 0};
  const auto draw = [&](const UnetWeights& weights) {
    UnetXnn net(weights, eng.pool);
    std::vector<float> x;
    EXPECT_TRUE(sample(net, schedule_for(weights.arch), p, x));
    return to_rgb8(x);
  };
  const auto a = draw(w), b = draw(w8);
  ASSERT_EQ(a.size(), b.size());
  double apart = 0, bias[3] = {0, 0, 0};
  for (size_t i = 0; i < a.size(); ++i) {
    apart += std::abs(int(a[i]) - int(b[i]));
    bias[i % 3] += int(b[i]) - int(a[i]);
  }
  apart /= static_cast<double>(a.size());
  for (double& c : bias) c /= static_cast<double>(a.size() / 3);
  std::printf("DDPM-500, 4 sprites: 8-bit %.2f levels from fp16 on average, bias per channel %.2f %.2f %.2f\n", apart, bias[0], bias[1], bias[2]);
  EXPECT_LT(apart, 4.0);
  for (double c : bias) EXPECT_LT(std::fabs(c), 2.0);
}

TEST(Int8Weights, TransposedConvsAreScaledPerOutputChannel) {
  const UnetWeights& w = fp16_weights();
  const SafeTensors st = parse_safetensors(int8_bytes(w), "w8");
  const TensorEntry& s = st.tensors.at("up1.model.0.weight.scale");  // IOHW [256, 64, 2, 2]
  EXPECT_EQ(s.shape, (std::vector<int64_t>{1, 64, 1, 1}));
}

TEST(Int8Weights, ZeroChannelsStayExactlyZero) {
  UnetWeights w = fp16_weights();
  auto& sc = w.tensors.at("init_conv.shortcut.weight").data;  // the course import's zero shortcut
  std::fill(sc.begin(), sc.end(), 0.0f);
  const UnetWeights back = load_unet_weights(parse_safetensors(int8_bytes(w), "w8"), "w8");
  for (float v : back.at("init_conv.shortcut.weight").data) ASSERT_EQ(v, 0.0f);
}

TEST(Int8Weights, TheUnchangedFileLoads) { EXPECT_EQ(error_after([](auto&, auto&) {}), ""); }

TEST(Int8Weights, RejectsI8WithoutTheSchemeInMetadata) {
  const auto e = error_after([](auto&, auto& meta) { meta.erase(kQuantizationKey); });
  EXPECT_EQ(e, "w8.safetensors: tensor 'contextembed1.model.0.weight' is I8 but __metadata__ names no quantization");
}

TEST(Int8Weights, RejectsAnUnknownScheme) {
  const auto e = error_after([](auto&, auto& meta) { meta[kQuantizationKey] = "int4-groupwise"; });
  EXPECT_NE(e.find("quantization 'int4-groupwise' is not one this core reads"), std::string::npos) << e;
}

TEST(Int8Weights, RejectsAMissingScale) {
  const auto e = error_after([](auto& ts, auto&) {
    ts.erase(std::find_if(ts.begin(), ts.end(), [](auto& t) { return t.name == "out.0.weight.scale"; }));
  });
  EXPECT_EQ(e, "w8.safetensors: missing tensor 'out.0.weight.scale' (the scales of the I8 tensor 'out.0.weight')");
}

TEST(Int8Weights, RejectsScalesOfTheWrongDtype) {
  const auto e = error_after([](auto& ts, auto&) {
    auto& s = find(ts, "out.0.weight.scale");
    s.dtype = "I32";
  });
  EXPECT_EQ(e, "w8.safetensors: tensor 'out.0.weight.scale' has dtype I32, expected F32");
}

TEST(Int8Weights, RejectsScalesPerInputChannel) {
  const auto e = error_after([](auto& ts, auto&) {
    auto& s = find(ts, "up1.model.0.weight.scale");  // [1,64,1,1] -> [256,1,1,1]: the input axis
    s.shape = {256, 1, 1, 1};
    set_floats(s, std::vector<float>(256, 0.01f));
  });
  EXPECT_EQ(e, "w8.safetensors: tensor 'up1.model.0.weight.scale' does not have one scale per output channel of 'up1.model.0.weight'");
}

TEST(Int8Weights, RejectsZeroNegativeAndNaNScales) {
  for (float bad : {0.0f, -0.01f, std::nanf(""), INFINITY}) {
    const auto e = error_after([bad](auto& ts, auto&) {
      auto& s = find(ts, "out.0.weight.scale");
      std::vector<float> v(64, 0.01f);
      v[1] = bad;
      set_floats(s, v);
    });
    EXPECT_EQ(e, "w8.safetensors: tensor 'out.0.weight.scale' holds a scale that is not a positive number") << bad;
  }
}

TEST(Int8Weights, RejectsI8WhereTheShapeIsWrong) {
  const auto e = error_after([](auto& ts, auto&) {
    auto& t = find(ts, "out.3.weight");
    t.shape = {3, 64, 9, 1};
  });
  EXPECT_NE(e.find("tensor 'out.3.weight' has shape [3,64,9,1], expected [3,64,3,3]"), std::string::npos) << e;
}

TEST(Int8Weights, RejectsI8BiasesAndStrayScales) {
  auto e = error_after([](auto& ts, auto&) {
    auto& t = find(ts, "out.3.bias");
    t = {"out.3.bias", "I8", {3}, {1, 2, 3}};
    ts.push_back({"out.3.bias.scale", "F32", {3}, std::vector<uint8_t>(12, 0)});
  });
  EXPECT_EQ(e, "w8.safetensors: tensor 'out.3.bias' is I8 but only conv and linear weights may be");
  e = error_after([](auto& ts, auto&) { ts.push_back({"out.3.bias.scale", "F32", {3}, std::vector<uint8_t>(12, 0)}); });
  EXPECT_EQ(e, "w8.safetensors: unexpected tensor 'out.3.bias.scale'");
}
