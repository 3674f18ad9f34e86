// The list of checkpoints a folder of weights offers, `index.json` beside the files (written by
// `sprites index DIR`): the page fetches it first and then only the file a view or a link asks for,
// from the browser's cache when the content hash is one it has seen.
//   {"format": "sprites-weights-index/1", "share_by_url": false, "live": true,
//    "weights": [{"id": "final", "file": "sprites_final.safetensors", "bytes": 1507088,
//                 "fnv1a64": "<16 hex digits>", "epoch": "25"}, ...],
//    "training": {"loss": [[step, mean loss], ...], "val": [[epoch, step, loss], ...]}}
// "training" (optional) is the curve of the run the epoch checkpoints come from (training_curve.h).
// "live" (optional, false if absent): the folder is staged again as its run trains (scripts/demo).
#pragma once
#include "training_curve.h"

#include <cstddef>
#include <string>
#include <vector>

namespace sprites {

constexpr const char* kWeightsIndexFile = "index.json";

struct WeightsIndexEntry {
  std::string id;     // a checkpoint_table() id
  std::string file;   // relative to the index, no folders
  size_t bytes = 0;
  std::string hash;   // fnv1a64 of the file, 16 hex digits
  std::string epoch;  // from the file's metadata, "?" if it does not say
};

struct WeightsIndex {
  std::vector<WeightsIndexEntry> weights;
  // Weights no other page has (a training run's): share links name them by their URL, so the link
  // opens anywhere. The build's own checkpoints keep short links ("w=final.1a2b3c4d").
  bool share_by_url = false;
  // Staged again as the run trains (scripts/demo beside it, web/follow_run.mjs): the page asks for
  // the index again every few seconds (web/app/run_following.h). A published folder is not.
  bool live = false;
  TrainingCurve training;  // empty if the run's logs were not beside its checkpoints
};

// Throws std::runtime_error("<name>: ...") on anything but a well-formed index of known ids.
WeightsIndex parse_weights_index(const std::string& json, const std::string& name);
std::string weights_index_json(const WeightsIndex& index);

}  // namespace sprites
