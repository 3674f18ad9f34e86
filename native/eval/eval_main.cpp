// sprites-eval: the quality report. `classifier` trains the judge on the real training split;
// `report` samples every configuration with the shared core and writes docs/quality.{md,json}.
#include "checkpoint_files.h"
#include "common/cli_command.h"
#include "common/cli_number.h"
#include "common/cli_text.h"
#include "common/error_line.h"
#include "quality_eval.h"
#include "quality_report.h"
#include "sprite_classifier.h"
#include "sprite_dataset.h"
#include "split_list.h"
#include "torch_threads.h"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <filesystem>

namespace {

std::vector<std::string> split_ids(const std::string& s) {
  std::vector<std::string> out;
  for (const std::string& item : sprites::split_list(s, ','))
    if (!item.empty()) out.push_back(item);
  return out;
}

}  // namespace

// docs for the shipped weights, however named; the weights' own folder for any others.
static std::string report_folder(const std::string& weights, const std::string& shipped) {
  std::error_code ec;
  if (std::filesystem::equivalent(weights, shipped, ec)) return "docs";
  const auto folder = std::filesystem::path(weights).parent_path();
  return folder.empty() ? "." : folder.string();
}

int main(int argc, char** argv) {
  CLI::App app{"Quality report for sprite diffusion weights: sprite classifier, sprite-FID, KID, conditional accuracy, "
               "diversity and near-copies per sampler, guidance scale and checkpoint."};
  sprites::require_one_command(app);
  std::string images = "assets/dataset/sprites_2642_16x16.npy", labels = "assets/dataset/sprite_labels_nc_2642_16x16.npy";
  std::string classifier = "assets/classifier/sprite_classifier.pt";
  int threads = 0;
  for (auto* cmd : {app.add_subcommand("classifier", "train the judge on the training split; report held-out accuracy"),
                    app.add_subcommand("report", "sample every configuration and write quality.md, quality.json, grids")}) {
    cmd->add_option("--images", images, "sprites .npy, uint8 (N,H,W,3)")->capture_default_str()->check(CLI::ExistingFile);
    cmd->add_option("--labels", labels, "labels .npy, (N,n_classes) one-hot")->capture_default_str()->check(CLI::ExistingFile);
    cmd->add_option("--classifier", classifier, "classifier file (written by `classifier`, read by `report`)")->capture_default_str()->check(sprites::not_empty());
    sprites::add_threads_option(cmd, threads, 1024);
  }
  sprites::ClassifierTrainConfig ccfg;
  auto* cls = app.get_subcommand("classifier");
  cls->add_option("--epochs", ccfg.epochs, "passes over the training split")->capture_default_str()->check(CLI::Range(1, 10000));
  cls->add_option("--seed", ccfg.seed, "seed for weights and batch order")->capture_default_str()->check(sprites::seed_number());

  sprites::QualityOptions q;
  const std::string default_weights = "assets/weights/" + sprites::checkpoint_file(sprites::kFinalCheckpoint);
  q.weights = default_weights;
  std::string out, ids;
  auto* rep = app.get_subcommand("report");
  rep->add_option("--weights", q.weights, "final weights; sprites_ep{0,4,8}.safetensors beside them are the checkpoints (beside a course notebook's model_<epoch>.pth, its model_{0,4,8}.pth)")
      ->capture_default_str()->check(CLI::ExistingFile);
  rep->add_option("--out", out, "folder for quality.md, quality.json and quality/*.png (default: docs for the shipped weights, the folder of any other --weights)")->check(sprites::not_empty());
  rep->add_option("--count", q.count, "sprites per configuration")->capture_default_str()->check(CLI::Range(10, 1000000));
  rep->add_option("--seed", q.seed, "noise seed")->capture_default_str()->check(sprites::seed_number());
  std::string known, extra;
  for (const auto& c : sprites::standard_configs()) {
    std::string& list = c.in_default ? known : extra;
    list += (list.empty() ? "" : ",") + c.id;
  }
  rep->add_option("--configs", ids, "comma-separated configuration ids; default: " + known + "; on request: " + extra)->check(sprites::not_empty());
  CLI11_PARSE(app, argc, argv);
  // A report on a run's weights goes beside them, not over the project's docs/quality.md.
  if (out.empty()) out = report_folder(q.weights, default_weights);

  try {
    sprites::set_torch_threads(threads);
    if (cls->parsed()) {
      const auto data = sprites::load_sprite_dataset(images, labels);
      sprites::require_held_out(data, images);
      auto net = sprites::train_classifier(data, ccfg);
      const auto acc = sprites::classifier_accuracy(net, data.images.index_select(0, data.val_idx),
                                                    data.labels.index_select(0, data.val_idx).argmax(1));
      sprites::save_classifier(net, classifier, data.sha256);
      std::printf("wrote %s: held-out accuracy %.1f%% (%lld sprites)\n", classifier.c_str(), 100 * acc.overall,
                  static_cast<long long>(data.val_idx.size(0)));
      return 0;
    }
    q.images = images;
    q.labels = labels;
    q.classifier = classifier;
    q.threads = threads;
    q.config_ids = split_ids(ids);
    const auto r = sprites::run_quality_eval(q, [&](const sprites::QualityReport& partial) { sprites::write_quality_report(partial, out); });
    std::printf("wrote %s/quality.md and quality.json: %zu configurations, %d sprites each, %.0f s\n", out.c_str(), r.results.size(),
                q.count, r.seconds);
    return 0;
  } catch (const std::exception& e) {
    return sprites::report_error(e);
  }
}
