// What an exported ContextUnet holds: its architecture numbers and every tensor's name, shape and
// output-channel axis. No XNNPACK or LibTorch, so the trainer, the 8-bit writer and the loader share it.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace sprites {

// What the network's output is: the noise eps (the course's model), or the velocity
// v = sqrt(abar_t) eps - sqrt(1 - abar_t) x0 (Salimans & Ho 2022), which stays well-posed where
// abar_t reaches 0 on a zero-terminal-SNR schedule. Weights name it in their metadata ("prediction").
enum class Prediction { eps, v };
const char* prediction_name(Prediction p);

struct UnetArch {
  int in_channels = 3, n_feat = 64, n_cfeat = 5, height = 16, timesteps = 500;
  float beta1 = 1e-4f, beta2 = 0.02f;
  bool zero_terminal_snr = false;  // the schedule (schedule.h)
  Prediction prediction = Prediction::eps;
  int distilled_steps = 0;  // a progressively distilled student's step count (its "student" sampler); 0: not one
};

// The prediction and schedule a weights file's metadata names ("prediction": eps|v, "schedule":
// linear|linear-zero-snr; files from before these keys predict eps on the linear schedule), into
// `arch`. Throws std::runtime_error("<name>: ...") for values no sampler here handles, and for eps
// on a zero-terminal-SNR schedule (at abar_T = 0 the noise says nothing about the sprite).
void read_prediction_and_schedule(const std::map<std::string, std::string>& metadata, const std::string& name, UnetArch& arch);

struct Tensor32 {
  std::vector<int64_t> shape;
  std::vector<float> data;
};

struct TensorSpec {
  std::vector<int64_t> shape;  // PyTorch layouts: OIHW convs, IOHW transposed convs, OI linears
  int channel_axis = -1;       // the output-channel axis of a weight (1 for transposed convs); -1 for vectors
};

// The tensor names and shapes an exported ContextUnet of `arch` holds.
std::map<std::string, TensorSpec> expected_unet_tensors(const UnetArch& arch);

inline constexpr const char* kWeightsFormat = "sprites-contextunet/1";
inline constexpr const char* kTrainerVersion = "1";

// The architecture fields every weights file carries, with BatchNorm folded (what the loader checks);
// the schedule's fields come from schedule_metadata.
std::map<std::string, std::string> architecture_metadata(const UnetArch& arch);

// Labels for `n` classes nobody named: "class 1,class 2,...", the file's "labels" text.
std::string numbered_labels(int n);
// The most classes a model may have: a context slider each in the page.
inline constexpr int kMaxClasses = 64;

}  // namespace sprites
