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

void check_timesteps(const Schedule& s, const std::vector<int>& ts, int lowest) {
  for (int t : ts)
    if (t < lowest || t > s.T) throw std::invalid_argument("t = " + std::to_string(t) + " is outside " + std::to_string(lowest) + ".." + std::to_string(s.T));
}

}  // namespace

std::vector<int> strip_timesteps(int T) {
  std::vector<int> ts;
  for (int i = 0; i < kNoisedStripColumns; ++i) ts.push_back(i * T / (kNoisedStripColumns - 1));
  return ts;
}

std::vector<int> curve_timesteps(int T, int every) {
  std::vector<int> ts;
  for (int t = every; t <= T; t += every) ts.push_back(t);
  return ts;
}

std::vector<uint8_t> noised_sprites(const Schedule& s, const SampleParams& p, const std::vector<uint8_t>& sprite, const std::vector<int>& ts) {
  check_timesteps(s, ts, 0);
  const std::vector<float> z = start_noise(p, sprite.size());
  std::vector<float> x(ts.size() * sprite.size());
  for (size_t i = 0; i < ts.size(); ++i) noise_start(s, ts[i], sprite, sprite.size(), z.data(), &x[i * sprite.size()], 1);
  return to_rgb8(x);
}

std::vector<ForwardLook> look_at_noised(UnetXnn& net, const Schedule& s, const SampleParams& p, const std::vector<uint8_t>& sprite,
                                        const std::vector<int>& ts) {
  check_timesteps(s, ts, 1);
  const size_t img = net.image_size(), n = ts.size(), nc = static_cast<size_t>(net.arch().n_cfeat);
  if (sprite.size() != img) throw std::invalid_argument("the sprite has " + std::to_string(sprite.size()) + " bytes; this model's have " + std::to_string(img));
  if (p.context.size() != nc) throw std::invalid_argument("the context needs " + std::to_string(nc) + " values");
  const std::vector<float> z = start_noise(p, img);
  std::vector<float> x(n * img), t(n), c(n * nc), out(n * img), x0(n * img);
  for (size_t i = 0; i < n; ++i) {
    noise_start(s, ts[i], sprite, img, z.data(), &x[i * img], 1);
    t[i] = static_cast<float>(ts[i]) / static_cast<float>(s.T);
    std::copy(p.context.begin(), p.context.end(), c.begin() + static_cast<long>(i * nc));
  }
  net.forward(x.data(), t.data(), c.data(), n, out.data());
  std::vector<ForwardLook> looks(n);
  for (size_t i = 0; i < n; ++i) {
    float* eps = &out[i * img];
    if (net.arch().prediction == Prediction::v) v_to_eps_x0(s, ts[i], &x[i * img], eps, &x0[i * img], img);
    else predict_x0(s, ts[i], &x[i * img], eps, &x0[i * img], img);
    ForwardLook& l = looks[i];
    l.t = ts[i];
    l.signal = std::sqrt(s.ab[static_cast<size_t>(ts[i])]);
    l.noise = std::sqrt(1 - s.ab[static_cast<size_t>(ts[i])]);
    double sum = 0;
    for (size_t j = 0; j < img; ++j) sum += (eps[j] - z[j]) * (eps[j] - z[j]);
    l.loss = sum / static_cast<double>(img);
    l.x_t = to_rgb8(std::vector<float>(x.begin() + static_cast<long>(i * img), x.begin() + static_cast<long>((i + 1) * img)));
    l.x0 = to_rgb8(std::vector<float>(x0.begin() + static_cast<long>(i * img), x0.begin() + static_cast<long>((i + 1) * img)));
  }
  return looks;
}

std::vector<uint8_t> noising_strip(UnetXnn& net, const Schedule& s, const SampleParams& p, const std::vector<uint8_t>& sprite) {
  const std::vector<int> strip = strip_timesteps(s.T);
  std::vector<uint8_t> pixels = noised_sprites(s, p, sprite, strip);
  pixels.insert(pixels.end(), sprite.begin(), sprite.end());
  for (const ForwardLook& l : look_at_noised(net, s, p, sprite, std::vector<int>(strip.begin() + 1, strip.end())))
    pixels.insert(pixels.end(), l.x0.begin(), l.x0.end());
  return pixels;
}

}  // namespace sprites
