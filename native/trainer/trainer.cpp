#include "trainer.h"

#include "checkpoint.h"
#include "checkpoint_files.h"
#include "common/atomic_file.h"
#include "common/progress.h"
#include "cpu_bf16.h"
#include "distillation.h"
#include "export_weights.h"
#include "keyed_random.h"
#include "objective.h"
#include "optimizer.h"
#include "run_folder.h"
#include "run_record.h"
#include "sprite_dataset.h"
#include "torch_threads.h"
#include "train_log.h"
#include "training_step.h"
#include "weight_ema.h"

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>

namespace sprites {
namespace fs = std::filesystem;

static std::atomic<bool> g_stop{false};
void request_stop() { g_stop = true; }

namespace {

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

// What a run starts from, each file read once: cfg as it runs (defaults that depend on the device
// resolved; for a distillation what the teacher fixes: width, labels, schedule, and the epochs its
// phases take), the teacher, and the first student unless it has a width of its own (a copy of the
// teacher, or the export --student-from names).
struct Setup {
  torch::Device dev;
  TrainConfig cfg;
  std::optional<Teacher> teacher;
  ContextUnet student{nullptr};
};

void resolve_distillation(Setup& setup) {
  TrainConfig& c = setup.cfg;
  auto power_of_two = [](int n) { return n >= 1 && (n & (n - 1)) == 0; };
  if (!power_of_two(c.teacher_steps) || c.teacher_steps < 2 || c.teacher_steps > 256)
    throw std::runtime_error("--teacher-steps must be a power of two in 2..256, not " + std::to_string(c.teacher_steps));
  if (!power_of_two(c.distill_to) || c.distill_to >= c.teacher_steps)
    throw std::runtime_error("--distill-to must be a power of two below --teacher-steps (" + std::to_string(c.teacher_steps) + ")");
  if (c.phase_epochs < 1) throw std::runtime_error("--phase-epochs must be positive");
  if (c.budget_minutes > 0) throw std::runtime_error("--budget-minutes does not apply to --distill: set --phase-epochs");
  const Teacher& t = setup.teacher.emplace(load_teacher(c.distill_from));
  if (t.distilled_steps > 0 && c.teacher_steps != t.distilled_steps)
    throw std::runtime_error(c.distill_from + " is a " + std::to_string(t.distilled_steps) + "-step student: set --teacher-steps " +
                             std::to_string(t.distilled_steps) + " to distil it further");
  c.unet = t.unet;
  if (c.student_width > 0 && !c.student_from.empty())
    throw std::runtime_error("--student-from and --student-width: the export sets the student's width");
  if (c.student_width > 0 && c.student_width != t.unet.n_feat) {
    if (c.teacher_steps != 2 * c.distill_to)
      throw std::runtime_error("--student-width trains one halving: set --teacher-steps to twice --distill-to");
    c.unet.n_feat = c.student_width;
  } else if (!c.student_from.empty()) {
    Teacher s = load_teacher(c.student_from);
    if (s.distilled_steps != c.distill_to || c.teacher_steps != 2 * c.distill_to)
      throw std::runtime_error("--student-from " + c.student_from + " must be a " + std::to_string(c.distill_to) +
                               "-step student, trained in one halving (--teacher-steps " + std::to_string(2 * c.distill_to) + ")");
    if (s.labels != t.labels || s.zero_terminal_snr != t.zero_terminal_snr)
      throw std::runtime_error("--student-from " + c.student_from + " has other labels or another schedule than its teacher");
    c.unet = s.unet;
    c.student_width = 0;
    setup.student = s.net;
  } else {
    c.student_width = 0;
    setup.student = ContextUnet(c.unet);
    copy_weights(t.net, setup.student);
  }
  c.label_names = t.labels;
  c.prediction = Prediction::v;
  c.zero_terminal_snr = t.zero_terminal_snr;
  int phases = 0;
  for (int n = c.teacher_steps; n > c.distill_to; n /= 2) ++phases;
  c.epochs = phases * c.phase_epochs;
  c.export_epochs.clear();
}

// The checks and settings train() and training_throughput() share; the seed set for initial weights.
Setup set_up(const TrainConfig& in) {
  Setup setup{pick_device(in.device), in, std::nullopt, nullptr};
  TrainConfig& c = setup.cfg;
  if (c.epochs < 1 || c.batch < 1 || c.epoch_images < 1) throw std::runtime_error("epochs, batch and epoch size must be positive");
  if (c.checkpoint_every == 0) c.checkpoint_every = setup.dev.is_cuda() ? 2000 : 200;
  if (!c.distill_from.empty()) resolve_distillation(setup);
  if (c.unet.n_feat % 8 != 0)  // up0 and out normalise in 8 groups, and the core reads no other width
    throw std::runtime_error(std::string(c.student_width > 0 ? "--student-width" : "--n-feat") + " must be a multiple of 8 (GroupNorm's 8 groups), not " +
                             std::to_string(c.unet.n_feat));
  if (c.zero_terminal_snr && c.prediction == Prediction::eps)
    throw std::runtime_error("--zero-terminal-snr needs --prediction v: at abar_T = 0 the noise says nothing about the sprite");
  set_torch_threads(c.threads);
  if (c.amp && setup.dev.is_cpu()) {
    const CpuBf16 bf16 = cpu_bf16();
    if (bf16 == CpuBf16::slow)  // an hour's run would take a day
      throw std::runtime_error("--amp: this CPU has no AVX-512, where LibTorch's bf16 convolutions take a slow path "
                               "(26x slower than fp32, measured on an AVX2 CPU); train without --amp");
    if (bf16 == CpuBf16::unmeasured)
      std::fprintf(stderr, "warning: --amp: this CPU has no native bf16 (avx512_bf16 or amx_bf16); bf16 may be slower than fp32\n");
  }
  torch::manual_seed(c.seed);  // initial weights
  return setup;
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
  Distillation* distillation = nullptr;  // the objective, when distilling
  std::unique_ptr<Objective> objective;
  std::unique_ptr<TrainingStep> stepper;
  int64_t steps_per_epoch;
  int epochs;
  int64_t step = 0;  // global steps done
  std::string ckpt_path;
  std::string record;  // what run this is, kept in its checkpoints (run_record.h)

  explicit Run(Setup& setup)
      : cfg(setup.cfg), dev(setup.dev), data(load_checked_dataset(cfg, dev)), schedule(500, 1e-4f, 0.02f, cfg.zero_terminal_snr),
        model(setup.student ? setup.student : ContextUnet(cfg.unet)),
        opt(model->parameters(), cfg.lr), objective(make_objective(setup.teacher)),
        steps_per_epoch((cfg.epoch_images + cfg.batch - 1) / cfg.batch), epochs(cfg.epochs), ckpt_path(checkpoint_path(cfg.out_dir)),
        record(run_record(cfg, data.sha256)) {
    model->to(dev);
    if (cfg.ema > 0) ema = std::make_unique<WeightEma>(model, cfg.ema);
    lay_out();
  }

  // The run's memory order and up-sampling for every network it holds, and the biases its
  // BatchNorms cancel folded away; again after a resume, since a checkpoint loads tensors as they
  // were saved (and one from before the fold has the biases).
  void lay_out() {
    const auto format = cfg.channels_last ? torch::MemoryFormat::ChannelsLast : torch::MemoryFormat::Contiguous;
    for (ContextUnet* net : {&model, ema ? &ema->net() : nullptr, distillation ? &distillation->teacher() : nullptr}) {
      if (!net) continue;
      set_memory_format(*net, format);
      set_upsampling(*net, cfg.upsampling);
    }
    if (!batch_statistics()) return;
    fold_conv_biases_into_batchnorms(model);
    if (ema) fold_conv_biases_into_batchnorms(ema->net());
  }

  std::unique_ptr<Objective> make_objective(std::optional<Teacher>& teacher) {
    if (!teacher) return make_denoising_objective(schedule, dev, cfg.prediction);
    auto d = std::make_unique<Distillation>(std::move(*teacher), schedule, dev);
    distillation = d.get();
    return d;
  }

  ContextUnet& exported() { return ema ? ema->net() : model; }  // what validation and the exports see
  CheckpointParts checkpoint_parts() {
    return {model, opt.adam(), ema ? &ema->net() : nullptr, distillation ? &distillation->teacher() : nullptr};
  }
  // A student copied from its teacher keeps the folded BatchNorms (identities) as they are: it trains
  // in eval mode. A student of its own width learns its BatchNorms as a model in training does.
  bool batch_statistics() const { return distillation == nullptr || cfg.student_width > 0; }
  void train_mode() { model->train(batch_statistics()); }

  // A distillation's student steps in epoch e (its phase), 0 otherwise.
  int student_steps(int e) const { return distillation ? cfg.teacher_steps >> (1 + e / cfg.phase_epochs) : 0; }
  double lr(int e) const {
    return distillation ? opt.lr_for_epoch(e % cfg.phase_epochs, cfg.phase_epochs) : opt.lr_for_epoch(e, epochs);
  }
  // Before epoch e's first step: a distillation's phase, its teacher the last phase's student.
  void begin_epoch(int e) {
    if (!distillation) return;
    if (e % cfg.phase_epochs == 0 && e > 0 && step == e * steps_per_epoch) distillation->promote(exported());
    distillation->begin_phase(student_steps(e), e >= cfg.phase_epochs);
  }
  void save() {
    if (stepper) stepper->sync_optimizer();
    save_checkpoint(ckpt_path, checkpoint_parts(), {step, epochs}, record);
  }
  void resume() {
    const CheckpointProgress p = load_checkpoint(ckpt_path, dev, checkpoint_parts(), record);
    step = p.step;
    epochs = p.epochs;
    lay_out();
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
    train_mode();  // the moving average stays in eval mode
    return sum / static_cast<double>(idx_all.size(0));
  }

  // Provenance every export of this run carries.
  std::map<std::string, std::string> export_metadata(int epoch, double train_loss, double val_loss) const {
    std::map<std::string, std::string> meta{{"labels", label_names_text(cfg.label_names)},
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
    if (distillation) {
      meta["distilled_steps"] = std::to_string(student_steps(epoch));
      meta["distilled_from"] = fs::path(cfg.distill_from).filename().string();
      meta["teacher_steps"] = std::to_string(cfg.teacher_steps);
      if (!cfg.student_from.empty()) meta["student_from"] = fs::path(cfg.student_from).filename().string();
    }
    return meta;
  }

  void export_weights(const std::string& id, const std::map<std::string, std::string>& meta) {
    export_safetensors(exported(), cfg.out_dir + "/" + checkpoint_file(id), cfg.export_dtype, meta, schedule);
  }
};

}  // namespace

double training_throughput(const TrainConfig& cfg_in, int steps) {
  Setup setup = set_up(cfg_in);
  const TrainConfig& cfg = setup.cfg;
  Run run(setup);
  run.make_stepper();
  run.train_mode();
  run.begin_epoch(0);
  run.stepper->set_lr(cfg.lr);
  const auto order = epoch_order(cfg, run.data, 0);
  // Untimed: one run (a graph's warm-up, cuDNN's algorithm search and capture happen in it).
  const int64_t warm = std::min(run.stepper->preferred_run(), run.steps_per_epoch - 2);
  run.stepper->run(run.draw_steps(order, 0, 0, warm), 0)->get();
  const int64_t n = std::min<int64_t>(steps, run.steps_per_epoch - warm);
  const auto t0 = std::chrono::steady_clock::now();
  for (int64_t s = warm, to; s < warm + n; s = to) {
    to = std::min(s + run.stepper->preferred_run(), warm + n);
    run.stepper->run(run.draw_steps(order, 0, s, to), s)->get();
  }
  return static_cast<double>(n * cfg.batch) / std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

TrainResult train(const TrainConfig& cfg_in) {
  Setup setup = set_up(cfg_in);
  const TrainConfig& cfg = setup.cfg;
  const torch::Device dev = setup.dev;
  make_output_folder(cfg.out_dir);
  if (!cfg.resume) require_no_earlier_run(cfg.out_dir);  // before the lock's file, not to leave one in a refused folder
  const RunFolderLock lock(cfg.out_dir);
  Run run(setup);

  if (cfg.resume) {
    if (!fs::exists(run.ckpt_path)) throw std::runtime_error("--resume: no checkpoint at " + run.ckpt_path);
    run.resume();
    std::fprintf(stderr, "resumed from %s at step %lld (epoch %lld)\n", run.ckpt_path.c_str(),
                 static_cast<long long>(run.step), static_cast<long long>(run.step / run.steps_per_epoch));
    if (run.step >= run.epochs * run.steps_per_epoch) {
      std::fprintf(stderr, "the run has finished its %d epochs; nothing is left to train (a checkpoint keeps its planned epochs: "
                           "to train longer, start a new run into another --out)\n", run.epochs);
      return {run.step, run.epochs, NAN, false};
    }
    if (cfg.max_steps >= 0 && run.step >= cfg.max_steps) {
      std::fprintf(stderr, "the run is at step %lld, at or past --max-steps %lld; nothing to train\n",
                   static_cast<long long>(run.step), static_cast<long long>(cfg.max_steps));
      return {run.step, static_cast<int>(run.step / run.steps_per_epoch), NAN, false};
    }
  }
  TrainLog log(cfg.out_dir, cfg.resume ? run.step : -1);
  // The CPU's thread count is said, since the speed depends on it and LibTorch's own count can be wrong (torch_threads.h).
  const int threads = dev.is_cpu() ? torch::get_num_threads() : 0;
  const std::string where = dev.str() + (threads > 0 ? " (" + std::to_string(threads) + (threads == 1 ? " thread)" : " threads)") : "");
  std::fprintf(stderr, "%s on %s: %lld train / %lld val sprites, %lld steps per epoch of %lld images, %d epochs\n",
               run.distillation ? "distilling" : "training", where.c_str(), static_cast<long long>(run.data.train_idx.size(0)),
               static_cast<long long>(run.data.val_idx.size(0)), static_cast<long long>(run.steps_per_epoch),
               static_cast<long long>(cfg.epoch_images), run.epochs);
  std::fprintf(stderr, "in the page, epoch by epoch: scripts/demo --weights %s\n", cfg.out_dir.c_str());
  if (dev.is_cpu() && !cfg.amp && cpu_bf16() == CpuBf16::native)
    std::fprintf(stderr, "note: this CPU computes bf16 natively: --amp (bf16 autocast) trains faster (1.6-1.8x on this "
                         "project's 2-core VMs), and its loss follows the fp32 curve\n");
  if (run.data.val_idx.size(0) == 0)
    std::fprintf(stderr, "warning: no sprite is held out (too few of each class), so no validation loss is measured\n");
  if (run.distillation)
    std::fprintf(stderr, "progressive distillation of %s: %d -> %d steps, %d epochs per halving\n", cfg.distill_from.c_str(),
                 cfg.teacher_steps, cfg.distill_to, cfg.phase_epochs);

  run.make_stepper();
  TrainResult res;
  run.train_mode();
  int64_t last_ckpt = run.step;
  const auto t0 = std::chrono::steady_clock::now();
  const int64_t first_step = run.step;
  double ckpt_secs = 0;
  int ckpt_count = 0;
  auto save = [&] {
    const auto c0 = std::chrono::steady_clock::now();
    log.flush();
    run.save();
    last_ckpt = run.step;
    ckpt_secs += std::chrono::duration<double>(std::chrono::steady_clock::now() - c0).count();
    ++ckpt_count;
  };
  Progress bar(run.distillation ? "distill" : "train", 15.0);
  auto stopped = [&](int epochs_done, const std::string& where) {
    res.interrupted = g_stop.load();
    res.steps = run.step;
    res.epochs_done = epochs_done;
    std::fprintf(stderr, "%s; checkpoint saved to %s (continue with --resume)\n", where.c_str(), run.ckpt_path.c_str());
    return res;
  };

  for (int e = static_cast<int>(run.step / run.steps_per_epoch); e < run.epochs; ++e) {
    // 1. The epoch's steps in runs (one step each, or 32 for a CUDA graph), with a checkpoint every
    //    checkpoint_every steps and on a stop request. The next run is drawn, and unless a checkpoint
    //    comes first also queued, while the device works on this one, so a GPU never waits for the CPU.
    run.begin_epoch(e);
    run.stepper->set_lr(run.lr(e));
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
    // A run's losses, in step order; a NaN stops training with the last checkpoint in place.
    auto take = [&](PendingLosses& pending) {
      for (const float loss : pending.get()) {
        if (!std::isfinite(loss))
          throw std::runtime_error("loss became " + std::to_string(loss) + " at step " + std::to_string(run.step) +
                                   "; stopped. The last good checkpoint is " + run.ckpt_path + " (step " +
                                   std::to_string(last_ckpt) + ")");
        ++run.step;
        loss_sum += loss;
        ++loss_n;
        res.last_loss = loss;
        log.step(run.step, e, loss, run.lr(e));
      }
    };
    bool stop = false;
    int64_t from = run.step - first, to = run_end(from, last_ckpt);
    auto pending = run.stepper->run(run.draw_steps(order, e, from, to), first + from);
    while (true) {
      const bool ckpt_at_end = first + to - last_ckpt >= cfg.checkpoint_every;
      const bool max_at_end = cfg.max_steps >= 0 && first + to >= cfg.max_steps;
      const bool epoch_at_end = to >= run.steps_per_epoch;
      std::vector<StepBatch> next;
      std::unique_ptr<PendingLosses> ahead;
      int64_t next_to = to;
      if (!max_at_end && !epoch_at_end) {
        next_to = run_end(to, ckpt_at_end ? first + to : last_ckpt);
        next = run.draw_steps(order, e, to, next_to);
        if (!ckpt_at_end) ahead = run.stepper->run(next, first + to);
      }
      take(*pending);
      stop = g_stop.load() || max_at_end;
      if (stop && ahead) {  // a stop request: the queued run is done too before the checkpoint
        take(*ahead);
        ahead.reset();
        to = next_to;
      }
      const double el = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      char extra[160];
      std::snprintf(extra, sizeof extra, "epoch %d/%d loss %.4f %.0f img/s", e + 1, run.epochs, loss_sum / loss_n,
                    (run.step - first_step) * cfg.batch / std::max(el, 1e-9));
      bar.update(static_cast<long>(run.step), static_cast<long>(run.epochs * run.steps_per_epoch), extra);
      if (stop || run.step - last_ckpt >= cfg.checkpoint_every) save();
      if (stop || to >= run.steps_per_epoch) break;
      pending = ahead ? std::move(ahead) : run.stepper->run(next, first + to);
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
    char val_text[32] = "not measured";
    if (run.data.val_idx.size(0) > 0) std::snprintf(val_text, sizeof val_text, "%.4f", vl);
    std::fprintf(stderr, "\nepoch %d: train loss %.4f, validation loss %s\n", e, train_loss, val_text);

    // 3. Fit the plan into the time budget once the first epoch's speed is known.
    if (cfg.budget_minutes > 0 && run.step - first_step == run.steps_per_epoch) {
      const double per_epoch = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      const int fit = std::max(e + 1, static_cast<int>(cfg.budget_minutes * 60 / per_epoch));
      if (fit < run.epochs) {
        std::fprintf(stderr, "time budget %.1f min: %d epochs instead of %d\n", cfg.budget_minutes, fit, run.epochs);
        run.epochs = fit;
      }
    }

    // 4. Exports (the course's epochs, a distillation phase's student, the newest epoch of a run
    //    still training, the final one), then an epoch-end checkpoint.
    const auto meta = run.export_metadata(e, train_loss, vl);
    for (int k : cfg.export_epochs)
      if (k == e) run.export_weights(epoch_checkpoint_id(e), meta);
    if (run.distillation && (e + 1) % cfg.phase_epochs == 0) run.export_weights(student_checkpoint_id(run.student_steps(e)), meta);
    if (e + 1 < run.epochs) {
      run.export_weights(kLatestCheckpoint, meta);
    } else {
      run.export_weights(kFinalCheckpoint, meta);
      std::filesystem::remove(cfg.out_dir + "/" + checkpoint_file(kLatestCheckpoint));  // a finished run's folder as ever
    }
    save();
    if (stop) return stopped(e + 1, "stopped after epoch " + std::to_string(e));
  }
  bar.finish();
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::string upsampling;  // only when asked for: auto is the device's default
  for (const auto& [name, mode] : upsampling_names())
    if (mode == cfg.upsampling && mode != Upsampling::automatic) upsampling = ", " + name + " up-sampling";
  std::fprintf(stderr, "%lld steps in %.1f s: %.0f images/s (%s steps on %s%s%s%s); %d checkpoints took %.1f s of it\n",
               static_cast<long long>(run.step - first_step), secs, (run.step - first_step) * cfg.batch / std::max(secs, 1e-9),
               run.stepper->name(), dev.str().c_str(), cfg.channels_last ? ", channels-last" : "", cfg.amp ? ", bf16 autocast" : "",
               upsampling.c_str(), ckpt_count, ckpt_secs);
  res.steps = run.step;
  res.epochs_done = run.epochs;
  return res;
}

}  // namespace sprites
