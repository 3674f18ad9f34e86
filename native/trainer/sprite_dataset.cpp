#include "sprite_dataset.h"

#include "common/npy.h"
#include "common/sha256.h"

namespace sprites {

SpriteDataset load_sprite_dataset(const std::string& images_npy, const std::string& labels_npy, int val_every) {
  SpriteArrays a = load_sprite_arrays(images_npy, labels_npy);
  if (a.n == 0) throw std::runtime_error(images_npy + ": no sprites");
  SpriteDataset d;
  d.height = a.height;
  d.images = rgb8_to_images(a.images, a.n, a.height, a.width);
  d.labels = torch::from_blob(a.labels.data(), {a.n, a.n_classes}, torch::kFloat).clone();
  std::vector<int64_t> train, val;
  std::vector<int64_t> seen(static_cast<size_t>(a.n_classes), 0);
  auto cls = d.labels.argmax(1);
  for (int64_t i = 0; i < a.n; ++i) {
    const int64_t c = cls[i].item<int64_t>();
    (val_every > 0 && seen[c]++ % val_every == val_every - 1 ? val : train).push_back(i);
  }
  d.train_idx = torch::tensor(train, torch::kLong);
  d.val_idx = torch::tensor(val, torch::kLong);
  d.sha256 = sha256_file(images_npy);
  return d;
}

void require_held_out(const SpriteDataset& d, const std::string& images_npy) {
  if (d.val_idx.size(0) == 0)
    throw std::runtime_error(images_npy + ": none of its " + std::to_string(d.images.size(0)) +
                             " sprites is held out (too few of each class), and measuring needs held-out sprites");
}

torch::Tensor rgb8_to_images(const std::vector<uint8_t>& rgb, int64_t n, int64_t height, int64_t width) {
  if (rgb.size() != static_cast<size_t>(n * height * width * 3))
    throw std::runtime_error("expected " + std::to_string(n) + " sprites of " + std::to_string(height) + "x" +
                             std::to_string(width) + "x3 bytes, got " + std::to_string(rgb.size()));
  auto u8 = torch::from_blob(const_cast<uint8_t*>(rgb.data()), {n, height, width, 3}, torch::kUInt8);
  return u8.permute({0, 3, 1, 2}).to(torch::kFloat).div(255.0).sub(0.5).div(0.5).contiguous();
}

std::vector<uint8_t> images_to_rgb8(const torch::Tensor& images) {
  const auto u8 = ((images.clamp(-1, 1) + 1) * 127.5).round().to(torch::kUInt8).permute({0, 2, 3, 1}).contiguous();
  return {u8.data_ptr<uint8_t>(), u8.data_ptr<uint8_t>() + u8.numel()};
}

}  // namespace sprites
