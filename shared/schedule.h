// The DDPM noise schedule exactly as the course computes it, in float32:
// b_t = beta1 + (beta2 - beta1) * linspace(0, 1, T + 1), a_t = 1 - b_t,
// abar_t = exp(cumsum(log a_t)), then abar_0 = 1.
// With zero_terminal_snr, sqrt(abar_t) over t = 1..T is shifted and scaled so abar_T = 0 and
// abar_1 is unchanged (Lin et al. 2023, "Common diffusion noise schedules and sample steps are
// flawed", Algorithm 1): the last step then sees pure noise, as sampling starts from; a_t and b_t
// follow from abar. Only models trained for it use it (a v-prediction model, say); the course's is plain.
// A weights file names its schedule in its metadata (schedule_metadata); samplers read it back
// through schedule_for (unet_weights.h), so the page, the CLI and the eval sample as it was trained.
#pragma once
#include <map>
#include <string>
#include <vector>

namespace sprites {

struct Schedule {
  int T = 500;
  float beta1 = 1e-4f, beta2 = 0.02f;
  bool zero_terminal_snr = false;
  std::vector<float> b, a, ab;  // index 0..T
  explicit Schedule(int T = 500, float beta1 = 1e-4f, float beta2 = 0.02f, bool zero_terminal_snr = false);
};

// `steps` timesteps evenly spaced from T down (rounded), without 0: T, T - T/steps, ... For
// steps = 2^k and 2^(k+1) the coarse grid is every other point of the fine one, which progressive
// distillation relies on (a student step spans two teacher steps); DPM-Solver++ visits these too.
std::vector<int> evenly_spaced_timesteps(int T, int steps);

// The metadata keys that describe `s` in an exported weights file.
std::map<std::string, std::string> schedule_metadata(const Schedule& s);

}  // namespace sprites
