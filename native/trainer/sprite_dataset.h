// Sprites and labels as tensors, with the fixed train/validation split and training-time flips.
#pragma once
#include <torch/torch.h>

#include <string>
#include <vector>

namespace sprites {

struct SpriteDataset {
  torch::Tensor images;          // [N, 3, H, W] float, normalised to [-1, 1] as the course
  torch::Tensor labels;          // [N, n_classes] float
  torch::Tensor train_idx, val_idx;  // int64 indices
  std::string sha256;            // of the images .npy
  int64_t height = 0;
};

// Every `val_every`-th sprite of each class (by label argmax, in file order) is held out, so the
// split is fixed, stratified and independent of the training seed.
SpriteDataset load_sprite_dataset(const std::string& images_npy, const std::string& labels_npy,
                                  int val_every = 10);
// Throws unless some sprites are held out: what measures a model or the classifier needs them.
void require_held_out(const SpriteDataset& d, const std::string& images_npy);

// RGB8 sprites [N, H, W, 3] (the dataset's .npy, the core's output) -> [N, 3, H, W] float in [-1, 1].
torch::Tensor rgb8_to_images(const std::vector<uint8_t>& rgb, int64_t n, int64_t height, int64_t width);
// The inverse: [N, 3, H, W] in [-1, 1] (clamped) -> RGB8 [N, H, W, 3], rounded half to even.
std::vector<uint8_t> images_to_rgb8(const torch::Tensor& images);

}  // namespace sprites
