// The judge of generated sprites: a small CNN trained on the real training split to tell the five
// classes apart. Its logits give conditional accuracy; its penultimate layer gives the features that
// sprite-FID, KID and diversity are computed on (the role Inception-v3 plays for photographs, which
// knows nothing of 16x16 pixel art).
#pragma once
#include "sprite_dataset.h"

#include <torch/torch.h>

#include <cstdint>
#include <string>
#include <vector>

namespace sprites {

struct SpriteClassifierImpl : torch::nn::Module {
  SpriteClassifierImpl(int64_t n_classes, int64_t n_features);
  torch::Tensor features(const torch::Tensor& x);  // [N, 3, H, W] in [-1, 1] -> [N, n_features]
  torch::Tensor forward(const torch::Tensor& x);   // logits [N, n_classes]
  int64_t n_classes, n_features;
  torch::nn::Sequential body{nullptr}, embed{nullptr};
  torch::nn::Dropout drop{nullptr};
  torch::nn::Linear head{nullptr};
};
TORCH_MODULE(SpriteClassifier);

struct ClassifierTrainConfig {
  int epochs = 40;
  int64_t batch = 64;
  double lr = 2e-3;  // Adam, cosine-decayed to 0
  uint64_t seed = 0;
  int64_t n_features = 128;
};

struct ClassifierAccuracy {
  double overall = 0;
  std::vector<double> per_class;
};

// Trains on d.train_idx (with horizontal flips); progress on stderr.
SpriteClassifier train_classifier(const SpriteDataset& d, const ClassifierTrainConfig& cfg);

struct Classified {
  torch::Tensor features;     // [N, n_features]
  torch::Tensor predictions;  // [N] int64 class indices
};

// Features and predicted classes of many images [N, 3, H, W] in [-1, 1]: one batched pass, eval mode.
Classified classify(SpriteClassifier& net, const torch::Tensor& images);

// Share of predictions equal to their label (labels [N] int64), overall and per class.
ClassifierAccuracy accuracy(const torch::Tensor& predictions, const torch::Tensor& labels, int64_t n_classes);
// classify + accuracy in one call.
ClassifierAccuracy classifier_accuracy(SpriteClassifier& net, const torch::Tensor& images, const torch::Tensor& labels);

// The file records the dataset it was trained on, so a report never judges with a stranger's classifier.
void save_classifier(SpriteClassifier& net, const std::string& path, const std::string& dataset_sha256);
// Throws std::runtime_error("<path>: ...") on a missing or foreign file.
SpriteClassifier load_classifier(const std::string& path, std::string* dataset_sha256 = nullptr);

}  // namespace sprites
