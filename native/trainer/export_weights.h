// Model <-> the compact safetensors weights the inference core runs: BatchNorm folded into the
// preceding convs, fp16 (default), fp32 or 8-bit (int8_weights.h), no training state, architecture
// and provenance in __metadata__.
#pragma once
#include "context_unet.h"
#include "safetensors.h"
#include "schedule.h"

#include <map>
#include <string>
#include <vector>

namespace sprites {

enum class WeightsDtype { f16, f32, int8 };
const std::map<std::string, WeightsDtype>& weights_dtype_names();  // "f16", "f32", "int8" (CLI options)
// --label-names "hero,non-human,...": n names, none empty (each names a slider in the page).
std::vector<std::string> label_names_flag(const std::string& flag, int64_t n);
// The other way: names as the flag and the weights' "labels" metadata write them.
std::string label_names_text(const std::vector<std::string>& names);

// Folded tensors by name (fp32, CPU). The model is read in eval mode (BN running statistics).
std::map<std::string, torch::Tensor> folded_state(ContextUnet& model);

// `schedule` is the one the model was trained with (the course's by default); the core samples with it.
void export_safetensors(ContextUnet& model, const std::string& path, WeightsDtype dtype,
                        std::map<std::string, std::string> metadata, const Schedule& schedule = Schedule());

// Loads folded weights into a fresh model whose BatchNorms are identities, so LibTorch runs exactly
// what the inference core runs. Throws on missing or mis-shaped tensors. The path may name an
// export or a course checkpoint (.pth, converted as course_checkpoint.h says).
ContextUnet load_folded_model(const SafeTensors& st, const std::string& name, UnetConfig* cfg_out = nullptr);
ContextUnet load_folded_model(const std::string& path, UnetConfig* cfg_out = nullptr);

}  // namespace sprites
