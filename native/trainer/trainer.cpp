#include "trainer.h"

#include "common/atomic_file.h"
#include "common/progress.h"
#include "export_weights.h"
#include "schedule.h"
#include "sprite_dataset.h"

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace sprites {
namespace fs = std::filesystem;

static std::atomic<bool> g_stop{false};
void request_stop() { g_stop = true; }

// All randomness of a step comes from a generator keyed by (seed, stream, index), so a resumed run
// draws exactly what the uninterrupted one would have, with no RNG state to save.
static torch::Generator keyed_generator(uint64_t seed, uint64_t stream, uint64_t index) {
  uint64_t z = seed * 0x9E3779B97F4A7C15ull ^ (stream << 56) ^ index;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return at::make_generator<at::CPUGeneratorImpl>(z ^ (z >> 31));
}

static torch::Device pick_device(const std::string& want) {
  if (want == "cpu") return torch::kCPU;
  if (want == "cuda") {
    if (!torch::cuda::is_available()) throw std::runtime_error("--device cuda: this LibTorch has no usable CUDA device");
    return torch::kCUDA;
  }
  if (want == "auto") return torch::cuda::is_available() ? torch::kCUDA : torch::kCPU;
  throw std::runtime_error("--device must be auto, cpu or cuda, not '" + want + "'");
}

namespace {

struct Run {
  const TrainConfig& cfg;
  torch::Device dev;
  SpriteDataset data;
  torch::Tensor ab_t;  // abar_t, t = 0..T, from the core's schedule (the course's values)
  ContextUnet model;
  ContextUnet ema{nullptr};                    // the moving average, when cfg.ema > 0
  std::vector<torch::Tensor> ema_f, model_f;   // their floating-point parameters and buffers
  std::vector<std::pair<torch::Tensor, torch::Tensor>> ema_counters;  // BatchNorm's step counters
  torch::optim::Adam opt;
  int64_t steps_per_epoch;
  int epochs;
  int64_t step = 0;  // global steps done
  std::string ckpt_path, loss_csv, val_csv;

  Run(const TrainConfig& c, torch::Device d)
      : cfg(c), dev(d), data(load_sprite_dataset(c.images, c.labels, c.val_every)), model(c.unet),
        opt(model->parameters(), torch::optim::AdamOptions(c.lr)),
        steps_per_epoch((c.epoch_images + c.batch - 1) / c.batch), epochs(c.epochs) {
    if (data.height != c.unet.height)
      throw std::runtime_error(c.images + ": sprites are " + std::to_string(data.height) + " px, the model expects " +
                               std::to_string(c.unet.height));
    if (data.labels.size(1) != c.unet.n_cfeat)
      throw std::runtime_error(c.labels + ": " + std::to_string(data.labels.size(1)) + " classes, the model expects " +
                               std::to_string(c.unet.n_cfeat));
    if (static_cast<int64_t>(c.label_names.size()) != c.unet.n_cfeat)
      throw std::runtime_error("--label-names needs " + std::to_string(c.unet.n_cfeat) + " names");
    model->to(dev);
    if (c.ema > 0) {
      if (c.ema >= 1) throw std::runtime_error("--ema must be a decay below 1, e.g. 0.999");
      ema = ContextUnet(c.unet);
      ema->to(dev);
      ema->eval();  // only ever evaluated and exported
      auto take = [&](std::vector<torch::Tensor> e, std::vector<torch::Tensor> m) {
        for (size_t i = 0; i < e.size(); ++i) {
          if (e[i].is_floating_point()) {
            ema_f.push_back(e[i]);
            model_f.push_back(m[i]);
          } else {
            ema_counters.emplace_back(e[i], m[i]);
          }
        }
      };
      take(ema->parameters(), model->parameters());
      take(ema->buffers(), model->buffers());
      torch::NoGradGuard ng;
      for (size_t i = 0; i < ema_f.size(); ++i) ema_f[i].copy_(model_f[i]);
    }
    data.images = data.images.to(dev);
    data.labels = data.labels.to(dev);
    ab_t = torch::tensor(Schedule().ab).to(dev);
    ckpt_path = c.out_dir + "/checkpoint.pt";
    loss_csv = c.out_dir + "/loss.csv";
    val_csv = c.out_dir + "/val.csv";
  }

  // The images of epoch e: whole shuffled passes over the training split, cut to epoch_images.
  torch::Tensor epoch_order(int e) {
    auto g = keyed_generator(cfg.seed, 1, static_cast<uint64_t>(e));
    const int64_t n = data.train_idx.size(0);
    std::vector<torch::Tensor> passes;
    for (int64_t have = 0; have < cfg.epoch_images; have += n)
      passes.push_back(data.train_idx.index_select(0, torch::randperm(n, g, torch::kLong)));
    return torch::cat(passes).slice(0, 0, cfg.epoch_images);
  }

  double lr_for_epoch(int e) const { return cfg.lr * (1.0 - static_cast<double>(e) / epochs); }

  void set_lr(double lr) {
    for (auto& g : opt.param_groups()) static_cast<torch::optim::AdamOptions&>(g.options()).lr(lr);
  }

  // What validation and the exports see.
  ContextUnet& exported() { return ema ? ema : model; }

  // ema = d ema + (1 - d) model after each optimiser step; the warm-up keeps the random initial
  // weights from lingering in the early checkpoints (d = 0.99 after epoch 0 at batch 100).
  void update_ema() {
    if (!ema) return;
    torch::NoGradGuard ng;
    const double d = std::min(cfg.ema, (1.0 + static_cast<double>(step)) / (10.0 + static_cast<double>(step)));
    at::_foreach_mul_(ema_f, d);
    at::_foreach_add_(ema_f, model_f, 1 - d);
    for (auto& [e, m] : ema_counters) e.copy_(m);
  }

  // x_t = sqrt(abar_t) x0 + sqrt(1 - abar_t) eps; the model sees t / T.
  torch::Tensor loss_on(ContextUnet& net, const torch::Tensor& x0, const torch::Tensor& c, torch::Generator& g) {
    const int64_t n = x0.size(0), T = ab_t.size(0) - 1;
    auto noise = torch::randn(x0.sizes(), g).to(dev);
    auto t = torch::randint(1, T + 1, {n}, g, torch::kLong).to(dev);
    auto ab = ab_t.index_select(0, t).view({-1, 1, 1, 1});
    auto x_t = ab.sqrt() * x0 + (1 - ab).sqrt() * noise;
    auto pred = net->forward(x_t, (t.to(torch::kFloat) / T).view({-1, 1}), c);
    return torch::mse_loss(pred, noise);
  }

  float train_step(const torch::Tensor& idx) {
    auto g = keyed_generator(cfg.seed, 2, static_cast<uint64_t>(step));
    const int64_t n = idx.size(0);
    auto x0 = data.images.index_select(0, idx);
    if (cfg.flip) {
      auto f = torch::rand({n}, g).lt(0.5).to(dev).view({-1, 1, 1, 1});
      x0 = torch::where(f, x0.flip({3}), x0);
    }
    auto keep = torch::rand({n}, g).ge(cfg.context_drop).to(dev, torch::kFloat).view({-1, 1});
    auto c = data.labels.index_select(0, idx) * keep;
    auto loss = loss_on(model, x0, c, g);
    opt.zero_grad();
    loss.backward();
    opt.step();
    update_ema();
    return loss.item<float>();
  }

  // Mean noise-prediction loss on the held-out sprites with fixed noise and timesteps (eval mode).
  double val_loss() {
    if (data.val_idx.size(0) == 0) return NAN;
    torch::NoGradGuard ng;
    ContextUnet& net = exported();
    net->eval();
    auto g = keyed_generator(cfg.seed, 3, 0);
    double sum = 0;
    int64_t count = 0;
    auto idx_all = data.val_idx.to(dev);
    for (int64_t s = 0; s < idx_all.size(0); s += cfg.batch) {
      auto idx = idx_all.slice(0, s, std::min(s + cfg.batch, idx_all.size(0)));
      auto l = loss_on(net, data.images.index_select(0, idx), data.labels.index_select(0, idx), g);
      sum += l.item<double>() * idx.size(0);
      count += idx.size(0);
    }
    model->train();  // the EMA stays in eval mode
    return sum / count;
  }

  void save_checkpoint() {
    write_file_atomic(ckpt_path, [&](const std::string& tmp) {
      torch::serialize::OutputArchive ar;
      model->save(ar);
      torch::serialize::OutputArchive opt_ar;
      opt.save(opt_ar);
      ar.write("optimizer", opt_ar);
      if (ema) {
        torch::serialize::OutputArchive ema_ar;
        ema->save(ema_ar);
        ar.write("ema", ema_ar);
      }
      ar.write("step", torch::tensor(step));
      ar.write("epochs", torch::tensor(static_cast<int64_t>(epochs)));
      ar.save_to(tmp);
    });
  }

  void load_checkpoint() {
    torch::serialize::InputArchive ar;
    try {
      ar.load_from(ckpt_path, dev);
      model->load(ar);
      torch::serialize::InputArchive opt_ar;
      ar.read("optimizer", opt_ar);
      opt.load(opt_ar);
      if (ema) {
        torch::serialize::InputArchive ema_ar;
        if (!ar.try_read("ema", ema_ar))
          throw std::runtime_error(ckpt_path + ": this run kept no moving average; resume it without --ema");
        ema->load(ema_ar);
      }
      torch::Tensor s, e;
      ar.read("step", s);
      ar.read("epochs", e);
      step = s.item<int64_t>();
      epochs = static_cast<int>(e.item<int64_t>());
    } catch (const c10::Error& err) {
      throw std::runtime_error(ckpt_path + ": cannot resume from this checkpoint (" + err.what_without_backtrace() + ")");
    }
  }

  // Drops CSV rows written after the checkpoint we resume from, so the log matches the state.
  static void truncate_csv(const std::string& path, int64_t max_step, int col) {
    std::ifstream in(path);
    if (!in) return;
    std::string line, out;
    std::getline(in, line);
    out = line + "\n";
    while (std::getline(in, line)) {
      std::stringstream ss(line);
      std::string cell;
      for (int i = 0; i <= col; ++i) std::getline(ss, cell, ',');
      if (!cell.empty() && std::stoll(cell) <= max_step) out += line + "\n";
    }
    write_file_atomic(path, std::vector<uint8_t>(out.begin(), out.end()));
  }

  std::map<std::string, std::string> provenance(int epoch_index, double loss) const {
    std::string names;
    for (auto& n : cfg.label_names) names += (names.empty() ? "" : ",") + n;
    return {{"labels", names},
            {"epoch", std::to_string(epoch_index)},
            {"epochs_planned", std::to_string(epochs)},
            {"steps", std::to_string(step)},
            {"images_seen", std::to_string(step * cfg.batch)},
            {"batch", std::to_string(cfg.batch)},
            {"dataset_sha256", data.sha256},
            {"final_loss", c10::str(loss)},
            {"seed", std::to_string(cfg.seed)},
            {"ema", ema ? c10::str(cfg.ema) : "none"}};
  }
};

}  // namespace

TrainResult train(const TrainConfig& cfg) {
  const torch::Device dev = pick_device(cfg.device);
  if (cfg.threads > 0) torch::set_num_threads(cfg.threads);
  if (cfg.epochs < 1 || cfg.batch < 1 || cfg.epoch_images < 1) throw std::runtime_error("epochs, batch and epoch size must be positive");
  fs::create_directories(cfg.out_dir);
  torch::manual_seed(cfg.seed);  // initial weights
  Run run(cfg, dev);

  if (cfg.resume) {
    if (!fs::exists(run.ckpt_path)) throw std::runtime_error("--resume: no checkpoint at " + run.ckpt_path);
    run.load_checkpoint();
    Run::truncate_csv(run.loss_csv, run.step, 0);
    Run::truncate_csv(run.val_csv, run.step, 1);
    std::fprintf(stderr, "resumed from %s at step %lld (epoch %lld)\n", run.ckpt_path.c_str(),
                 static_cast<long long>(run.step), static_cast<long long>(run.step / run.steps_per_epoch));
  } else {
    std::ofstream(run.loss_csv) << "step,epoch,loss,lr\n";
    std::ofstream(run.val_csv) << "epoch,step,val_loss\n";
  }
  std::ofstream loss_log(run.loss_csv, std::ios::app), val_log(run.val_csv, std::ios::app);
  std::fprintf(stderr, "training on %s: %lld train / %lld val sprites, %lld steps per epoch of %lld images, %d epochs\n",
               dev.str().c_str(), static_cast<long long>(run.data.train_idx.size(0)),
               static_cast<long long>(run.data.val_idx.size(0)), static_cast<long long>(run.steps_per_epoch),
               static_cast<long long>(cfg.epoch_images), run.epochs);

  TrainResult res;
  run.model->train();
  int64_t last_ckpt = run.step;
  auto t0 = std::chrono::steady_clock::now();
  const int64_t first_step = run.step;
  double epoch_loss_sum = 0;
  int64_t epoch_loss_n = 0;
  bool stop_after_epoch = false;  // a stop on an epoch's last step still validates and exports it
  Progress bar("train", 15.0);
  for (int e = static_cast<int>(run.step / run.steps_per_epoch); e < run.epochs; ++e) {
    run.set_lr(run.lr_for_epoch(e));
    auto order = run.epoch_order(e).to(dev);
    epoch_loss_sum = 0;
    epoch_loss_n = 0;
    for (int64_t s = run.step - static_cast<int64_t>(e) * run.steps_per_epoch; s < run.steps_per_epoch; ++s) {
      const int64_t lo = s * cfg.batch, hi = std::min(lo + cfg.batch, cfg.epoch_images);
      const float loss = run.train_step(order.slice(0, lo, hi));
      if (!std::isfinite(loss)) {
        throw std::runtime_error("loss became " + std::to_string(loss) + " at step " + std::to_string(run.step) +
                                 "; stopped. The last good checkpoint is " + run.ckpt_path + " (step " +
                                 std::to_string(last_ckpt) + ")");
      }
      ++run.step;
      epoch_loss_sum += loss;
      ++epoch_loss_n;
      res.last_loss = loss;
      loss_log << run.step << ',' << e << ',' << loss << ',' << run.lr_for_epoch(e) << '\n';
      const double el = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      char extra[160];
      std::snprintf(extra, sizeof extra, "epoch %d/%d loss %.4f %.0f img/s", e + 1, run.epochs,
                    epoch_loss_sum / epoch_loss_n, (run.step - first_step) * cfg.batch / std::max(el, 1e-9));
      bar.update(static_cast<long>(run.step), static_cast<long>(run.epochs * run.steps_per_epoch), extra);
      const bool stop = g_stop.load() || (cfg.max_steps >= 0 && run.step >= cfg.max_steps);
      if (stop || run.step - last_ckpt >= cfg.checkpoint_every) {
        loss_log.flush();
        run.save_checkpoint();
        last_ckpt = run.step;
      }
      if (stop) {
        stop_after_epoch = true;
        break;
      }
    }
    if (stop_after_epoch && run.step % run.steps_per_epoch != 0) {  // mid-epoch: resume redoes the rest
      res.interrupted = g_stop.load();
      res.steps = run.step;
      res.epochs_done = e;
      std::fprintf(stderr, "\nstopped at step %lld; checkpoint saved to %s (continue with --resume)\n",
                   static_cast<long long>(run.step), run.ckpt_path.c_str());
      return res;
    }
    const double vl = run.val_loss();
    val_log << e << ',' << run.step << ',' << vl << '\n';
    val_log.flush();
    const double train_loss = epoch_loss_sum / std::max<int64_t>(epoch_loss_n, 1);
    std::fprintf(stderr, "\nepoch %d: train loss %.4f, validation loss %.4f\n", e, train_loss, vl);
    // Fit the plan into the time budget once the first epoch's speed is known.
    if (cfg.budget_minutes > 0 && run.step - first_step == run.steps_per_epoch) {
      const double per_epoch = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      const int fit = std::max(e + 1, static_cast<int>(cfg.budget_minutes * 60 / per_epoch));
      if (fit < run.epochs) {
        std::fprintf(stderr, "time budget %.1f min: %d epochs instead of %d\n", cfg.budget_minutes, fit, run.epochs);
        run.epochs = fit;
      }
    }
    const bool last = e + 1 == run.epochs;
    auto meta = run.provenance(e, train_loss);
    meta["val_loss"] = c10::str(vl);
    for (int k : cfg.export_epochs)
      if (k == e) export_safetensors(run.exported(), cfg.out_dir + "/sprites_ep" + std::to_string(e) + ".safetensors", !cfg.fp32_export, meta);
    if (last) export_safetensors(run.exported(), cfg.out_dir + "/sprites_final.safetensors", !cfg.fp32_export, meta);
    loss_log.flush();
    run.save_checkpoint();
    last_ckpt = run.step;
    if (stop_after_epoch) {
      res.interrupted = g_stop.load();
      res.steps = run.step;
      res.epochs_done = e + 1;
      std::fprintf(stderr, "stopped after epoch %d; checkpoint saved to %s (continue with --resume)\n", e,
                   run.ckpt_path.c_str());
      return res;
    }
  }
  bar.finish();
  res.steps = run.step;
  res.epochs_done = run.epochs;
  return res;
}

}  // namespace sprites
