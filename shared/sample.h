// Sampling sprites: starting noise, classifier-free guidance, per-step callback and cancellation
// around any Sampler. Images are NHWC float in [-1, 1] (unclamped) until to_rgb8.
#pragma once
#include "samplers/sampler.h"
#include "unet_xnn.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace sprites {

struct SampleParams {
  std::string sampler = "ddim";  // an id of sampler_table()
  int steps = 25;                // for samplers that use steps
  float eta = 0;                 // for samplers that use eta
  float guidance = 0;            // w: eps = (1 + w) eps(x, c) - w eps(x, 0); 0 = plain conditional
  uint64_t seed = 0;
  int count = 16;
  int first_index = 0;           // sprite k of a grid is sprite first_index + k: noise is keyed by it
  std::vector<float> context;    // n_cfeat values (mixes allowed); all zero = unconditional
  // Variations of a sprite (image-to-image, SDEdit: Meng et al. 2022): every sprite starts from
  // this one (RGB8, H x W x 3) noised to timestep strength x T, and only the sampler's steps from
  // there on run; or `count` such sprites, one start each (variations of a whole sheet in one
  // batch). Empty: from pure noise, as the course samples.
  std::vector<uint8_t> init;
  float strength = kDefaultStrength;  // with init, in (0, 1]: how much of it is noised away
  // With init, repaint only part of it (repaint_mask.h): H x W bytes, 1 = redrawn, 0 = kept as init
  // is. Empty: the whole sprite varies.
  std::vector<uint8_t> mask;
  // With a mask: each step runs this many times, its result noised back to the step's timestep in
  // between (RePaint's resampling, jump length 1), so the redrawn pixels meet the kept ones again
  // before the next step; 1: once. Costs that many network evaluations per step.
  int resample = 1;
  static constexpr int kMaxResample = 8;
  static constexpr long long kMaxSeed = 4294967295;  // 32 bits: the page's seed field and links
  static constexpr float kDefaultStrength = 0.6f;
};

struct StepView {
  size_t step, total;            // step index (0-based) of total
  int t;                         // timestep whose prediction was just made
  const float* x;                // current x after the update [count, H, W, C]
  const float* x0;               // predicted clean image at this step
};
// Return false to cancel.
using StepCallback = std::function<bool(const StepView&)>;

// An all-zero context asks for unconditional sampling (guidance then has nothing to amplify).
bool is_unconditional(const std::vector<float>& context);
// Whether guidance applies (w > 0 and a context to amplify): each step then evaluates the network twice.
bool is_guided(const SampleParams& p);

// The sampler p.sampler names in sampler_table(), for variations (p.init) only its steps from
// init_timestep on; throws std::invalid_argument.
std::unique_ptr<Sampler> make_sampler(const Schedule& s, const SampleParams& p);

// The timestep image-to-image starts from: strength x T, rounded. from_timestep picks the sampler's
// first timestep at or below it.
int init_timestep(const Schedule& s, float strength);

// One sampling run, advanced a step at a time, so a UI can interleave steps with frames.
// All buffers are allocated up front.
class SamplingRun {
 public:
  // net and s must outlive the run. Throws std::invalid_argument on bad parameters.
  SamplingRun(UnetXnn& net, const Schedule& s, SampleParams p);
  bool done() const { return i_ >= ts().size(); }
  size_t total_steps() const { return ts().size(); }
  size_t steps_done() const { return i_; }
  StepView step();  // one model evaluation and update; must not be called when done()
  // Evaluates up to max_rows more model rows of the current step (0: all); returns the step's view
  // once its last rows are done. Lets a single-threaded UI spread one big step over frames.
  std::optional<StepView> step_part(size_t max_rows);
  const std::vector<float>& x() const { return x_; }    // [count, H, W, C]
  const std::vector<float>& x0() const { return x0_; }  // last predicted clean image
  const SampleParams& params() const { return p_; }

 private:
  const std::vector<int>& ts() const { return sampler_->timesteps(); }
  bool evaluate_rows(size_t max_rows);  // true once every row of the step has its eps
  std::optional<StepView> finish_step();  // none while the step is to run again (resample)
  UnetXnn& net_;
  const Schedule& s_;
  SampleParams p_;
  std::unique_ptr<Sampler> sampler_;
  size_t n_, img_, i_ = 0, rows_done_ = 0;
  int runs_of_step_ = 0;  // times the current step has run (resample)
  bool guided_;
  std::vector<float> x_, x0_, xin_, eps_, tvec_, ctx_, noise_;
  std::vector<float> start_noise_;  // with a mask: the noise the start was noised with, for its kept pixels
};

// Runs the sampler to the end. Returns false if the callback cancelled (out then holds the partial x).
bool sample(UnetXnn& net, const Schedule& s, const SampleParams& p, std::vector<float>& out,
            const StepCallback& cb = {});

// Classifier-free guidance on [cond rows | uncond rows] of n values each, in place on the first half:
// eps = (1 + w) eps(x, c) - w eps(x, 0).
void apply_guidance(float* eps, size_t n, float w);

// round-half-even((clamp(x, -1, 1) + 1) * 127.5) per value, as torch.round.
std::vector<uint8_t> to_rgb8(const std::vector<float>& x);

}  // namespace sprites
