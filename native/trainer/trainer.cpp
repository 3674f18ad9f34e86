#include "trainer.h"

#include "checkpoint.h"
#include "checkpoint_files.h"
#include "common/progress.h"
#include "export_weights.h"
#include "keyed_random.h"
#include "objective.h"
#include "optimizer.h"
#include "sprite_dataset.h"
#include "train_log.h"
#include "training_step.h"
#include "weight_ema.h"

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>

namespace sprites {
namespace fs = std::filesystem;

static std::atomic<bool> g_stop{false};
void request_stop() { g_stop = true; }

namespace {

bool cpu_has_native_bf16() {
  std::ifstream f("/proc/cpuinfo");
  for (std::string line; std::getline(f, line);)
    if (line.rfind("flags", 0) == 0) return line.find(" avx512_bf16") != std::string::npos || line.find(" amx_bf16") != std::string::npos;
  return false;
}

torch::Device pick_device(const std::string& want) {
  if (want == "cpu") return torch::kCPU;
  if (want == "cuda") {
    if (!torch::cuda::is_available()) throw std::runtime_error("--device cuda: this LibTorch has no usable CUDA device");
    at::globalContext().setBenchmarkCuDNN(true);  // one shape all run long: pick the fastest kernels once
    return torch::kCUDA;
  }
  if (want == "auto") return pick_device(torch::cuda::is_available() ? "cuda" : "cpu");
  throw std::runtime_error("--device must be auto, cpu or cuda, not '" + want + "'");
}

SpriteDataset load_checked_dataset(const TrainConfig& c, torch::Device dev) {
  SpriteDataset data = load_sprite_dataset(c.images, c.labels, c.val_every);
  if (data.height != c.unet.height)
    throw std::runtime_error(c.images + ": sprites are " + std::to_string(data.height) + " px, the model expects " +
                             std::to_string(c.unet.height));
  if (data.labels.size(1) != c.unet.n_cfeat)
    throw std::runtime_error(c.labels + ": " + std::to_string(data.labels.size(1)) + " classes, the model expects " +
                             std::to_string(c.unet.n_cfeat));
  if (static_cast<int64_t>(c.label_names.size()) != c.unet.n_cfeat)
    throw std::runtime_error("--label-names needs " + std::to_string(c.unet.n_cfeat) + " names");
  data.images = data.images.to(dev);
  data.labels = data.labels.to(dev);
  return data;
}

// The images of epoch e: whole shuffled passes over the training split, cut to epoch_images.
torch::Tensor epoch_order(const TrainConfig& cfg, const SpriteDataset& data, int e) {
  auto g = keyed_generator(cfg.seed, RandomStream::epoch_order, static_cast<uint64_t>(e));
  const int64_t n = data.train_idx.size(0);
  std::vector<torch::Tensor> passes;
  for (int64_t have = 0; have < cfg.epoch_images; have += n)
    passes.push_back(data.train_idx.index_select(0, torch::randperm(n, g, torch::kLong)));
  return torch::cat(passes).slice(0, 0, cfg.epoch_images);
}

// Everything a training run holds. Each part lives in its own file; this only wires them together.
struct Run {
  const TrainConfig& cfg;
  torch::Device dev;
  SpriteDataset data;
  Schedule schedule;  // the course's (or its zero-terminal-SNR form); the exports name it in their metadata
  ContextUnet model;
  std::unique_ptr<WeightEma> ema;
  Optimizer opt;
  std::unique_ptr<Objective> objective;
  std::unique_ptr<TrainingStep> stepper;
  int64_t steps_per_epoch;
  int epochs;
  int64_t step = 0;  // global steps done
  std::string ckpt_path;

  Run(const TrainConfig& c, torch::Device d)
      : cfg(c), dev(d), data(load_checked_dataset(c, d)), model(c.unet), opt(model->parameters(), c.lr),
        schedule(500, 1e-4f, 0.02f, c.zero_terminal_snr),
        objective(make_denoising_objective(schedule, d, c.prediction)),
        steps_per_epoch((c.epoch_images + c.batch - 1) / c.batch), epochs(c.epochs), ckpt_path(c.out_dir + "/checkpoint.pt") {
    model->to(dev);
    if (c.ema > 0) ema = std::make_unique<WeightEma>(model, c.ema);
  }

  ContextUnet& exported() { return ema ? ema->net() : model; }  // what validation and the exports see
  CheckpointParts checkpoint_parts() { return {model, opt.adam(), ema ? &ema->net() : nullptr}; }
  void save() {
    if (stepper) stepper->sync_optimizer();
    save_checkpoint(ckpt_path, checkpoint_parts(), {step, epochs});
  }
  void resume() {
    const CheckpointProgress p = load_checkpoint(ckpt_path, dev, checkpoint_parts());
    step = p.step;
    epochs = p.epochs;
  }

  // How steps run; made after a resume, since the graph's optimizer starts from the loaded state.
  void make_stepper() {
    StepParts parts{model, *objective, data, opt.adam(), ema.get(), cfg.amp};
    std::string kind = cfg.step;
    if (kind == "auto") kind = dev.is_cuda() && cuda_graphs_built() ? "cuda-graph" : "eager";
    if (kind == "eager") stepper = make_eager_step(parts);
    else if (kind == "fused") stepper = make_fused_step(parts);
    else if (kind == "cuda-graph") stepper = make_cuda_graph_step(parts, cfg.batch);
    else throw std::runtime_error("--step must be auto, eager, fused or cuda-graph, not '" + kind + "'");
  }

  // The batches of epoch e's steps [from, to), drawn on the CPU.
  std::vector<StepBatch> draw_steps(const torch::Tensor& order, int e, int64_t from, int64_t to) const {
    std::vector<StepBatch> out;
    for (int64_t s = from; s < to; ++s) {
      const int64_t lo = s * cfg.batch, hi = std::min(lo + cfg.batch, cfg.epoch_images);
      out.push_back(draw_step_batch(cfg, *objective, order.slice(0, lo, hi), e * steps_per_epoch + s, data.images.sizes()));
    }
    return out;
  }

  // The objective on the held-out sprites with fixed noise and timesteps (eval mode).
  double validation_loss() {
    if (data.val_idx.size(0) == 0) return NAN;
    torch::NoGradGuard ng;
    ContextUnet& net = exported();
    net->eval();
    auto g = keyed_generator(cfg.seed, RandomStream::validation, 0);
    double sum = 0;
    auto idx_all = data.val_idx.to(dev);
    for (int64_t s = 0; s < idx_all.size(0); s += cfg.batch) {
      auto idx = idx_all.slice(0, s, std::min(s + cfg.batch, idx_all.size(0)));
      auto x0 = data.images.index_select(0, idx);
      const auto d = objective->draw(g, x0.sizes()).to(dev);
      sum += objective->loss(net, x0, data.labels.index_select(0, idx), d).item<double>() * idx.size(0);
    }
    model->train();  // the moving average stays in eval mode
    return sum / static_cast<double>(idx_all.size(0));
  }

  // Provenance every export of this run carries.
  std::map<std::string, std::string> export_metadata(int epoch, double train_loss, double val_loss) const {
    std::string names;
    for (auto& n : cfg.label_names) names += (names.empty() ? "" : ",") + n;
    return {{"labels", names},
            {"epoch", std::to_string(epoch)},
            {"epochs_planned", std::to_string(epochs)},
            {"steps", std::to_string(step)},
            {"images_seen", std::to_string(step * cfg.batch)},
            {"batch", std::to_string(cfg.batch)},
            {"dataset_sha256", data.sha256},
            {"final_loss", c10::str(train_loss)},
            {"val_loss", c10::str(val_loss)},
            {"seed", std::to_string(cfg.seed)},
            {"prediction", prediction_name(cfg.prediction)},
            {"ema", ema ? c10::str(cfg.ema) : "none"}};
  }

  void export_weights(const std::string& id, const std::map<std::string, std::string>& meta) {
    export_safetensors(exported(), cfg.out_dir + "/" + checkpoint_file(id), cfg.export_dtype, meta, schedule);
  }
};

}  // namespace

double training_throughput(const TrainConfig& cfg, int steps) {
  const torch::Device dev = pick_device(cfg.device);
  if (cfg.threads > 0) torch::set_num_threads(cfg.threads);
  torch::manual_seed(cfg.seed);
  Run run(cfg, dev);
  run.make_stepper();
  run.model->train();
  run.stepper->set_lr(cfg.lr);
  const auto order = epoch_order(cfg, run.data, 0);
  run.stepper->run(run.draw_steps(order, 0, 0, 1), 0)->get();
  const int64_t n = std::min<int64_t>(steps, run.steps_per_epoch - 1);
  const auto t0 = std::chrono::steady_clock::now();
  for (int64_t s = 1, to; s <= n; s = to) {
    to = std::min(s + run.stepper->preferred_run(), n + 1);
    run.stepper->run(run.draw_steps(order, 0, s, to), s)->get();
  }
  return static_cast<double>(n * cfg.batch) / std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

TrainResult train(const TrainConfig& cfg) {
  const torch::Device dev = pick_device(cfg.device);
  if (cfg.threads > 0) torch::set_num_threads(cfg.threads);
  if (cfg.epochs < 1 || cfg.batch < 1 || cfg.epoch_images < 1) throw std::runtime_error("epochs, batch and epoch size must be positive");
  if (cfg.amp && dev.is_cpu() && !cpu_has_native_bf16())
    std::fprintf(stderr, "warning: --amp: this CPU has no native bf16 (avx512_bf16 or amx_bf16); bf16 may be slower than fp32\n");
  if (cfg.zero_terminal_snr && cfg.prediction == Prediction::eps)
    throw std::runtime_error("--zero-terminal-snr needs --prediction v: at abar_T = 0 the noise says nothing about the sprite");
  fs::create_directories(cfg.out_dir);
  torch::manual_seed(cfg.seed);  // initial weights
  Run run(cfg, dev);

  if (cfg.resume) {
    if (!fs::exists(run.ckpt_path)) throw std::runtime_error("--resume: no checkpoint at " + run.ckpt_path);
    run.resume();
    std::fprintf(stderr, "resumed from %s at step %lld (epoch %lld)\n", run.ckpt_path.c_str(),
                 static_cast<long long>(run.step), static_cast<long long>(run.step / run.steps_per_epoch));
  }
  TrainLog log(cfg.out_dir, cfg.resume ? run.step : -1);
  std::fprintf(stderr, "training on %s: %lld train / %lld val sprites, %lld steps per epoch of %lld images, %d epochs\n",
               dev.str().c_str(), static_cast<long long>(run.data.train_idx.size(0)),
               static_cast<long long>(run.data.val_idx.size(0)), static_cast<long long>(run.steps_per_epoch),
               static_cast<long long>(cfg.epoch_images), run.epochs);

  run.make_stepper();
  TrainResult res;
  run.model->train();
  int64_t last_ckpt = run.step;
  const auto t0 = std::chrono::steady_clock::now();
  const int64_t first_step = run.step;
  Progress bar("train", 15.0);
  auto stopped = [&](int epochs_done, const std::string& where) {
    res.interrupted = g_stop.load();
    res.steps = run.step;
    res.epochs_done = epochs_done;
    std::fprintf(stderr, "%s; checkpoint saved to %s (continue with --resume)\n", where.c_str(), run.ckpt_path.c_str());
    return res;
  };

  for (int e = static_cast<int>(run.step / run.steps_per_epoch); e < run.epochs; ++e) {
    // 1. The epoch's steps in runs (one step each, or 32 for a CUDA graph), with a checkpoint every
    //    checkpoint_every steps and on a stop request. The next run is drawn while the device works.
    run.stepper->set_lr(run.opt.lr_for_epoch(e, run.epochs));
    const auto order = epoch_order(cfg, run.data, e);
    const int64_t first = static_cast<int64_t>(e) * run.steps_per_epoch;
    const int64_t run_len = std::min(run.stepper->preferred_run(), cfg.checkpoint_every);
    // The end of the run that starts at `from` (epoch-relative), given the last checkpoint's step.
    auto run_end = [&](int64_t from, int64_t ckpt) {
      int64_t to = std::min({from + run_len, run.steps_per_epoch, ckpt + cfg.checkpoint_every - first});
      if (cfg.max_steps >= 0) to = std::min(to, cfg.max_steps - first);
      return std::max(to, from + 1);
    };
    double loss_sum = 0;
    int64_t loss_n = 0;
    bool stop = false;
    int64_t to = run_end(run.step - first, last_ckpt);
    auto batches = run.draw_steps(order, e, run.step - first, to);
    while (true) {
      auto pending = run.stepper->run(batches, run.step);
      const int64_t ckpt_after = first + to - last_ckpt >= cfg.checkpoint_every ? first + to : last_ckpt;
      const int64_t next_from = to, next_to = next_from < run.steps_per_epoch ? run_end(next_from, ckpt_after) : next_from;
      auto next = run.draw_steps(order, e, next_from, next_to);
      for (const float loss : pending->get()) {
        if (!std::isfinite(loss))
          throw std::runtime_error("loss became " + std::to_string(loss) + " at step " + std::to_string(run.step) +
                                   "; stopped. The last good checkpoint is " + run.ckpt_path + " (step " +
                                   std::to_string(last_ckpt) + ")");
        ++run.step;
        loss_sum += loss;
        ++loss_n;
        res.last_loss = loss;
        log.step(run.step, e, loss, run.opt.lr_for_epoch(e, run.epochs));
      }
      const double el = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      char extra[160];
      std::snprintf(extra, sizeof extra, "epoch %d/%d loss %.4f %.0f img/s", e + 1, run.epochs, loss_sum / loss_n,
                    (run.step - first_step) * cfg.batch / std::max(el, 1e-9));
      bar.update(static_cast<long>(run.step), static_cast<long>(run.epochs * run.steps_per_epoch), extra);
      stop = g_stop.load() || (cfg.max_steps >= 0 && run.step >= cfg.max_steps);
      if (stop || run.step - last_ckpt >= cfg.checkpoint_every) {
        log.flush();
        run.save();
        last_ckpt = run.step;
      }
      if (stop || next_from >= run.steps_per_epoch) break;
      batches = std::move(next);
      to = next_to;
    }
    // A stop mid-epoch ends here (resume redoes the rest); one on the epoch's last step still
    // validates and exports it.
    if (stop && run.step % run.steps_per_epoch != 0)
      return stopped(e, "\nstopped at step " + std::to_string(run.step));

    // 2. Validation.
    const double vl = run.validation_loss();
    log.validation(e, run.step, vl);
    const double train_loss = loss_sum / std::max<int64_t>(loss_n, 1);
    std::fprintf(stderr, "\nepoch %d: train loss %.4f, validation loss %.4f\n", e, train_loss, vl);

    // 3. Fit the plan into the time budget once the first epoch's speed is known.
    if (cfg.budget_minutes > 0 && run.step - first_step == run.steps_per_epoch) {
      const double per_epoch = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      const int fit = std::max(e + 1, static_cast<int>(cfg.budget_minutes * 60 / per_epoch));
      if (fit < run.epochs) {
        std::fprintf(stderr, "time budget %.1f min: %d epochs instead of %d\n", cfg.budget_minutes, fit, run.epochs);
        run.epochs = fit;
      }
    }

    // 4. Exports (the course's epochs and the final one), then an epoch-end checkpoint.
    const auto meta = run.export_metadata(e, train_loss, vl);
    for (int k : cfg.export_epochs)
      if (k == e) run.export_weights(epoch_checkpoint_id(e), meta);
    if (e + 1 == run.epochs) run.export_weights(kFinalCheckpoint, meta);
    log.flush();
    run.save();
    last_ckpt = run.step;
    if (stop) return stopped(e + 1, "stopped after epoch " + std::to_string(e));
  }
  bar.finish();
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::fprintf(stderr, "%lld steps in %.1f s: %.0f images/s (%s steps on %s)\n", static_cast<long long>(run.step - first_step),
               secs, (run.step - first_step) * cfg.batch / std::max(secs, 1e-9), run.stepper->name(), dev.str().c_str());
  res.steps = run.step;
  res.epochs_done = run.epochs;
  return res;
}

}  // namespace sprites
