// One interface for every sampler: the timesteps it visits and its update x_t -> x_{t_prev}.
// Each sampler lives in its own file; sample.cpp drives them (noise, guidance, callbacks).
#pragma once
#include "schedule.h"

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace sprites {

class Sampler {
 public:
  virtual ~Sampler() = default;
  // Timesteps visited, from T down; step i goes from timesteps()[i] to timesteps()[i+1] (or 0).
  virtual const std::vector<int>& timesteps() const = 0;
  // Whether step i injects fresh noise (then `noise` holds N(0,1) values, else it is null).
  virtual bool needs_noise(size_t i) const = 0;
  // Updates x (n values) in place, given the noise eps and the clean image x0 that the model
  // predicts at timesteps()[i]. The updates are written in eps, as the course's; x0 is read only
  // where abar_t = 0 (the first step of a zero-terminal-SNR schedule), where eps says nothing of x0.
  virtual void step(size_t i, float* x, const float* eps, const float* x0, const float* noise, size_t n) = 0;
};

// The course's DDPM (T steps; extra noise sqrt(beta_t) z except at the last step), or with
// inject_noise false the course's "incorrect" sampler that never adds noise.
std::unique_ptr<Sampler> make_ddpm(const Schedule& s, bool inject_noise);
// DDIM over `steps` evenly spaced timesteps (T, T - T/steps, ...); eta 0 is the course's sampler.
std::unique_ptr<Sampler> make_ddim(const Schedule& s, int steps, float eta);

// A progressively distilled student's sampler: deterministic DDIM steps on evenly_spaced_timesteps
// (schedule.h), the grid its distillation used; meant for the step count the weights name.
std::unique_ptr<Sampler> make_student(const Schedule& s, int steps);

// DPM-Solver++(2M) over `steps` timesteps; deterministic, meant for 10-20 steps.
std::unique_ptr<Sampler> make_dpm_solver_2m(const Schedule& s, int steps);

// The later steps of `full`: from its first timestep at or below t_max (its last one when all are
// above), as far as it goes. Image-to-image (sample.h) starts there, from a noised image.
std::unique_ptr<Sampler> from_timestep(std::unique_ptr<Sampler> full, int t_max);

// Predicted clean image: x0 = (x - sqrt(1 - abar_t) eps) / sqrt(abar_t).
void predict_x0(const Schedule& s, int t, const float* x, const float* eps, float* x0, size_t n);
// A v-prediction model's output v (in `v_eps`, replaced by eps) as eps = sqrt(abar) v + sqrt(1 - abar) x
// and x0 = sqrt(abar) x - sqrt(1 - abar) v, both defined at abar_t = 0.
void v_to_eps_x0(const Schedule& s, int t, const float* x, float* v_eps, float* x0, size_t n);

}  // namespace sprites
