// Exported weights: BatchNorm folding, fp32/fp16 round trips, loading checks.
#include "tiny_run.h"

using namespace sprites;

// A model with trained-looking BatchNorm statistics, so folding has something to fold.
static ContextUnet model_with_bn_stats() {
  torch::manual_seed(3);
  ContextUnet m(UnetConfig{3, 16, 5, 16});
  m->train();
  torch::NoGradGuard ng;
  for (int i = 0; i < 3; ++i)
    m->forward(torch::randn({8, 3, 16, 16}) * 2 + 0.3, torch::rand({8, 1}), torch::rand({8, 5}));
  m->eval();
  return m;
}

TEST(Export, Fp32RoundTripIsExact) {
  auto m = model_with_bn_stats();
  const std::string path = testutil::temp_dir() + "/w.safetensors";
  export_safetensors(m, path, WeightsDtype::f32, {{"epoch", "3"}});
  auto st = load_safetensors(path);
  auto want = folded_state(m);
  ASSERT_EQ(st.tensors.size(), want.size());
  for (auto& [name, t] : want) {
    const auto& e = st.tensors.at(name);
    auto got = torch::from_blob(const_cast<uint8_t*>(st.data(e)), t.sizes(), torch::kFloat);
    EXPECT_TRUE(torch::equal(got, t)) << name;
  }
  EXPECT_EQ(st.metadata.at("epoch"), "3");
  EXPECT_EQ(st.metadata.count("bn_folded"), 1u);
  for (auto& [name, e] : st.tensors) EXPECT_EQ(name.find("running_"), std::string::npos) << "training state in " << name;
}

TEST(Export, ChannelsLastWeightsExportTheSameBytes) {  // a --channels-last run's exports
  auto m = model_with_bn_stats();
  const std::string dir = testutil::temp_dir();
  for (auto dtype : {WeightsDtype::f32, WeightsDtype::f16, WeightsDtype::int8}) {
    export_safetensors(m, dir + "/nchw.safetensors", dtype, {});
    set_memory_format(m, torch::MemoryFormat::ChannelsLast);
    ASSERT_FALSE(first_conv_weight(m).is_contiguous());
    export_safetensors(m, dir + "/nhwc.safetensors", dtype, {});
    set_memory_format(m, torch::MemoryFormat::Contiguous);
    EXPECT_EQ(testutil::read_bytes(dir + "/nchw.safetensors"), testutil::read_bytes(dir + "/nhwc.safetensors"));
  }
}

TEST(Export, BatchNormFoldingKeepsOutputsWithin1e4) {
  auto m = model_with_bn_stats();
  const std::string path = testutil::temp_dir() + "/w.safetensors";
  export_safetensors(m, path, WeightsDtype::f32, {});
  auto folded = load_folded_model(path);
  torch::NoGradGuard ng;
  auto x = torch::randn({4, 3, 16, 16});
  auto t = torch::rand({4, 1});
  auto c = torch::rand({4, 5});
  auto diff = (m->forward(x, t, c) - folded->forward(x, t, c)).abs().max().item<double>();
  EXPECT_LT(diff, 1e-4);
}

TEST(Export, Fp16WeightsStayClose) {
  auto m = model_with_bn_stats();
  const std::string path = testutil::temp_dir() + "/w.safetensors";
  export_safetensors(m, path, WeightsDtype::f16, {});
  auto folded = load_folded_model(path);
  torch::NoGradGuard ng;
  auto x = torch::randn({4, 3, 16, 16});
  auto diff = (m->forward(x, torch::rand({4, 1}), torch::zeros({4, 5})) -
               folded->forward(x, torch::rand({4, 1}), torch::zeros({4, 5})))
                  .abs()
                  .max()
                  .item<double>();
  EXPECT_TRUE(std::isfinite(diff));
  auto st = load_safetensors(path);
  EXPECT_EQ(st.tensors.begin()->second.dtype, "F16");
}

TEST(Export, Int8WeightsStayCloseAndLoadInTheCoreAndLibTorch) {
  auto m = model_with_bn_stats();
  const std::string dir = testutil::temp_dir();
  export_safetensors(m, dir + "/w8.safetensors", WeightsDtype::int8, {{"labels", "a,b,c,d,e"}});
  const auto st = load_safetensors(dir + "/w8.safetensors");
  EXPECT_EQ(st.metadata.at("quantization"), "int8-per-channel");
  EXPECT_EQ(st.tensors.at("up0.0.weight").dtype, "I8");
  EXPECT_EQ(st.tensors.at("up0.0.bias").dtype, "F32");
  const UnetWeights core = load_unet_weights(dir + "/w8.safetensors");  // what the page and CLI read
  auto folded = load_folded_model(dir + "/w8.safetensors");
  auto exact = folded_state(m);
  for (auto& [name, t] : exact) {
    auto got = torch::from_blob(const_cast<float*>(core.at(name).data.data()), t.sizes(), torch::kFloat);
    const double step = t.abs().max().item<double>() / 127;  // no channel's step is larger
    EXPECT_LE((got - t).abs().max().item<double>(), 0.5 * step + 1e-7) << name;
  }
  torch::NoGradGuard ng;
  auto x = torch::randn({4, 3, 16, 16});
  auto tt = torch::rand({4, 1});
  auto c = torch::rand({4, 5});
  const double diff = (m->forward(x, tt, c) - folded->forward(x, tt, c)).abs().max().item<double>();
  EXPECT_LT(diff, 0.1);
}

TEST(Export, LoadingRejectsMismatchedWeights) {
  auto m = model_with_bn_stats();
  const std::string dir = testutil::temp_dir();
  export_safetensors(m, dir + "/w.safetensors", WeightsDtype::f32, {});
  auto st = load_safetensors(dir + "/w.safetensors");
  // Claim a wider model than the tensors hold.
  std::vector<TensorOut> ts;
  for (auto& [name, e] : st.tensors)
    ts.push_back({name, e.dtype, e.shape, std::vector<uint8_t>(st.data(e), st.data(e) + (e.end - e.begin))});
  auto meta = st.metadata;
  meta["n_feat"] = "32";
  testutil::write_bytes(dir + "/wide.safetensors", serialize_safetensors(ts, meta));
  try {
    load_folded_model(dir + "/wide.safetensors");
    FAIL() << "expected a shape error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("the model needs"), std::string::npos) << e.what();
  }
  ts.pop_back();
  testutil::write_bytes(dir + "/short.safetensors", serialize_safetensors(ts, st.metadata));
  EXPECT_THROW(load_folded_model(dir + "/short.safetensors"), std::runtime_error);
}
