// The ways a step runs: CapturableAdam against torch::optim::Adam, the fused step (the body a CUDA
// graph captures, run eagerly here) against the eager one, and the run-based loop's exact resume.
#include "capturable_adam.h"
#include "cpu_bf16.h"
#include "tiny_run.h"
#include "training_step.h"

using namespace sprites;

namespace {

// A small, well-conditioned model (no parameter whose true gradient is zero, which Adam would turn
// rounding noise into full steps for) and fixed data, so both optimizers see the same gradients.
struct Toy {
  torch::nn::Linear a{16, 8}, b{8, 4};
  std::vector<torch::Tensor> params() {
    auto p = a->parameters();
    for (auto& q : b->parameters()) p.push_back(q);
    return p;
  }
  torch::Tensor loss(int64_t i) {
    torch::manual_seed(100 + i);
    auto x = torch::randn({32, 16}), y = torch::randn({32, 4});
    return (b->forward(torch::tanh(a->forward(x))) - y).pow(2).mean();
  }
  // Fresh gradients of loss(i), as each training step starts without any.
  void grad(int64_t i) {
    for (auto& p : params()) p.mutable_grad().reset();
    loss(i).backward();
  }
};

// Convolutions (3x3 and 1x1, whose size-1 dimensions leave a channels-last stride ambiguous) with
// fixed data, for the layout of weights CapturableAdam keeps.
struct ConvToy {
  torch::nn::Conv2d a{torch::nn::Conv2dOptions(3, 6, 3).padding(1)}, b{torch::nn::Conv2dOptions(6, 2, 1)};
  std::vector<torch::Tensor> params() {
    auto p = a->parameters();
    for (auto& q : b->parameters()) p.push_back(q);
    return p;
  }
  void grad(int64_t i) {
    for (auto& p : params()) p.mutable_grad().reset();
    torch::manual_seed(200 + i);
    auto x = torch::randn({4, 3, 5, 5}), y = torch::randn({4, 2, 5, 5});
    (b->forward(torch::tanh(a->forward(x))) - y).pow(2).mean().backward();
  }
};

template <class Net>
double max_param_diff(Net& x, Net& y) {
  double d = 0;
  const std::vector<torch::Tensor> px = x.params(), py = y.params();
  for (size_t i = 0; i < px.size(); ++i) d = std::max(d, (px[i] - py[i]).abs().max().item<double>());
  return d;
}

// Step i on both: `a` with torch's Adam, `b` with CapturableAdam.
template <class Net>
void step_both(Net& a, torch::optim::Adam& ta, Net& b, CapturableAdam& cb, int64_t i) {
  a.grad(i);
  ta.step();
  b.grad(i);
  cb.step();
}

// Two nets with the same weights.
template <class Net = Toy>
std::pair<Net, Net> twins() {
  Net x, y;
  torch::NoGradGuard ng;
  auto px = x.params(), py = y.params();
  for (size_t i = 0; i < px.size(); ++i) py[i].copy_(px[i]);
  return {x, y};
}

}  // namespace

TEST(CapturableAdam, StepsLikeTorchAdam) {
  torch::manual_seed(1);
  auto [a, b] = twins();
  torch::optim::Adam ta(a.params(), torch::optim::AdamOptions(1e-2));
  torch::optim::Adam tb(b.params(), torch::optim::AdamOptions(1e-2));
  CapturableAdam cb(tb);
  for (int i = 0; i < 12; ++i) {
    if (i == 6) {  // the schedule's per-epoch change reaches both
      static_cast<torch::optim::AdamOptions&>(ta.param_groups()[0].options()).lr(5e-3);
      cb.set_lr(5e-3);
    }
    step_both(a, ta, b, cb, i);
  }
  EXPECT_LT(max_param_diff(a, b), 1e-6) << "12 steps move weights by ~0.1; only rounding may differ";
  // Its state written back is what torch's Adam would hold, so checkpoints keep one format and an
  // eager step can follow.
  cb.write_back();
  a.grad(12);
  b.grad(12);
  ta.step();
  tb.step();
  EXPECT_LT(max_param_diff(a, b), 1e-6);
}

TEST(CapturableAdam, StartsFromALoadedState) {
  torch::manual_seed(2);
  auto [a, b] = twins();
  torch::optim::Adam ta(a.params(), torch::optim::AdamOptions(1e-2));
  torch::optim::Adam tb(b.params(), torch::optim::AdamOptions(1e-2));
  for (int i = 0; i < 5; ++i) {  // both eager, as a run resumed from an eager checkpoint
    a.grad(i);
    b.grad(i);
    ta.step();
    tb.step();
  }
  CapturableAdam cb(tb);  // takes over moments and step count
  for (int i = 5; i < 9; ++i) step_both(a, ta, b, cb, i);
  EXPECT_LT(max_param_diff(a, b), 1e-6);
}

TEST(CapturableAdam, StepsChannelsLastWeightsInTheirOwnLayout) {
  torch::manual_seed(3);
  auto [a, b] = twins<ConvToy>();
  {
    torch::NoGradGuard ng;
    for (auto& p : b.params())
      if (p.dim() == 4) p.set_data(p.data().contiguous(torch::MemoryFormat::ChannelsLast));
  }
  torch::optim::Adam ta(a.params(), torch::optim::AdamOptions(1e-2));
  torch::optim::Adam tb(b.params(), torch::optim::AdamOptions(1e-2));
  CapturableAdam cb(tb);
  for (int i = 0; i < 8; ++i) step_both(a, ta, b, cb, i);
  EXPECT_LT(max_param_diff(a, b), 1e-6);
  auto pb = b.params();
  for (size_t i = 0; i < pb.size(); ++i) {
    if (pb[i].dim() != 4) continue;
    EXPECT_TRUE(pb[i].is_contiguous(torch::MemoryFormat::ChannelsLast)) << "parameter " << i << " kept its layout";
    if (pb[i].size(2) > 1) EXPECT_FALSE(pb[i].is_contiguous()) << "parameter " << i << " (a 1x1 kernel is both)";
  }
  // The moments written back are torch's, whatever the layout: an eager step continues alike.
  cb.write_back();
  a.grad(8);
  b.grad(8);
  ta.step();
  tb.step();
  EXPECT_LT(max_param_diff(a, b), 1e-6);
}

// A parameter that does not require a gradient (a bias folded into its BatchNorm) keeps its value,
// as torch's Adam keeps one without a gradient, and the others step as before.
TEST(CapturableAdam, LeavesFrozenParametersAsTheyAre) {
  torch::manual_seed(4);
  auto [a, b] = twins();
  for (Toy* net : {&a, &b}) net->a->bias.set_requires_grad(false);
  const auto frozen = b.a->bias.clone(), weight = b.a->weight.clone();
  torch::optim::Adam ta(a.params(), torch::optim::AdamOptions(1e-2));
  torch::optim::Adam tb(b.params(), torch::optim::AdamOptions(1e-2));
  CapturableAdam cb(tb);
  for (int i = 0; i < 6; ++i) step_both(a, ta, b, cb, i);
  EXPECT_TRUE(torch::equal(b.a->bias, frozen));
  EXPECT_LT(max_param_diff(a, b), 1e-6);
  EXPECT_GT((b.a->weight - weight).abs().max().item<double>(), 1e-3) << "the others trained";
}

TEST(CapturableAdam, RefusesWhatItDoesNotImplement) {
  Toy a;
  torch::optim::Adam wd(a.params(), torch::optim::AdamOptions(1e-3).weight_decay(0.1));
  EXPECT_THROW(CapturableAdam{wd}, std::runtime_error);
  torch::optim::Adam ams(a.params(), torch::optim::AdamOptions(1e-3).amsgrad(true));
  EXPECT_THROW(CapturableAdam{ams}, std::runtime_error);
}

TEST(TrainingStep, FusedFollowsTheEagerLossCurve) { expect_fused_follows_eager(tiny(""), 40); }

TEST(TrainingStep, FusedRunsResumeExactlyAndCheckpointOnTime) {
  auto whole = tiny(testutil::temp_dir());
  whole.step = "fused";
  whole.epoch_images = 400;  // 20 steps per epoch: runs of 32 are cut by checkpoints and stops
  whole.epochs = 2;
  whole.checkpoint_every = 3;
  train(whole);
  const auto a = run_losses(whole), b = run_losses(stopped_and_resumed(whole, 11));  // mid-epoch, mid-run
  ASSERT_EQ(a.size(), 40u);
  ASSERT_EQ(b.size(), 40u);
  for (size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i], b[i]) << "step " << i + 1;
}

TEST(TrainingStep, EagerCheckpointContinuesFused) {
  auto whole = tiny(testutil::temp_dir());
  whole.step = "eager";
  whole.epochs = 3;
  train(whole);
  const auto a = run_losses(whole);
  const auto b = run_losses(stopped_and_resumed(whole, 7, [](TrainConfig& c) { c.step = "fused"; }));
  ASSERT_EQ(b.size(), 15u);
  for (size_t i = 0; i < 7; ++i) EXPECT_EQ(a[i], b[i]);
  expect_curve_follows(a, b, 7);
}

// The first conv weight of a run's checkpoint, as it was saved.
static torch::Tensor checkpointed_conv_weight(const TrainConfig& c) {
  torch::serialize::InputArchive ar;
  ar.load_from(c.out_dir + "/checkpoint.pt");
  ContextUnet net(c.unet);
  net->load(ar);
  return first_conv_weight(net);
}

TEST(TrainingStep, ChannelsLastFollowsTheNchwCurveAndResumesAcrossLayouts) {
  auto nchw = tiny(testutil::temp_dir());
  nchw.step = "fused";
  nchw.epochs = 3;
  train(nchw);
  const auto a = run_losses(nchw);
  const auto nhwc = trained_variant(nchw, [](TrainConfig& c) { c.channels_last = true; });
  const auto b = run_losses(nhwc);
  ASSERT_EQ(b.size(), 15u);
  EXPECT_EQ(a[0], b[0]) << "the first loss is before any update: the same weights and inputs";
  expect_curve_follows(a, b);
  const auto w = checkpointed_conv_weight(nhwc);
  EXPECT_TRUE(w.is_contiguous(torch::MemoryFormat::ChannelsLast) && !w.is_contiguous()) << "the flag reached the model";
  EXPECT_TRUE(checkpointed_conv_weight(nchw).is_contiguous());
  // An NCHW checkpoint continues in channels-last with eager steps (and the other way round).
  const auto to_nhwc = stopped_and_resumed(nchw, 7, [](TrainConfig& c) { c.channels_last = true; c.step = "eager"; });
  const auto to_nchw = stopped_and_resumed(nhwc, 7, [](TrainConfig& c) { c.channels_last = false; });
  EXPECT_TRUE(checkpointed_conv_weight(to_nhwc).is_contiguous(torch::MemoryFormat::ChannelsLast));
  EXPECT_TRUE(checkpointed_conv_weight(to_nchw).is_contiguous());
  expect_curve_follows(a, run_losses(to_nhwc));
  expect_curve_follows(a, run_losses(to_nchw));
}

// --upsampling transposed (LibTorch's own transposed convolutions) against the CPU's default patch
// up-sampling: the same function, so the same curve within float noise, by other arithmetic.
TEST(TrainingStep, TransposedUpsamplingFollowsThePatchCurve) {
  auto patch = tiny(testutil::temp_dir());
  patch.epochs = 3;
  train(patch);
  const auto a = run_losses(patch);
  const auto variant = trained_variant(patch, [](TrainConfig& c) { c.upsampling = Upsampling::transposed; });
  const auto b = run_losses(variant);
  ASSERT_EQ(b.size(), 15u);
  EXPECT_NEAR(a[0], b[0], 1e-5 * a[0]) << "the first loss is before any update";
  expect_curve_follows(a, b);
  EXPECT_FALSE(torch::equal(checkpointed_conv_weight(patch), checkpointed_conv_weight(variant)))
      << "the setting reached the model: its arithmetic differs";
}

// BENCH=gpu's peer (scripts/lib/bench_train_gpu.py) runs on the CPU too, eagerly: each variant of
// the step it times, NHWC and transposed convolutions as 1x1 ones, computes the same first loss.
TEST(TrainingStep, GpuPeerVariantsComputeTheSameStep) {
  std::string out;
  const int rc = testutil::run_command(
      "/usr/bin/python3 " SPRITES_SOURCE_DIR "/scripts/lib/bench_train_gpu.py --device cpu --batch 8 --steps 2", out);
  EXPECT_EQ(rc, 0) << out;
  for (const char* v : {"nchw:", "nchw-biases:", "channels-last:", "up-as-conv1x1:", "both:", "fused-adam:"}) EXPECT_NE(out.find(v), std::string::npos) << out;
}

TEST(TrainingStep, CudaGraphWithoutCudaIsAClearError) {
  if (cuda_graphs_built()) GTEST_SKIP() << "this LibTorch has CUDA";
  auto c = tiny(testutil::temp_dir());
  c.step = "cuda-graph";
  const std::string msg = train_error(c);
  EXPECT_NE(msg.find("CUDA LibTorch"), std::string::npos) << msg;
}

TEST(TrainingStep, AmpFollowsTheFp32CurveAndExportsAsUsual) {
  auto fp32 = tiny(testutil::temp_dir());
  fp32.epochs = 2;
  if (cpu_bf16() == CpuBf16::slow) {  // refused before any step (TrainCli checks the line): no curve to compare
    fp32.amp = true;
    const std::string msg = train_error(fp32);
    EXPECT_NE(msg.find("--amp: this CPU has no AVX-512"), std::string::npos) << msg;
    EXPECT_FALSE(std::filesystem::exists(fp32.out_dir + "/loss.csv")) << "a step ran";
    GTEST_SKIP() << "this CPU has no AVX-512: --amp is refused here";
  }
  train(fp32);
  const auto amp = trained_variant(fp32, [](TrainConfig& c) { c.amp = true; });  // bf16 autocast on the CPU (GroupNorm stays fp32)
  auto a = run_losses(fp32), b = run_losses(amp);
  ASSERT_EQ(b.size(), 10u);
  for (size_t i = 0; i < a.size(); ++i) EXPECT_NEAR(a[i], b[i], 0.02 * a[i]) << "step " << i + 1;
  EXPECT_NE(a, b) << "bf16 must have changed the arithmetic, or autocast was not on";
  const auto st = load_safetensors(amp.out_dir + "/sprites_final.safetensors");
  EXPECT_EQ(st.metadata.at("dtype"), "F16");
  EXPECT_NO_THROW(load_unet_weights(amp.out_dir + "/sprites_final.safetensors"));
}

// What --amp is on a CPU, from the flags /proc/cpuinfo lists: bf16 in hardware pays, AVX-512
// without it is untried here, and without AVX-512 LibTorch 1.13 takes its reference kernels.
TEST(CpuBf16, ReadsTheKernelsFlagsLine) {
  EXPECT_EQ(cpu_bf16_of_flags("flags\t\t: fpu sse2 avx2 avx512f avx512bw avx512_bf16 amx_tile"), CpuBf16::native);
  EXPECT_EQ(cpu_bf16_of_flags("flags\t\t: fpu avx2 amx_bf16 amx_tile"), CpuBf16::native);
  EXPECT_EQ(cpu_bf16_of_flags("flags\t\t: fpu avx2 avx512f avx512bw avx512vl"), CpuBf16::unmeasured);
  EXPECT_EQ(cpu_bf16_of_flags("flags\t\t: fpu sse2 avx avx2 fma"), CpuBf16::slow);  // the AVX2 VM: 26x slower
  EXPECT_EQ(cpu_bf16_of_flags("flags\t\t: fpu avx2 avx512_bf16x avx512bwx"), CpuBf16::slow) << "whole names only";
}
