// The course's own checkpoints (torch.save(nn_model.state_dict(), "model_31.pth"), read without
// LibTorch by pth_reader) as the export the core runs: each conv's BatchNorm folded into it as
// sprites-train's exports fold them, the learned 1x1 shortcut zero (the course drew a fresh random
// one on every call; zero is its expected value), the course's schedule and eps prediction. So the
// page opens a .pth as it is, a link can name one by URL, `sprites sample` samples one, and
// sprites-import converts one.
#pragma once
#include "safetensors.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace sprites {

// The course's class names for its five labels (the checkpoint itself carries none).
inline constexpr const char* kCourseLabels = "hero,non-human,food,spell,side-facing";

// A .pth is a zip archive; a safetensors file starts with its header's length.
bool is_zip(const std::vector<uint8_t>& bytes);

// The F32 safetensors export the course checkpoint `pth` amounts to. `metadata` adds to and
// overrides what it writes (labels: kCourseLabels, or "class 1".. for another label count; epoch:
// the N of a name model_<N>.pth, as the notebook saves them, else unknown). Throws std::runtime_error("<name>: ...") for what is not a ContextUnet checkpoint.
std::vector<uint8_t> course_checkpoint_export(std::vector<uint8_t> pth, const std::string& name,
                                              const std::map<std::string, std::string>& metadata = {});

// A weights file's bytes as safetensors: a course checkpoint is converted, anything else parsed.
SafeTensors parse_weights_file(std::vector<uint8_t> bytes, const std::string& name);
// The same for the file at `path` (read_file_bytes' errors for a missing file or a folder).
SafeTensors load_weights_file(const std::string& path);

}  // namespace sprites
