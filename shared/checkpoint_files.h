// The checkpoints a training run exports and the page ships (final and epochs 0, 4, 8), and the
// file each id names: the one place that spells sprites_<id>.safetensors. Share links, the page's
// checkpoint combo and lab view, the trainer's exports and the quality report read it.
#pragma once
#include <string>
#include <vector>

namespace sprites {

struct CheckpointInfo {
  const char* id;     // in links ("w=ep4"); never rename one
  const char* label;  // for people ("epoch 4")
};

constexpr const char* kFinalCheckpoint = "final";

const std::vector<CheckpointInfo>& checkpoint_table();  // newest first: final, ep8, ep4, ep0
const CheckpointInfo* find_checkpoint(const std::string& id);  // null if unknown
std::string checkpoint_file(const std::string& id);             // "sprites_<id>.safetensors"
std::string epoch_checkpoint_id(int epoch);                     // "ep<epoch>", 0-based as the course

}  // namespace sprites
