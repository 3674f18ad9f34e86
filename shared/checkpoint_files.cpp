#include "checkpoint_files.h"

namespace sprites {

const std::vector<CheckpointInfo>& checkpoint_table() {
  static const std::vector<CheckpointInfo> table = {
      {kFinalCheckpoint, "final"}, {"ep8", "epoch 8"}, {"ep4", "epoch 4"}, {"ep0", "epoch 0"}};
  return table;
}

const CheckpointInfo* find_checkpoint(const std::string& id) {
  for (const CheckpointInfo& c : checkpoint_table())
    if (id == c.id) return &c;
  return nullptr;
}

std::string checkpoint_file(const std::string& id) { return "sprites_" + id + ".safetensors"; }

std::string epoch_checkpoint_id(int epoch) { return "ep" + std::to_string(epoch); }

}  // namespace sprites
