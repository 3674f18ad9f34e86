// The inference core (XNNPACK) against LibTorch on the same weights: one forward pass at several
// batch sizes (with Winograd and with direct 3x3 convolutions), and a whole DDIM-25 run from the
// same starting noise.
#include "engine.h"
#include "export_weights.h"
#include "int8_weights.h"
#include "philox_noise.h"
#include "reference_sampler.h"
#include "sample.h"
#include "test_util.h"
#include "unet_weights.h"

#include <gtest/gtest.h>

using namespace sprites;

static const std::string kWeights = SPRITES_SOURCE_DIR "/assets/weights/sprites_final.safetensors";

static torch::Tensor nhwc_to_nchw(const std::vector<float>& v, int64_t n, int64_t h, int64_t c) {
  return torch::from_blob(const_cast<float*>(v.data()), {n, h, h, c}, torch::kFloat).permute({0, 3, 1, 2}).contiguous();
}

static std::vector<float> nchw_to_nhwc(const torch::Tensor& t) {
  const auto c = t.permute({0, 2, 3, 1}).contiguous();
  return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}

struct Parity : ::testing::Test {
  static void SetUpTestSuite() {
    torch::set_num_threads(1);
    weights = new UnetWeights(load_unet_weights(kWeights));
    net = new UnetXnn(*weights, init_engine().pool);
    direct = new UnetXnn(*weights, init_engine().pool, UnetXnn::Conv3x3::direct);
    ref = new ContextUnet(load_folded_model(kWeights));
  }
  static void TearDownTestSuite() {
    delete ref;
    delete direct;
    delete net;
    delete weights;
  }
  static inline UnetWeights* weights = nullptr;
  static inline UnetXnn* net = nullptr;     // the default: Winograd 3x3 convolutions
  static inline UnetXnn* direct = nullptr;  // XNNPACK's direct convolutions
  static inline ContextUnet* ref = nullptr;
};

TEST_F(Parity, ForwardMatchesLibTorchAtSeveralBatchSizes) {
  torch::manual_seed(1);
  for (int64_t n : {1, 3, 16, 1}) {  // the last reruns a plan built before the shared scratch grew
    auto x = torch::randn({n, 16, 16, 3});  // NHWC
    auto t = torch::rand({n});
    auto c = torch::rand({n, 5});
    c.index_put_({0}, torch::zeros({5}));  // one unconditional row
    torch::NoGradGuard ng;
    auto want = (*ref)->forward(x.permute({0, 3, 1, 2}).contiguous(), t.view({-1, 1}), c);
    for (UnetXnn* core : {net, direct}) {
      const char* conv = core == net ? "Winograd" : "direct";
      std::vector<float> eps(static_cast<size_t>(n * 16 * 16 * 3));
      core->forward(x.data_ptr<float>(), t.data_ptr<float>(), c.data_ptr<float>(), static_cast<size_t>(n), eps.data());
      const double err = (nhwc_to_nchw(eps, n, 16, 3) - want).abs().max().item<double>();
      std::printf("forward parity, %-8s batch %2lld: max abs error %.3g\n", conv, static_cast<long long>(n), err);
      EXPECT_LE(err, 1e-3) << conv << ", batch " << n;
    }
  }
}

TEST_F(Parity, Ddim25RunMatchesLibTorchPixels) {
  SampleParams p;
  p.count = 8;
  p.seed = 3;
  p.context = {0, 0, 0, 0, 0};
  p.context[0] = 1;
  std::vector<float> x;
  ASSERT_TRUE(sample(*net, Schedule(), p, x));
  // Same starting noise for the reference: the core's Philox noise, NHWC -> NCHW.
  const size_t img = net->image_size();
  std::vector<float> z(p.count * img);
  for (int k = 0; k < p.count; ++k) gaussian_noise(p.seed, static_cast<uint32_t>(k), 0, &z[k * img], img);
  ReferenceSampling opt;
  opt.sampler = "ddim";
  opt.steps = 25;
  opt.x_init = nhwc_to_nchw(z, p.count, 16, 3);
  auto c = torch::tensor(p.context).view({1, -1}).repeat({p.count, 1});
  auto want = sample_reference(*ref, c, opt);
  auto want_u8 = ((want.clamp(-1, 1) + 1) * 127.5).round().to(torch::kInt).permute({0, 2, 3, 1}).contiguous();
  const auto got = to_rgb8(x);
  size_t close = 0;
  const int* w = want_u8.data_ptr<int>();
  for (size_t i = 0; i < got.size(); ++i) close += std::abs(int(got[i]) - w[i]) <= 1;
  std::printf("DDIM-25 parity: %zu of %zu pixel values within 1/255\n", close, got.size());
  EXPECT_GE(static_cast<double>(close) / got.size(), 0.99) << close << " of " << got.size() << " within 1/255";
}

// Variations: the core noises the starting sprite to strength x T and runs DDIM's later steps;
// LibTorch's course sampler from the same noised sprite and timestep gives the same pixels. With a
// mask, both set the kept pixels to the start noised to each step's timestep.
class VariationsParity : public Parity {
 protected:
  SampleParams p;
  void SetUp() override {
    p.count = 4;
    p.seed = 8;
    p.context = {0, 0, 1, 0, 0};
    p.strength = 0.5f;  // t = 250, on DDIM-25's grid (stride 20: 260, 240, ...): from 240
    for (size_t j = 0; j < net->image_size(); ++j) p.init.push_back(static_cast<uint8_t>(j % 48 < 24 ? 255 : 40 + j % 3 * 60));
  }
  // The fraction of pixel values within 1/255 of LibTorch's, and the core's pixels.
  double agreement(std::vector<uint8_t>& got) {
    std::vector<float> x;
    std::vector<int> ts;
    EXPECT_TRUE(sample(*net, Schedule(), p, x, [&](const StepView& v) { return ts.push_back(v.t), true; }));
    EXPECT_EQ(ts.front(), 240);
    const Schedule s;
    const size_t img = net->image_size();
    const float a = std::sqrt(s.ab[240]), sg = std::sqrt(1 - s.ab[240]);
    std::vector<float> z(p.count * img), start(p.count * img);
    for (int k = 0; k < p.count; ++k) gaussian_noise(p.seed, static_cast<uint32_t>(k), 0, &z[k * img], img);
    for (size_t j = 0; j < z.size(); ++j) start[j] = p.init[j % img] / 127.5f - 1;
    ReferenceSampling opt;
    opt.sampler = "ddim";
    opt.steps = 25;
    opt.start_t = 250;
    opt.x_init = nhwc_to_nchw(z, p.count, 16, 3) * sg + nhwc_to_nchw(start, p.count, 16, 3) * a;
    if (!p.mask.empty()) {
      std::vector<float> keep(p.mask.size());
      for (size_t i = 0; i < keep.size(); ++i) keep[i] = p.mask[i] ? 0.f : 1.f;
      opt.keep = torch::tensor(keep).view({1, 1, 16, 16});
      opt.start = nhwc_to_nchw(start, p.count, 16, 3);
      opt.start_noise = nhwc_to_nchw(z, p.count, 16, 3);
      opt.resample = p.resample;
      opt.back_noise = [&](int64_t t, int run) {
        std::vector<float> back(p.count * img);
        for (int k = 0; k < p.count; ++k)
          gaussian_noise(p.seed, static_cast<uint32_t>(k), resample_noise_key(static_cast<int>(t), run, true), &back[k * img], img);
        return nhwc_to_nchw(back, p.count, 16, 3);
      };
    }
    auto c = torch::tensor(p.context).view({1, -1}).repeat({p.count, 1});
    const auto want = to_rgb8(nchw_to_nhwc(sample_reference(*ref, c, opt)));
    got = to_rgb8(x);
    size_t close = 0;
    for (size_t i = 0; i < got.size(); ++i) close += std::abs(int(got[i]) - int(want[i])) <= 1;
    std::printf("parity (DDIM-25 from t = 240%s, %d run(s) a step): %zu of %zu pixel values within 1/255\n", p.mask.empty() ? "" : ", masked",
                p.resample, close, got.size());
    return static_cast<double>(close) / static_cast<double>(got.size());
  }
};

TEST_F(VariationsParity, VariationsMatchLibTorchFromTheSameNoisedSprite) {
  std::vector<uint8_t> got;
  EXPECT_GE(agreement(got), 0.99);
}

TEST_F(VariationsParity, RepaintingMatchesLibTorchAndKeepsTheUnmaskedPixels) {
  p.mask.assign(256, 0);
  for (int y = 3; y < 9; ++y)
    for (int x = 4; x < 12; ++x) p.mask[y * 16 + x] = 1;
  std::vector<uint8_t> got;
  EXPECT_GE(agreement(got), 0.99);
  size_t kept_same = 0, kept = 0;
  for (int k = 0; k < p.count; ++k)
    for (size_t j = 0; j < 768; ++j)
      if (!p.mask[j / 3]) {
        ++kept;
        kept_same += got[k * 768 + j] == p.init[j];
      }
  EXPECT_EQ(kept_same, kept) << "every kept pixel is the start's own byte";
}

TEST_F(VariationsParity, ResampledRepaintingMatchesLibTorch) {
  p.mask.assign(256, 0);
  std::fill(p.mask.begin(), p.mask.begin() + 64, 1);  // rows 0-3
  p.resample = 3;
  std::vector<uint8_t> got;
  EXPECT_GE(agreement(got), 0.99);
}

// The 8-bit file through both readers: the core's dequantization and LibTorch's must give one model.
TEST(ParityInt8, ForwardOnEightBitWeightsMatchesLibTorch) {
  const std::string path = testutil::temp_dir() + "/w8.safetensors";
  const UnetWeights fp16 = load_unet_weights(kWeights);
  testutil::write_bytes(path, serialize_int8_weights(fp16.tensors, expected_unet_tensors(fp16.arch), fp16.metadata));
  const UnetWeights w8 = load_unet_weights(path);
  UnetXnn core(w8, init_engine().pool);
  ContextUnet ref8 = load_folded_model(path);
  torch::manual_seed(2);
  const int64_t n = 4;
  auto x = torch::randn({n, 16, 16, 3});
  auto t = torch::rand({n});
  auto c = torch::rand({n, 5});
  torch::NoGradGuard ng;
  auto want = ref8->forward(x.permute({0, 3, 1, 2}).contiguous(), t.view({-1, 1}), c);
  std::vector<float> eps(static_cast<size_t>(n * 16 * 16 * 3));
  core.forward(x.data_ptr<float>(), t.data_ptr<float>(), c.data_ptr<float>(), static_cast<size_t>(n), eps.data());
  const double err = (nhwc_to_nchw(eps, n, 16, 3) - want).abs().max().item<double>();
  // And how far 8 bits move the network's output from the fp16 file's (not a parity bound: a fact).
  auto fp16_out = load_folded_model(kWeights)->forward(x.permute({0, 3, 1, 2}).contiguous(), t.view({-1, 1}), c);
  std::printf("8-bit parity: max abs error %.3g (8-bit vs fp16 output: max %.3g)\n", err,
              (fp16_out - want).abs().max().item<double>());
  EXPECT_LE(err, 1e-3);
}
