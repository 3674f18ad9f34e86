// The weights a training run exports and the page ships (final and epochs 0, 4, 8 of the default
// model; the v-prediction model; its distilled students, one of them narrow for the live preview),
// and the file each id names: the one place that spells sprites_<id>.safetensors. Share links, the
// page's model combo, lab and live views, the trainer's exports and the quality report read it.
#pragma once
#include <string>
#include <vector>

namespace sprites {

struct CheckpointInfo {
  const char* id;       // in links ("w=ep4"); never rename one
  const char* label;    // for people ("epoch 4")
  const char* shipped;  // the file of this repository the page ships for it (8-bit at build time); null: none
  int student_steps = 0;          // a distilled student's steps (its sampler); 0 for any other model
  const char* teacher = nullptr;  // a student's teacher, an id of this table
};

constexpr const char* kFinalCheckpoint = "final";
// What a run exports after each epoch until its last, which writes "final" and removes it, so the
// page can show a run that is still training (`scripts/demo --weights runs/NAME` beside it).
constexpr const char* kLatestCheckpoint = "latest";

const std::vector<CheckpointInfo>& checkpoint_table();  // final, latest, ep8, ep4, ep0, then other models
const CheckpointInfo* find_checkpoint(const std::string& id);  // null if unknown
std::string checkpoint_file(const std::string& id);             // "sprites_<id>.safetensors"
bool is_checkpoint_file(const std::string& file);               // whether a file name is one checkpoint_file gives
// The table's id that `path` (in any folder) is the file of: "ep4" for runs/mine/sprites_ep4.safetensors; "" if none.
std::string checkpoint_id_of_file(const std::string& path);
std::string epoch_checkpoint_id(int epoch);                     // "ep<epoch>", 0-based as the course
int checkpoint_epoch(const std::string& id);                    // its inverse: 4 for "ep4", -1 for other ids
std::string student_checkpoint_id(int steps);                   // "student<steps>": a distilled student
// One of a training run's own exports (final, latest, ep<N>), which any run folder has: the Checkpoints view.
bool is_run_checkpoint(const std::string& id);

// The course notebook's own files, torch.save'd every 4 epochs and at the last: "model_<epoch>.pth".
std::string course_checkpoint_file(int epoch);
// The epoch a course notebook's file name says, or -1 for any other name.
int course_checkpoint_epoch(const std::string& file);

}  // namespace sprites
