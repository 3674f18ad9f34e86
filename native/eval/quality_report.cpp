#include "quality_report.h"

#include "common/atomic_file.h"
#include "label_names.h"
#include "repaint_mask.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace sprites {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct Target {
  std::string what, value, goal;
  bool met;
};

const ConfigResult* find(const QualityReport& r, const std::string& id) {
  for (const auto& c : r.results)
    if (c.config.id == id) return &c;
  return nullptr;
}

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

std::string pct(double v) { return fmt("%.1f%%", 100 * v); }

// The quality targets the project set itself, for whichever of their configurations were run.
std::vector<Target> targets(const QualityReport& r) {
  std::vector<Target> t;
  const auto *ddpm = find(r, "ddpm500"), *ddim = find(r, "ddim25"), *dpm = find(r, "dpm10");
  if (ddpm && ddim) {
    const double ratio = ddim->metrics.fid / ddpm->metrics.fid;
    t.push_back({"DDIM-25 sprite-FID <= 1.2x DDPM-500", fmt("%.2fx", ratio), "<= 1.20x", ratio <= 1.2});
  }
  if (ddim && dpm)
    t.push_back({"DPM-Solver++ 10 sprite-FID <= DDIM-25", fmt("%.2f", dpm->metrics.fid) + " vs " + fmt("%.2f", ddim->metrics.fid), "<=",
                 dpm->metrics.fid <= ddim->metrics.fid});
  for (const char* id : {"ddpm500", "ddim25"})
    if (const auto* c = find(r, id))
      t.push_back({"one-hot conditional accuracy, " + c->config.label, pct(c->metrics.conditional_accuracy), ">= 90%",
                   c->metrics.conditional_accuracy >= 0.9});
  for (const char* id : {"ddim25-w1", "ddim25-w3"})
    if (const auto* c = find(r, id))
      t.push_back({"one-hot conditional accuracy, " + c->config.label, pct(c->metrics.conditional_accuracy), ">= 95%",
                   c->metrics.conditional_accuracy >= 0.95});
  double worst = -1;
  std::string worst_id;
  for (const auto& c : r.results)
    if (c.config.weights == "final" && c.metrics.near_copy_rate > worst) worst = c.metrics.near_copy_rate, worst_id = c.config.label;
  if (worst >= 0) t.push_back({"near-copies, final weights (worst: " + worst_id + ")", pct(worst), "< 5%", worst < 0.05});
  return t;
}

json to_json(const QualityReport& r) {
  json j;
  j["generated_by"] = "scripts/eval (sprites-eval report)";
  j["date_utc"] = r.date_utc;
  j["machine"] = {{"cpu", r.cpu}, {"threads", r.threads}};
  j["seconds_total"] = r.seconds;
  j["count_per_config"] = r.options.count;
  j["seed"] = r.options.seed;
  j["classes"] = r.class_names;
  j["generated_per_class"] = r.class_counts;
  j["dataset"] = {{"images", r.options.images}, {"sha256", r.dataset_sha256}, {"train", r.train_size}, {"heldout", r.heldout_size}};
  j["classifier"] = {{"path", r.options.classifier}, {"heldout_accuracy", r.classifier_heldout_accuracy},
                     {"heldout_accuracy_per_class", r.classifier_per_class}, {"train_accuracy", r.classifier_train_accuracy},
                     {"heldout_majority_class_share", r.majority_share}};
  j["near_copy"] = {{"threshold_rms_levels", r.near_copy_threshold}, {"heldout_quantile", kNearCopyQuantile}};
  j["reference"] = {{"train_vs_heldout_fid", r.train_vs_heldout_fid}, {"train_vs_heldout_kid", r.train_vs_heldout_kid},
                    {"heldout_diversity", r.heldout_diversity}};
  j["weights"] = json::object();
  for (const auto& [key, epoch] : r.weights_epoch) j["weights"][key] = {{"epoch", epoch}};
  j["weights"]["final"]["path"] = r.options.weights;
  for (const auto& c : r.results) {
    const auto& p = c.config.params;
    j["configs"].push_back({{"id", c.config.id}, {"label", c.config.label}, {"weights", c.config.weights},
                            {"sampler", p.sampler}, {"steps", p.steps}, {"eta", p.eta}, {"guidance", p.guidance},
                            {"nfe", c.nfe}, {"seconds", c.seconds}, {"fid", c.metrics.fid}, {"kid", c.metrics.kid},
                            {"conditional_accuracy", c.metrics.conditional_accuracy},
                            {"conditional_accuracy_per_class", c.metrics.per_class_accuracy},
                            {"diversity", c.metrics.diversity}, {"near_copy_rate", c.metrics.near_copy_rate},
                            {"grid", "quality/" + c.config.id + ".png"}});
    if (c.config.variations)
      j["configs"].back().update({{"variation_strength", p.strength}, {"distance_to_start", c.metrics.distance_to_start}});
    if (!p.mask.empty())
      j["configs"].back().update({{"redrawn_pixels", redrawn_pixels(p.mask)}, {"pasted", c.config.paste},
                                  {"seam_levels", c.metrics.seam}, {"seam_levels_real", c.metrics.seam_real}});
  }
  for (const auto& t : targets(r)) j["targets"].push_back({{"what", t.what}, {"value", t.value}, {"goal", t.goal}, {"met", t.met}});
  return j;
}

std::string kept_notes(const std::string& md_path) {
  std::ifstream in(md_path);
  const std::string old((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto at = old.find(kNotesMarker);
  return at == std::string::npos ? std::string(kNotesMarker) + "\n" : old.substr(at);
}

std::string to_markdown(const QualityReport& r, const std::string& notes) {
  std::ostringstream o;
  const auto& opt = r.options;
  o << "# Quality report\n\n"
    << "Generated by `scripts/eval` on " << r.date_utc << " (" << r.cpu << ", " << r.threads << " thread"
    << (r.threads == 1 ? "" : "s") << ") in " << fmt("%.0f", r.seconds / 60) << " min. Do not edit above the notes "
    << "marker: the next run rewrites it.\n\n"
    << "Each configuration samples **" << opt.count << " sprites** with the shared inference core (seed " << opt.seed
    << "; sprite i gets the same starting noise in every configuration), one-hot contexts in the dataset's class shares (";
  for (size_t c = 0; c < r.class_names.size(); ++c) o << (c ? ", " : "") << r.class_names[c] << " " << r.class_counts[c];
  o << "). Weights: `" << opt.weights << "`";
  if (r.weights_epoch.count("final"))
    o << " (epoch " << r.weights_epoch.at("final") << "; epochs count from 0, as the course's model_{ep}.pth)";
  std::string checkpoints;
  for (const auto& [key, epoch] : r.weights_epoch)
    if (key != "final") checkpoints += (checkpoints.empty() ? "" : ", ") + epoch;
  if (!checkpoints.empty()) o << "; checkpoints: the exports beside it (epochs " << checkpoints << ")";
  o << ".\n\n"
    << "## How it is measured\n\n"
    << "- **Judge**: a small CNN (`native/eval/sprite_classifier.cpp`) trained on the real training split ("
    << r.train_size << " sprites). On the " << r.heldout_size << " held-out sprites it is right " << pct(r.classifier_heldout_accuracy)
    << " of the time (chance, the largest class: " << pct(r.majority_share) << "; per class: ";
  for (size_t c = 0; c < r.class_names.size(); ++c) o << (c ? ", " : "") << r.class_names[c] << " " << pct(r.classifier_per_class[c]);
  o << "). Its 128 penultimate features stand in for Inception-v3's.\n"
    << "- **Sprite-FID / KID** (lower is better): Frechet distance and kernel (cubic polynomial, unbiased MMD^2) "
    << "distance between the features of the generated sprites and of the real held-out sprites. For scale, the real training "
    << "split against the held-out split scores FID " << fmt("%.2f", r.train_vs_heldout_fid) << ", KID "
    << fmt("%.3f", r.train_vs_heldout_kid) << ". That is a scale, not a floor: the judge was trained on those sprites, so their features are tighter than an "
    << "unseen sprite's, and a generator of new, realistic sprites can score below it.\n"
    << "- **Cond. acc.**: share of sprites the judge puts in the class their one-hot context asked for (bounded by the judge's "
    << "own accuracy above).\n"
    << "- **Diversity**: mean pairwise feature distance, as a share of the real held-out sprites' ("
    << fmt("%.2f", r.heldout_diversity) << "); far below 100% means mode collapse.\n"
    << "- **Near-copies**: share of sprites whose closest training sprite (or its mirror image) is nearer than "
    << fmt("%.1f", r.near_copy_threshold) << " RMS levels of 255. That threshold is the " << fmt("%.0f", 100 * kNearCopyQuantile)
    << "st percentile of the same distance for real held-out sprites, which were never trained on: only the dataset's own "
    << "near-duplicates (recoloured or mirrored tiles) are that close, so a generated sprite that close is a copy, not a new sprite.\n\n"
    << "## Results\n\n"
    << "| Configuration | Weights | NFE | Sprite-FID | KID | Cond. acc. | Diversity | Near-copies | Time |\n"
    << "|---|---|---:|---:|---:|---:|---:|---:|---:|\n"
    << "| real training split (reference) | - | - | " << fmt("%.2f", r.train_vs_heldout_fid) << " | "
    << fmt("%.3f", r.train_vs_heldout_kid) << " | " << pct(r.classifier_train_accuracy) << " | - | - | - |\n";
  for (const auto& c : r.results) {
    const auto& m = c.metrics;
    o << "| " << c.config.label << " | " << c.config.weights << " | " << c.nfe << " | " << fmt("%.2f", m.fid) << " | "
      << fmt("%.3f", m.kid) << " | " << pct(m.conditional_accuracy) << " | " << pct(m.diversity / r.heldout_diversity)
      << " | " << pct(m.near_copy_rate) << " | " << fmt("%.0f s", c.seconds) << " |\n";
  }
  o << "\nNFE: network evaluations per sprite (guidance doubles them). Time: generating all " << opt.count
    << " sprites of the row.\n\n";
  bool variations = false;
  for (const auto& c : r.results) variations |= c.config.variations;
  if (variations) {
    o << "Variations start each sprite from a training sprite of the class asked for (a block of sprites per start), "
      << "noised to strength x T. How far they moved from it:\n\n"
      << "| Configuration | Strength | Mean RMS distance to the start (levels of 255) |\n|---|---:|---:|\n";
    for (const auto& c : r.results)
      if (c.config.variations)
        o << "| " << c.config.label << " | " << fmt("%.1f", c.config.params.strength) << " | " << fmt("%.1f", c.metrics.distance_to_start) << " |\n";
    o << "\n";
  }
  bool masked = false;
  for (const auto& c : r.results) masked |= !c.config.params.mask.empty();
  if (masked) {
    o << "Repainting keeps the unmasked pixels of the start and redraws the others; pasted rows draw the masked pixels "
      << "from noise apart and lay them over the start. The seam: mean step between neighbouring pixels across the mask's "
      << "edge, against the same pixel pairs in the real held-out sprites:\n\n"
      << "| Configuration | Redrawn pixels | Seam (levels of 255) | Real sprites' |\n|---|---:|---:|---:|\n";
    for (const auto& c : r.results)
      if (!c.config.params.mask.empty())
        o << "| " << c.config.label << " | " << redrawn_pixels(c.config.params.mask) << " | "
          << fmt("%.1f", c.metrics.seam) << " | " << fmt("%.1f", c.metrics.seam_real) << " |\n";
    o << "\n";
  }
  o << "## Targets\n\n| Target | Value | Goal | Met |\n|---|---|---|---|\n";
  for (const auto& t : targets(r)) o << "| " << t.what << " | " << t.value << " | " << t.goal << " | " << (t.met ? "yes" : "**no**") << " |\n";
  o << "\n## Samples\n\nEight sprites per class, a row per class (" << join_labels(r.class_names, ", ") << ").\n\n| Sprites | Grid |\n|---|---|\n| real held-out | ![real held-out](quality/real-heldout.png) |\n";
  for (const auto& c : r.results) o << "| " << c.config.label << " | ![" << c.config.id << "](quality/" << c.config.id << ".png) |\n";
  o << "\n" << notes;
  return o.str();
}

std::vector<uint8_t> bytes_of(const std::string& s) { return {s.begin(), s.end()}; }

}  // namespace

void write_quality_report(const QualityReport& r, const std::string& out_dir) {
  make_output_folder((fs::path(out_dir) / "quality").string());
  const std::vector<std::pair<std::string, std::string>> text{{"Software", "sprites-eval (sprite-diffusion)"}};
  write_file_atomic((fs::path(out_dir) / "quality" / "real-heldout.png").string(), encode_png(r.heldout_grid, text));
  for (const auto& c : r.results)
    write_file_atomic((fs::path(out_dir) / "quality" / (c.config.id + ".png")).string(), encode_png(c.grid, text));
  write_file_atomic((fs::path(out_dir) / "quality.json").string(), bytes_of(to_json(r).dump(2) + "\n"));
  const std::string md = (fs::path(out_dir) / "quality.md").string();
  write_file_atomic(md, bytes_of(to_markdown(r, kept_notes(md))));
}

}  // namespace sprites
