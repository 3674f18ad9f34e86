#include "checkpoint_files.h"
#include "checksum.h"
#include "commands.h"
#include "course_checkpoint.h"
#include "file_bytes.h"
#include "common/atomic_file.h"
#include "int8_weights.h"
#include "unet_weights.h"
#include "weights_index.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>

namespace sprites::cli {

namespace {

struct IndexArgs {
  std::string dir, from, shipped;
  bool int8 = false, share_by_url = false, live = false;
};

// Where a folder the course's notebook saved into has checkpoint `id`: ep<k> is model_<k>.pth, final
// the highest epoch's. Empty if it has none.
std::string course_source(const std::string& folder, const std::string& id) {
  int epoch = checkpoint_epoch(id);
  if (id == kFinalCheckpoint) {
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(folder, ec))
      epoch = std::max(epoch, course_checkpoint_epoch(entry.path().filename().string()));
  }
  return epoch < 0 ? "" : folder + "/" + course_checkpoint_file(epoch);
}

std::string text_of(const std::string& path) {
  const auto bytes = read_file_bytes(path);
  return std::string(bytes.begin(), bytes.end());
}

// The curve of the run whose exports these are: loss.csv and val.csv beside them, as sprites-train
// leaves them (none beside a course notebook's files). Damaged logs cost the curve, not the index.
TrainingCurve run_curve(const std::string& folder) {
  const std::string loss = folder + "/loss.csv", val = folder + "/val.csv";
  if (!std::filesystem::is_regular_file(loss) || !std::filesystem::is_regular_file(val)) return {};
  try {
    return training_curve_from_csv(text_of(loss), loss, text_of(val), val);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "warning: %s; the index has no training curve\n", e.what());
    return {};
  }
}

}  // namespace

std::function<int()> add_index_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("index", "list a folder's checkpoints (sprites_<id>.safetensors, or the course notebook's model_<epoch>.pth) in its index.json, for the page");
  auto a = std::make_shared<IndexArgs>();
  cmd->add_option("dir", a->dir, "folder of exported weights, e.g. runs/NAME")->required();
  cmd->add_option("--from", a->from, "take the checkpoints from this folder, writing them into DIR")->check(CLI::ExistingDirectory);
  cmd->add_option("--shipped", a->shipped, "take every model the page ships from this repository's files (its root), writing them into DIR")
      ->check(CLI::ExistingDirectory)->excludes("--from");
  cmd->add_flag("--int8", a->int8, "write them in the compact 8-bit format (with --from or --shipped)");
  cmd->add_flag("--share-by-url", a->share_by_url, "share links name these weights by URL (weights no other page has)");
  cmd->add_flag("--live", a->live, "the folder is staged again as its run trains: pages ask for the index again every few seconds");
  return [a] {
    if (a->int8 && a->from.empty() && a->shipped.empty()) throw std::runtime_error("--int8 needs --from or --shipped");
    std::error_code ec;
    if (a->int8 && !a->from.empty() && std::filesystem::equivalent(a->from, a->dir, ec))
      throw std::runtime_error("--int8 writes 8-bit copies: give DIR another folder than --from " + a->from);
    const std::string from = a->from.empty() ? a->dir : a->from;
    // Every checkpoint is read (and converted) before any is written, so an unreadable one leaves
    // DIR as it was instead of half-staged.
    struct Staged {
      std::string id, file, src, dst, epoch;
      SafeTensors st;
    };
    std::vector<Staged> staged;
    for (const CheckpointInfo& c : checkpoint_table()) {
      if (!a->shipped.empty() && !c.shipped) continue;
      const std::string file = checkpoint_file(c.id), dst = a->dir + "/" + file;
      std::string src = a->shipped.empty() ? from + "/" + file : a->shipped + "/" + c.shipped;
      if (!std::ifstream(src) && a->shipped.empty()) src = course_source(from, c.id);
      if (src.empty() || !std::ifstream(src)) continue;
      SafeTensors st = load_weights_file(src);  // a course .pth is converted
      UnetWeights w = load_unet_weights(st, src);  // only files the page can run
      if (a->int8) {
        st = parse_safetensors(serialize_int8_weights(w.tensors, expected_unet_tensors(w.arch), w.metadata), dst);
        w = load_unet_weights(st, dst);
      }
      staged.push_back({c.id, file, src, dst, w.epoch(), std::move(st)});
    }
    if (staged.empty()) throw std::runtime_error(from + ": no sprites_<id>.safetensors checkpoints (or the course's model_<epoch>.pth) to list");
    // --from copies into DIR, which may be a run's own folder or the repository's weights: other
    // weights under the same name there are refused, not replaced. (--shipped writes the build's
    // page folder, which each build refreshes.)
    if (!a->from.empty())
      for (const Staged& s : staged)
        if (s.dst != s.src && std::filesystem::exists(s.dst) && read_file_bytes(s.dst) != s.st.bytes)
          throw std::runtime_error(s.dst + " holds other weights; index into a new or empty folder (nothing was written)");
    if (from != a->dir) make_output_folder(a->dir);  // the folder the page will serve
    WeightsIndex index;
    index.share_by_url = a->share_by_url;
    index.live = a->live;
    for (const Staged& s : staged)
      if (is_run_checkpoint(s.id)) {
        const std::string run = std::filesystem::path(s.src).parent_path().string();
        index.training = run_curve(run);
        if (!index.training.empty())
          std::printf("training curve from %s (%zu loss means, %zu validation losses)\n", run.c_str(), index.training.loss.size(), index.training.val.size());
        break;
      }
    for (const Staged& s : staged) {
      if (s.dst != s.src) write_file_atomic(s.dst, s.st.bytes);
      index.weights.push_back({s.id, s.file, s.st.bytes.size(), fnv1a64_hex(s.st.bytes), s.epoch});
      std::printf("%-8s %s (%zu bytes, epoch %s)\n", s.id.c_str(), s.dst.c_str(), s.st.bytes.size(), s.epoch.c_str());
    }
    const std::string json = weights_index_json(index);
    write_file_atomic(a->dir + "/" + kWeightsIndexFile, std::vector<uint8_t>(json.begin(), json.end()));
    return 0;
  };
}

}  // namespace sprites::cli
