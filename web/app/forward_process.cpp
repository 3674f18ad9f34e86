#include "forward_process.h"

#include "philox_noise.h"
#include "repaint_mask.h"

#include <cmath>
#include <stdexcept>
#include <string>

namespace sprites {

namespace {

std::vector<float> start_noise(const SampleParams& p, size_t img) {
  std::vector<float> z(img);
  gaussian_noise(p.seed, static_cast<uint32_t>(p.first_index), 0, z.data(), img);  // as SamplingRun keys a run's start
  return z;
}

}  // namespace

std::vector<uint8_t> noised_sprites(const Schedule& s, const SampleParams& p, const std::vector<uint8_t>& sprite, const std::vector<int>& ts) {
  const std::vector<float> z = start_noise(p, sprite.size());
  std::vector<float> x(ts.size() * sprite.size());
  for (size_t i = 0; i < ts.size(); ++i) {
    if (ts[i] < 0 || ts[i] > s.T) throw std::invalid_argument("t = " + std::to_string(ts[i]) + " is outside 0.." + std::to_string(s.T));
    noise_start(s, ts[i], sprite, z.data(), &x[i * sprite.size()], 1);
  }
  return to_rgb8(x);
}

ForwardLook look_at_noised(UnetXnn& net, const Schedule& s, const SampleParams& p, const std::vector<uint8_t>& sprite, int t) {
  if (t < 1 || t > s.T) throw std::invalid_argument("t = " + std::to_string(t) + " is outside 1.." + std::to_string(s.T));
  // DDIM over every timestep, started as a variation at strength t/T, runs its first step at t:
  // that step's predicted x_0 is the network's look, for eps and v models alike.
  SampleParams q = p;
  q.sampler = "ddim";
  q.steps = s.T;
  q.eta = 0;
  q.guidance = 0;
  q.count = 1;
  q.init = sprite;
  q.strength = static_cast<float>(t) / static_cast<float>(s.T);
  q.mask.clear();
  q.resample = 1;
  SamplingRun run(net, s, q);
  const std::vector<float> x_t = run.x();
  const StepView v = run.step();
  if (v.t != t) throw std::logic_error("the run started at t = " + std::to_string(v.t) + ", not " + std::to_string(t));
  ForwardLook look;
  look.t = t;
  look.signal = std::sqrt(s.ab[static_cast<size_t>(t)]);
  look.noise = std::sqrt(1 - s.ab[static_cast<size_t>(t)]);
  const std::vector<float> z = start_noise(p, sprite.size());
  std::vector<float> x0(v.x0, v.x0 + sprite.size());
  double sum = 0;
  for (size_t i = 0; i < x0.size(); ++i) {
    const double eps = (x_t[i] - look.signal * x0[i]) / look.noise;  // the noise the network's x_0 implies
    sum += (eps - z[i]) * (eps - z[i]);
  }
  look.loss = sum / static_cast<double>(x0.size());
  look.x_t = to_rgb8(x_t);
  look.x0 = to_rgb8(x0);
  return look;
}

}  // namespace sprites
