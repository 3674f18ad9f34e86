#include "checkpoint_files.h"

#include "string_match.h"

#include <filesystem>

namespace sprites {

const std::vector<CheckpointInfo>& checkpoint_table() {
  static const std::vector<CheckpointInfo> table = {
      {kFinalCheckpoint, "final", "assets/weights/sprites_final.safetensors"},
      // A run still training: its newest epoch, rewritten after each one (no page ships one).
      {kLatestCheckpoint, "latest", nullptr},
      {"ep8", "epoch 8", "assets/weights/sprites_ep8.safetensors"},
      {"ep4", "epoch 4", "assets/weights/sprites_ep4.safetensors"},
      {"ep0", "epoch 0", "assets/weights/sprites_ep0.safetensors"},
      {"v", "v-prediction model", "assets/weights-v/sprites_final.safetensors"},
      {"student1", "1-step student of the v model", "assets/weights-student/sprites_student1.safetensors", 1, "v"},
      {"student2", "2-step student of the v model", "assets/weights-student/sprites_student2.safetensors", 2, "v"},
      {"student4", "4-step student of the v model", "assets/weights-student/sprites_student4.safetensors", 4, "v"},
      // A quarter of the network (n_feat 32, from scratch on the 2-step student's steps): the live
      // preview's, for its speed; student1 is the better 1-step model (docs/quality.md).
      {"preview1", "1-step preview student of the v model (n_feat 32)", "assets/weights-student/sprites_preview1.safetensors", 1, "v"},
  };
  return table;
}

const CheckpointInfo* find_checkpoint(const std::string& id) {
  for (const CheckpointInfo& c : checkpoint_table())
    if (id == c.id) return &c;
  return nullptr;
}

namespace {
const std::string kFileHead = "sprites_", kFileTail = ".safetensors";
}  // namespace

std::string checkpoint_file(const std::string& id) { return kFileHead + id + kFileTail; }

bool is_checkpoint_file(const std::string& file) {
  return file.size() >= kFileHead.size() + kFileTail.size() && file.rfind(kFileHead, 0) == 0 && ends_with(file, kFileTail);
}

std::string checkpoint_id_of_file(const std::string& path) {
  const std::string file = std::filesystem::path(path).filename().string();
  if (!is_checkpoint_file(file)) return "";
  const std::string id = file.substr(kFileHead.size(), file.size() - kFileHead.size() - kFileTail.size());
  return find_checkpoint(id) ? id : "";
}

std::string epoch_checkpoint_id(int epoch) { return "ep" + std::to_string(epoch); }

int checkpoint_epoch(const std::string& id) {
  if (id.size() < 3 || id.size() > 8 || id.compare(0, 2, "ep") != 0 || id.find_first_not_of("0123456789", 2) != std::string::npos) return -1;
  return std::stoi(id.substr(2));
}

std::string student_checkpoint_id(int steps) { return "student" + std::to_string(steps); }

bool is_run_checkpoint(const std::string& id) { return id == kFinalCheckpoint || id == kLatestCheckpoint || id.rfind("ep", 0) == 0; }

std::string course_checkpoint_file(int epoch) { return "model_" + std::to_string(epoch) + ".pth"; }

int course_checkpoint_epoch(const std::string& file) {
  const std::string head = "model_", tail = ".pth";
  if (file.size() <= head.size() + tail.size() || file.rfind(head, 0) != 0 || !ends_with(file, tail)) return -1;
  const std::string digits = file.substr(head.size(), file.size() - head.size() - tail.size());
  if (digits.size() > 6 || digits.find_first_not_of("0123456789") != std::string::npos) return -1;
  return std::stoi(digits);
}

}  // namespace sprites
