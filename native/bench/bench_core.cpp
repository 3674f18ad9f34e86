// sprites-bench: the XNNPACK inference core against LibTorch on the same weights (DDIM-25 x 16
// sprites, 1 and 2 threads) and against itself with direct instead of Winograd 3x3 convolutions,
// DDPM-500 against DDIM-25, achieved GFLOP/s against a measured peak, one evaluation with and
// without the encoder (a live-preview grid after the seed or a context slider moved),
// and training steps of the LibTorch trainer (images/s; scripts/bench compares python3-torch). Numbers, not tests: run scripts/bench.
#include "checkpoint_files.h"
#include "cpu_bf16.h"
#include "common/error_line.h"
#include "export_weights.h"
#include "malloc_tuning.h"
#include "peak_flops.h"
#include "reference_sampler.h"
#include "sample.h"
#include "share_link.h"
#include "trainer.h"
#include "unet_weights.h"

#include <CLI/CLI.hpp>
#include <pthreadpool.h>
#include <xnnpack.h>

#include <chrono>
#include <cstdio>
#include <functional>
#include <string>

using namespace sprites;
using clk = std::chrono::steady_clock;

static double seconds(const std::function<void()>& f, int reps = 3) {
  f();  // warm-up: plans, packing, allocator
  double best = 1e30;
  for (int i = 0; i < reps; ++i) {
    const auto t0 = clk::now();
    f();
    best = std::min(best, std::chrono::duration<double>(clk::now() - t0).count());
  }
  return best;
}

// Multiply-adds of one forward pass of one sprite, from the tensor shapes and where each layer runs.
static double forward_flops(const UnetWeights& w) {
  const double H = w.arch.height;
  double macs = 0;
  for (auto& [name, t] : w.tensors) {
    if (name.size() < 7 || name.substr(name.size() - 7) != ".weight" || t.shape.size() != 4) {
      if (t.shape.size() == 2) macs += static_cast<double>(t.shape[0]) * t.shape[1];  // linear
      continue;
    }
    const bool deconv = name.rfind("up0.0", 0) == 0 || name.find("model.0.weight") != std::string::npos && name.rfind("up", 0) == 0;
    const double k = t.shape[2] * t.shape[3], io = static_cast<double>(t.shape[0]) * t.shape[1];
    double px;  // output pixels for convs, input pixels for transposed convs
    if (deconv) px = name.rfind("up0", 0) == 0 ? 1 : name.rfind("up1", 0) == 0 ? H * H / 16 : H * H / 4;
    else px = name.rfind("down2", 0) == 0 || name.rfind("up1", 0) == 0 ? H * H / 4 : H * H;
    macs += io * k * px;
  }
  return 2 * macs;
}

// Training: the step sprites-train runs (its draws, objective and Adam), batch 100, on the CPU.
static int bench_training(int threads) {
  keep_freed_memory_for_training();
  TrainConfig tc;
  tc.images = "assets/dataset/sprites_2642_16x16.npy";
  tc.labels = "assets/dataset/sprite_labels_nc_2642_16x16.npy";
  tc.device = "cpu";
  tc.threads = threads;
  tc.step = "eager";
  const double ips = training_throughput(tc, 10);
  std::printf("\ntrainer (LibTorch C++), batch 100, %d thread(s): %.1f images/s\n", threads, ips);
  std::printf("TRAIN_IMAGES_PER_S %.1f\n", ips);
  tc.upsampling = Upsampling::transposed;  // LibTorch's own transposed convolutions: what the patch gains
  const double transposed = training_throughput(tc, 10);
  std::printf("trainer (LibTorch C++) with --upsampling transposed, batch 100, %d thread(s): %.1f images/s\n", threads, transposed);
  std::printf("TRAIN_TRANSPOSED_IMAGES_PER_S %.1f\n", transposed);
  tc.upsampling = Upsampling::automatic;
  if (cpu_bf16() == CpuBf16::slow) {  // the trainer refuses it there
    std::printf("trainer (LibTorch C++) --amp (bf16 autocast): not run, this CPU has no AVX-512\n");
    return 0;
  }
  tc.amp = true;  // bf16 autocast: native on CPUs with avx512_bf16 or AMX
  const double amp = training_throughput(tc, 10);
  std::printf("trainer (LibTorch C++) --amp (bf16 autocast), batch 100, %d thread(s): %.1f images/s\n", threads, amp);
  std::printf("TRAIN_AMP_IMAGES_PER_S %.1f\n", amp);
  return 0;
}

// The inference rows: the core against LibTorch and against itself, at 1 and 2 threads.
static void bench_inference(const std::string& path) {
  const int count = 16;
  if (xnn_initialize(nullptr) != xnn_status_success) throw std::runtime_error("xnn_initialize failed");
  const UnetWeights w = load_unet_weights(path);
  const Schedule sched = schedule_for(w.arch);
  SampleParams p;
  p.count = count;
  p.context = first_label_context(w.arch.n_cfeat);
  auto model = load_folded_model(path);
  set_memory_format(model, torch::MemoryFormat::ChannelsLast);
  const auto ctx = torch::tensor(p.context).view({1, -1}).repeat({count, 1});
  const double flops = forward_flops(w);
  std::printf("ContextUnet forward: %.1f MFLOP per sprite\n", flops / 1e6);
  std::printf("measured single-thread peak (multiply-add loop): %.1f GFLOP/s\n\n", bench::measured_peak_gflops());
  std::printf("%-40s %10s %10s %8s\n", "DDIM-25 x 16 sprites", "seconds", "GFLOP/s", "ratio");
  for (int threads : {1, 2}) {
    pthreadpool_t pool = threads > 1 ? pthreadpool_create(threads) : nullptr;
    UnetXnn net(w, pool), net_direct(w, pool, UnetXnn::Conv3x3::direct);
    std::vector<float> out;
    const double core = seconds([&] { sample(net, sched, p, out); });
    const double direct = seconds([&] { sample(net_direct, sched, p, out); });
    torch::set_num_threads(threads);
    ReferenceSampling ref;
    ref.steps = 25;
    ref.channels_last = true;
    const double lt = seconds([&] { sample_reference(model, ctx, ref); });
    const double work = flops * count * 25;
    std::printf("%-40s %10.3f %10.1f %8s\n", ("core (XNNPACK), " + std::to_string(threads) + " thread(s)").c_str(), core,
                work / core / 1e9, "");
    std::printf("%-40s %10.3f %10.1f %7.2fx\n", ("core, direct 3x3 convs, " + std::to_string(threads) + " thread(s)").c_str(),
                direct, work / direct / 1e9, direct / core);
    std::printf("%-40s %10.3f %10.1f %7.2fx\n", ("LibTorch channels-last, " + std::to_string(threads) + " thread(s)").c_str(),
                lt, work / lt / 1e9, lt / core);
    {
      // Guidance evaluates every sprite with and without its context on the same x; the encoder
      // runs once for both (2.0x the unguided time without that, about 1.5x with it).
      SampleParams guided = p;
      guided.guidance = 1;
      const double g = seconds([&] { sample(net, sched, guided, out); });
      std::printf("%-40s %10.3f %10s %7.2fx\n", "  with guidance 1 (vs without)", g, "", g / core);
    }
    {
      // One evaluation of 16 sprites, as a 1-step student's live grid: after the seed moved (new
      // noise, the whole network), and after a context slider moved (same noise: the decoder alone).
      const size_t img = net.image_size(), nc = p.context.size();
      std::vector<float> x(count * img, 0.1f), t(count, 1.0f), c(count * nc, 0.2f), eps(count * img);
      int calls = 0;
      const double new_noise = seconds([&] {
        for (int i = 0; i < 10; ++i, ++calls) {
          x[0] = 0.01f * static_cast<float>(calls);
          net.forward(x.data(), t.data(), c.data(), count, eps.data());
        }
      }) / 10;
      const double new_context = seconds([&] {
        for (int i = 0; i < 10; ++i, ++calls) {
          c[0] = 0.01f * static_cast<float>(calls);
          net.forward(x.data(), t.data(), c.data(), count, eps.data());
        }
      }) / 10;
      std::printf("%-40s %10.4f %10s %8s\n", ("forward x 16, new noise, " + std::to_string(threads) + " thread(s)").c_str(),
                  new_noise, "", "");
      std::printf("%-40s %10.4f %10s %7.2fx\n", "  same noise, new context (decoder only)", new_context, "",
                  new_noise / new_context);
    }
    if (threads == 1) {
      SampleParams ddpm = p;
      ddpm.sampler = "ddpm";
      const double slow = seconds([&] { sample(net, sched, ddpm, out); }, 1);
      std::printf("%-40s %10.3f %10.1f %7.1fx\n", "core DDPM-500 (vs core DDIM-25)", slow, flops * count * 500 / slow / 1e9,
                  slow / core);
    }
    if (pool) pthreadpool_destroy(pool);
  }
  std::printf("\n(ratio: peer time / core time, or DDPM / DDIM time; above 1 means the core is faster. GFLOP/s counts\n"
              " direct convolution's arithmetic; Winograd does a quarter of the 3x3 multiplies, so the core can pass the peak)\n");
}

int main(int argc, char** argv) {
  CLI::App app{"Benchmarks of the inference core and the trainer on this machine (scripts/bench runs it, with python3-torch beside)."};
  std::string weights = "assets/weights/" + checkpoint_file(kFinalCheckpoint);
  int threads = 2;
  bool train_only = false;
  app.add_option("weights", weights, "weights to sample with")->capture_default_str()->check(CLI::ExistingFile);
  app.add_option("threads", threads, "threads for the training steps")->capture_default_str()->check(CLI::Range(1, 256));
  app.add_flag("--train-only", train_only, "only the training steps");
  CLI11_PARSE(app, argc, argv);
  try {
    if (!train_only) bench_inference(weights);
    return bench_training(threads);
  } catch (const std::exception& e) {
    return report_error(e);
  }
}
