// Model <-> the compact safetensors weights the inference core runs: BatchNorm folded into the
// preceding convs, fp16 (default), fp32 or 8-bit (int8_weights.h), no training state, architecture
// and provenance in __metadata__.
#pragma once
#include "context_unet.h"
#include "schedule.h"

#include <map>
#include <string>
#include <vector>

namespace sprites {

constexpr const char* kTrainerVersion = "1";
constexpr const char* kFormat = "sprites-contextunet/1";

enum class WeightsDtype { f16, f32, int8 };
const std::map<std::string, WeightsDtype>& weights_dtype_names();  // "f16", "f32", "int8" (CLI options)
// --label-names "hero,non-human,...": n names, none empty (each names a slider in the page).
std::vector<std::string> label_names_flag(const std::string& flag, int64_t n);
// The other way: names as the flag and the weights' "labels" metadata write them.
std::string label_names_text(const std::vector<std::string>& names);

// Architecture and schedule fields every weights file carries, for `cfg` trained on `schedule`.
std::map<std::string, std::string> architecture_metadata(const UnetConfig& cfg, const Schedule& schedule);

// Folded tensors by name (fp32, CPU). The model is read in eval mode (BN running statistics).
std::map<std::string, torch::Tensor> folded_state(ContextUnet& model);

// `schedule` is the one the model was trained with (the course's by default); the core samples with it.
void export_safetensors(ContextUnet& model, const std::string& path, WeightsDtype dtype,
                        std::map<std::string, std::string> metadata, const Schedule& schedule = Schedule());

// A model from a course-format state_dict (read_torch_state_dict). The architecture is read off the
// tensor shapes. The course has no init_conv.shortcut (it drew a fresh random 1x1 conv on every
// call); it becomes zero, the expected value of that random conv. Throws on missing, extra or
// mis-shaped tensors.
ContextUnet model_from_course_state_dict(const std::map<std::string, torch::Tensor>& sd, const std::string& path);

// Loads folded weights into a fresh model whose BatchNorms are identities, so LibTorch runs exactly
// what the inference core runs. Throws on missing or mis-shaped tensors.
ContextUnet load_folded_model(const std::string& path, UnetConfig* cfg_out = nullptr);

}  // namespace sprites
