#include "quality_eval.h"

#include "checkpoint_files.h"
#include "common/progress.h"
#include "engine.h"
#include "feature_stats.h"
#include "sprite_classifier.h"
#include "sprite_dataset.h"
#include "unet_weights.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>

namespace sprites {

namespace fs = std::filesystem;

std::vector<EvalConfig> standard_configs() {
  auto cfg = [](std::string id, std::string label, std::string weights, std::string sampler, int steps, float w,
                float eta = 0, bool in_default = true) {
    EvalConfig c{std::move(id), std::move(label), std::move(weights), {}, in_default};
    c.params.sampler = std::move(sampler);
    c.params.steps = steps;
    c.params.guidance = w;
    c.params.eta = eta;
    return c;
  };
  auto vary = [](EvalConfig c, float strength) {
    c.variations = true;
    c.params.strength = strength;
    return c;
  };
  auto resampled = [](EvalConfig c, int runs) {
    c.params.resample = runs;
    return c;
  };
  auto top_half = [](EvalConfig c, bool paste) {
    c.params.mask.assign(16 * 16, 0);  // every model here draws 16x16
    std::fill(c.params.mask.begin(), c.params.mask.begin() + 16 * 8, 1);
    c.paste = paste;
    return c;
  };
  return {
      cfg("ddpm500", "DDPM 500", "final", "ddpm", 500, 0),
      cfg("ddim10", "DDIM 10", "final", "ddim", 10, 0),
      cfg("ddim25", "DDIM 25", "final", "ddim", 25, 0),
      cfg("ddim50", "DDIM 50", "final", "ddim", 50, 0),
      cfg("dpm10", "DPM-Solver++ 10", "final", "dpm++", 10, 0),
      cfg("dpm20", "DPM-Solver++ 20", "final", "dpm++", 20, 0),
      cfg("ddim25-w1", "DDIM 25, guidance 1", "final", "ddim", 25, 1),
      cfg("ddim25-w3", "DDIM 25, guidance 3", "final", "ddim", 25, 3),
      cfg("ep0-ddim25", "DDIM 25, epoch 0", "ep0", "ddim", 25, 0),
      cfg("ep4-ddim25", "DDIM 25, epoch 4", "ep4", "ddim", 25, 0),
      cfg("ep8-ddim25", "DDIM 25, epoch 8", "ep8", "ddim", 25, 0),
      cfg("ddim25-eta1", "DDIM 25, eta 1", "final", "ddim", 25, 0, 1, false),
      cfg("ddim25-eta1-w1", "DDIM 25, eta 1, guidance 1", "final", "ddim", 25, 1, 1, false),
      cfg("ddim100", "DDIM 100", "final", "ddim", 100, 0, 0, false),
      cfg("dpm20-w1", "DPM-Solver++ 20, guidance 1", "final", "dpm++", 20, 1, 0, false),
      // A distillation's students, sprites_student<N>.safetensors beside --weights (native/trainer/distillation.h).
      cfg("student1", "student, 1 step", student_checkpoint_id(1), "student", 1, 0, 0, false),
      cfg("student2", "student, 2 steps", student_checkpoint_id(2), "student", 2, 0, 0, false),
      cfg("student4", "student, 4 steps", student_checkpoint_id(4), "student", 4, 0, 0, false),
      vary(cfg("vary0.3", "DDIM 25, variations at strength 0.3", "final", "ddim", 25, 0, 0, false), 0.3f),
      vary(cfg("vary0.6", "DDIM 25, variations at strength 0.6", "final", "ddim", 25, 0, 0, false), 0.6f),
      vary(cfg("vary0.9", "DDIM 25, variations at strength 0.9", "final", "ddim", 25, 0, 0, false), 0.9f),
      top_half(vary(cfg("repaint-top", "DDIM 25, top half repainted", "final", "ddim", 25, 0, 0, false), 1), false),
      top_half(vary(cfg("paste-top", "DDIM 25, top half drawn apart, pasted", "final", "ddim", 25, 0, 0, false), 1), true),
      resampled(top_half(vary(cfg("repaint-top-r4", "DDIM 25, top half repainted, each step 4 times", "final", "ddim", 25, 0, 0, false), 1), false), 4),
  };
}

namespace {

constexpr int kChunk = 100;      // sprites per sampling run: big enough to keep XNNPACK busy
constexpr int kGridPerClass = 8;

std::string cpu_name() {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  return "unknown CPU";
}

std::string utc_now() {
  const std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", std::gmtime(&t));
  return buf;
}

// Generated sprites per class in the dataset's proportions (largest remainder), so FID compares
// like with like.
std::vector<int> class_counts(const torch::Tensor& labels, int count) {
  const auto share = labels.argmax(1).bincount({}, labels.size(1)).to(torch::kDouble) / labels.size(0);
  std::vector<int> n(static_cast<size_t>(labels.size(1)));
  std::vector<std::pair<double, size_t>> rest;
  int given = 0;
  for (size_t c = 0; c < n.size(); ++c) {
    const double want = share[static_cast<int64_t>(c)].item<double>() * count;
    n[c] = static_cast<int>(want);
    given += n[c];
    rest.push_back({want - n[c], c});
  }
  std::sort(rest.rbegin(), rest.rend());
  for (size_t i = 0; given < count; ++i, ++given) ++n[rest[i % rest.size()].second];
  return n;
}

// Rows of kGridPerClass sprites, one row per class; `first[c]` is the class's first sprite.
Image class_grid(const std::vector<uint8_t>& rgb, int64_t size, const std::vector<int64_t>& first) {
  const size_t sprite = static_cast<size_t>(size * size * 3);
  std::vector<uint8_t> cells;
  for (int64_t f : first) cells.insert(cells.end(), rgb.begin() + f * sprite, rgb.begin() + (f + kGridPerClass) * sprite);
  return grid_image(cells, static_cast<int>(first.size()) * kGridPerClass, static_cast<int>(size), kGridPerClass, 3);
}

struct Judge {
  SpriteClassifier net;
  torch::Tensor heldout_features, train_images;
  double near_copy_threshold;

  SetMetrics measure(const torch::Tensor& images, const torch::Tensor& wanted_class) {
    SetMetrics m;
    const Classified c = classify(net, images);
    m.fid = frechet_distance(c.features, heldout_features);
    m.kid = kernel_inception_distance(c.features, heldout_features);
    m.diversity = mean_pairwise_distance(c.features);
    const auto acc = accuracy(c.predictions, wanted_class, net->n_classes);
    m.conditional_accuracy = acc.overall;
    m.per_class_accuracy = acc.per_class;
    m.near_copy_rate = (nearest_rms_distances(images, train_images) < near_copy_threshold).to(torch::kDouble).mean().item<double>();
    return m;
  }
};

// Mean absolute difference, in levels of 255, between the pixels of each pair of 4-neighbours that
// `mask` (H x W) splits, over images [N, 3, H, W] in [-1, 1]: how sharp the seam is.
double seam_levels(const torch::Tensor& images, const std::vector<uint8_t>& mask) {
  const int64_t h = images.size(2);
  std::vector<int64_t> a, b;
  for (int64_t y = 0; y < h; ++y)
    for (int64_t x = 0; x < h; ++x)
      for (const auto [ny, nx] : {std::pair{y, x + 1}, std::pair{y + 1, x}})
        if (ny < h && nx < h && mask[static_cast<size_t>(y * h + x)] != mask[static_cast<size_t>(ny * h + nx)]) {
          a.push_back(y * h + x);
          b.push_back(ny * h + nx);
        }
  const auto flat = images.flatten(2);
  return 127.5 * (flat.index_select(2, torch::tensor(a)) - flat.index_select(2, torch::tensor(b))).abs().mean().item<double>();
}

struct Generated {
  std::vector<uint8_t> rgb;     // [count, H, W, 3]
  std::vector<uint8_t> starts;  // variations: the sprite each started from, as rgb
  int nfe = 0;                  // network evaluations per sprite
};

// starts[c]: training sprites of class c (RGB8), for variations.
Generated generate(UnetXnn& net, const Schedule& sched, const EvalConfig& cfg, const std::vector<int>& counts, uint64_t seed,
                   int n_cfeat, const std::vector<std::vector<std::vector<uint8_t>>>& starts, Progress& bar) {
  const size_t img = net.image_size();
  SampleParams p = cfg.params;
  p.seed = seed;
  if (cfg.variations) p.init.assign(img, 0);  // for the step count; each batch sets its own
  const long steps = static_cast<long>(make_sampler(sched, p)->timesteps().size());
  Generated g;
  long total = 0, done = 0;
  for (int n : counts) total += n * steps;
  int index = 0;
  for (size_t c = 0; c < counts.size(); ++c) {
    p.context.assign(static_cast<size_t>(n_cfeat), 0.f);
    p.context[c] = 1.f;
    // Variations: consecutive sprites share a start, the class's training sprites in turn, each
    // batch with a start per sprite (one run per start left XNNPACK a batch of 1, 6x slower).
    const int per_start = cfg.variations ? (counts[c] + static_cast<int>(starts[c].size()) - 1) / static_cast<int>(starts[c].size()) : 0;
    for (int start = 0; start < counts[c]; start += kChunk) {
      p.count = std::min(kChunk, counts[c] - start);
      if (cfg.variations) {
        p.init.clear();
        for (int k = start; k < start + p.count; ++k) {
          const auto& from = starts[c][static_cast<size_t>(k / per_start)];
          p.init.insert(p.init.end(), from.begin(), from.end());
        }
        g.starts.insert(g.starts.end(), p.init.begin(), p.init.end());
      }
      p.first_index = index + start;  // noise keyed by this index: every configuration sees the same starts
      SampleParams drawn = p;
      if (cfg.paste) {
        drawn.init.clear();
        drawn.mask.clear();
      }
      std::vector<float> x;
      sample(net, sched, drawn, x, [&](const StepView& v) {
        bar.update(done + static_cast<long>(v.step + 1) * p.count, total);
        return true;
      });
      done += steps * p.count;
      auto px = to_rgb8(x);
      if (cfg.paste)
        for (size_t j = 0; j < px.size(); ++j)
          if (!p.mask[j % img / 3]) px[j] = p.init[j];
      g.rgb.insert(g.rgb.end(), px.begin(), px.end());
    }
    index += counts[c];
  }
  // Every class's context is one-hot alike; resampling runs each step but the last that many times.
  g.nfe = static_cast<int>((steps - 1) * p.resample + 1) * (is_guided(p) ? 2 : 1);
  return g;
}

}  // namespace

std::string config_weights_path(const std::string& final_path, const std::string& key) {
  if (key == kFinalCheckpoint) return final_path;
  const fs::path folder = fs::path(final_path).parent_path();
  const fs::path run = folder / checkpoint_file(key);
  const int epoch = checkpoint_epoch(key);
  std::error_code ec;
  if (epoch >= 0 && !fs::exists(run, ec) && course_checkpoint_epoch(fs::path(final_path).filename().string()) >= 0)
    return (folder / course_checkpoint_file(epoch)).string();
  return run.string();
}

std::vector<EvalConfig> select_configs(const std::vector<std::string>& ids, const std::string& final_path) {
  std::vector<EvalConfig> configs;
  const auto all = standard_configs();
  if (ids.empty())
    for (const EvalConfig& c : all) {
      if (!c.in_default) continue;
      const std::string path = config_weights_path(final_path, c.weights);
      std::error_code ec;
      if (c.weights == kFinalCheckpoint || fs::exists(path, ec)) configs.push_back(c);  // no final is an error, later
      else std::fprintf(stderr, "note: %s is not there: %s left out\n", path.c_str(), c.id.c_str());
    }
  for (const auto& id : ids) {
    auto it = std::find_if(all.begin(), all.end(), [&](const EvalConfig& c) { return c.id == id; });
    if (it == all.end()) {
      std::string known;
      for (const auto& c : all) known += (known.empty() ? "" : ", ") + c.id;
      throw std::runtime_error("unknown configuration '" + id + "' (known: " + known + ")");
    }
    configs.push_back(*it);
  }
  return configs;
}

namespace {

// Loads the judge and measures the real data with it: its accuracy, the near-copy threshold, the
// real-against-real reference row and the held-out grid.
Judge prepare_judge(const std::string& classifier, const SpriteDataset& data, QualityReport& r) {
  std::string trained_on;
  Judge judge{load_classifier(classifier, &trained_on), {}, {}, 0};
  if (trained_on != data.sha256)
    throw std::runtime_error(classifier + ": trained on another dataset (sha256 " + trained_on.substr(0, 12) + ", this one " +
                             data.sha256.substr(0, 12) + "); retrain with sprites-eval classifier");
  if (judge.net->n_classes != data.labels.size(1)) throw std::runtime_error(classifier + ": class count differs from the dataset's");

  const auto heldout = data.images.index_select(0, data.val_idx), train = data.images.index_select(0, data.train_idx);
  const auto heldout_y = data.labels.index_select(0, data.val_idx).argmax(1), train_y = data.labels.index_select(0, data.train_idx).argmax(1);
  r.dataset_sha256 = data.sha256;
  r.train_size = train.size(0);
  r.heldout_size = heldout.size(0);
  const Classified on_heldout = classify(judge.net, heldout), on_train = classify(judge.net, train);
  const auto acc = accuracy(on_heldout.predictions, heldout_y, judge.net->n_classes);
  r.classifier_heldout_accuracy = acc.overall;
  r.classifier_per_class = acc.per_class;
  r.classifier_train_accuracy = accuracy(on_train.predictions, train_y, judge.net->n_classes).overall;
  r.majority_share = heldout_y.bincount().max().item<double>() / heldout_y.size(0);
  judge.heldout_features = on_heldout.features;
  // Fewer sprites than features leave the held-out covariance singular: an FID still comes out,
  // but it measures the sample size more than the model.
  if (heldout.size(0) <= on_heldout.features.size(1))
    std::fprintf(stderr, "warning: %lld held-out sprites for %lld features: sprite-FID and KID say little on a dataset this small\n",
                 static_cast<long long>(heldout.size(0)), static_cast<long long>(on_heldout.features.size(1)));
  judge.train_images = train;
  judge.near_copy_threshold = torch::quantile(nearest_rms_distances(heldout, train), kNearCopyQuantile).item<double>();
  r.near_copy_threshold = judge.near_copy_threshold;
  r.train_vs_heldout_fid = frechet_distance(on_train.features, judge.heldout_features);
  r.train_vs_heldout_kid = kernel_inception_distance(on_train.features, judge.heldout_features);
  r.heldout_diversity = mean_pairwise_distance(judge.heldout_features);
  std::vector<int64_t> first;
  for (int64_t c = 0; c < data.labels.size(1); ++c) first.push_back(heldout_y.eq(c).nonzero()[0].item<int64_t>());
  r.heldout_grid = class_grid(images_to_rgb8(heldout), data.height, first);
  return judge;
}

}  // namespace

QualityReport run_quality_eval(const QualityOptions& opt, const std::function<void(const QualityReport&)>& on_result) {
  const auto wall0 = std::chrono::steady_clock::now();
  const std::vector<EvalConfig> configs = select_configs(opt.config_ids, opt.weights);
  if (opt.count < 10) throw std::runtime_error("--count must be at least 10");
  std::map<std::string, UnetWeights> weights;
  for (const auto& c : configs)
    if (!weights.count(c.weights)) weights.emplace(c.weights, load_unet_weights(config_weights_path(opt.weights, c.weights)));

  QualityReport r;
  r.options = opt;
  r.date_utc = utc_now();
  r.cpu = cpu_name();
  const SpriteDataset data = load_sprite_dataset(opt.images, opt.labels);
  require_held_out(data, opt.images);
  for (const auto& [key, w] : weights) {
    if (w.arch.height != data.height || w.arch.n_cfeat != data.labels.size(1))
      throw std::runtime_error(config_weights_path(opt.weights, key) + ": " + std::to_string(w.arch.n_cfeat) + " classes of " +
                               std::to_string(w.arch.height) + "x" + std::to_string(w.arch.height) + " sprites, " + opt.images + " has " +
                               std::to_string(data.labels.size(1)) + " of " + std::to_string(data.height) + "x" + std::to_string(data.height) +
                               ": give the weights' own sprites with --images and --labels, and a judge trained on them with --classifier (sprites-eval classifier makes one)");
    r.weights_epoch[key] = w.epoch();
    r.class_names = w.labels;
  }
  if (r.class_names.empty()) throw std::runtime_error("no configuration selected");
  Judge judge = prepare_judge(opt.classifier, data, r);

  r.class_counts = class_counts(data.labels, opt.count);
  std::vector<int64_t> wanted, first;
  for (size_t c = 0; c < r.class_counts.size(); ++c) {
    if (r.class_counts[c] < kGridPerClass) throw std::runtime_error("--count is too small to give every class " + std::to_string(kGridPerClass) + " sprites");
    first.push_back(static_cast<int64_t>(wanted.size()));
    wanted.insert(wanted.end(), static_cast<size_t>(r.class_counts[c]), static_cast<int64_t>(c));
  }
  const auto wanted_t = torch::tensor(wanted, torch::kLong);

  // Variations start from training sprites: the held-out ones are what FID compares with.
  std::vector<std::vector<std::vector<uint8_t>>> starts(r.class_counts.size());
  if (std::any_of(configs.begin(), configs.end(), [](const EvalConfig& c) { return c.variations; })) {
    const auto train = images_to_rgb8(data.images.index_select(0, data.train_idx));
    const auto train_y = data.labels.index_select(0, data.train_idx).argmax(1);
    const size_t sprite = static_cast<size_t>(data.height * data.height * 3);
    for (int64_t i = 0; i < train_y.size(0); ++i)
      starts[static_cast<size_t>(train_y[i].item<int64_t>())].emplace_back(train.begin() + i * sprite, train.begin() + (i + 1) * sprite);
    for (size_t c = 0; c < starts.size(); ++c)
      if (starts[c].empty()) throw std::runtime_error(opt.images + ": class " + r.class_names[c] + " has no training sprite to vary");
  }

  const EngineInfo eng = init_engine(opt.threads);
  if (!eng.ok) throw std::runtime_error(eng.message);
  r.threads = eng.threads;
  std::map<std::string, std::unique_ptr<UnetXnn>> nets;
  for (const auto& cfg : configs) {
    const UnetWeights& w = weights.at(cfg.weights);
    auto& net = nets[cfg.weights];
    if (!net) net = std::make_unique<UnetXnn>(w, eng.pool);
    const Schedule sched = schedule_for(w.arch);
    ConfigResult res{cfg, 0, 0, {}, {}};
    Progress bar(cfg.id, 30.0);
    const auto t0 = std::chrono::steady_clock::now();
    const Generated gen = generate(*net, sched, cfg, r.class_counts, opt.seed, w.arch.n_cfeat, starts, bar);
    res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    bar.finish();
    res.nfe = gen.nfe;
    const auto images = rgb8_to_images(gen.rgb, opt.count, w.arch.height, w.arch.height);
    res.metrics = judge.measure(images, wanted_t);
    if (!gen.starts.empty())  // images are in [-1, 1]: 127.5 levels per unit
      res.metrics.distance_to_start =
          127.5 * (images - rgb8_to_images(gen.starts, opt.count, w.arch.height, w.arch.height)).pow(2).mean({1, 2, 3}).sqrt().mean().item<double>();
    if (!cfg.params.mask.empty()) {
      res.metrics.seam = seam_levels(images, cfg.params.mask);
      res.metrics.seam_real = seam_levels(data.images.index_select(0, data.val_idx), cfg.params.mask);
    }
    res.grid = class_grid(gen.rgb, w.arch.height, first);
    std::fprintf(stderr, "%s: FID %.2f  KID %.4f  cond. acc. %.1f%%  near-copies %.1f%%  (%.0f s)\n", cfg.id.c_str(),
                 res.metrics.fid, res.metrics.kid, 100 * res.metrics.conditional_accuracy, 100 * res.metrics.near_copy_rate, res.seconds);
    r.results.push_back(std::move(res));
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
    if (on_result) on_result(r);
  }
  return r;
}

}  // namespace sprites
