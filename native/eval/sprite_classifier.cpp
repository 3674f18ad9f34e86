#include "sprite_classifier.h"

#include "common/atomic_file.h"
#include "common/error_line.h"
#include "common/progress.h"

#include <cmath>
#include <cstdio>
#include <filesystem>

namespace sprites {

namespace {

void add_conv_bn_relu(torch::nn::Sequential& s, int64_t in, int64_t out) {
  s->push_back(torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 3).padding(1).bias(false)));
  s->push_back(torch::nn::BatchNorm2d(out));
  s->push_back(torch::nn::ReLU());
}

constexpr int64_t kEvalBatch = 512;

}  // namespace

SpriteClassifierImpl::SpriteClassifierImpl(int64_t classes, int64_t feats) : n_classes(classes), n_features(feats) {
  // 16x16 -> 8x8 -> 4x4, then a global average, so it also reads other sprite sizes.
  torch::nn::Sequential b;
  add_conv_bn_relu(b, 3, 32);
  add_conv_bn_relu(b, 32, 32);
  b->push_back(torch::nn::MaxPool2d(2));
  add_conv_bn_relu(b, 32, 64);
  add_conv_bn_relu(b, 64, 64);
  b->push_back(torch::nn::MaxPool2d(2));
  add_conv_bn_relu(b, 64, 128);
  b->push_back(torch::nn::AdaptiveAvgPool2d(1));
  b->push_back(torch::nn::Flatten());
  body = register_module("body", b);
  embed = register_module("embed", torch::nn::Sequential(torch::nn::Linear(128, feats), torch::nn::ReLU()));
  drop = register_module("drop", torch::nn::Dropout(0.3));
  head = register_module("head", torch::nn::Linear(feats, classes));
}

torch::Tensor SpriteClassifierImpl::features(const torch::Tensor& x) { return embed->forward(body->forward(x)); }
torch::Tensor SpriteClassifierImpl::forward(const torch::Tensor& x) { return head->forward(drop->forward(features(x))); }

SpriteClassifier train_classifier(const SpriteDataset& d, const ClassifierTrainConfig& cfg) {
  torch::manual_seed(cfg.seed);
  SpriteClassifier net(d.labels.size(1), cfg.n_features);
  torch::optim::Adam opt(net->parameters(), torch::optim::AdamOptions(cfg.lr).weight_decay(1e-4));
  auto gen = at::make_generator<at::CPUGeneratorImpl>(cfg.seed);
  const torch::Tensor x_all = d.images.index_select(0, d.train_idx);
  const torch::Tensor y_all = d.labels.index_select(0, d.train_idx).argmax(1);
  const int64_t n = x_all.size(0), batches = (n + cfg.batch - 1) / cfg.batch;
  Progress bar("classifier", 5.0);
  for (int epoch = 0; epoch < cfg.epochs; ++epoch) {
    const double lr = 0.5 * cfg.lr * (1 + std::cos(M_PI * epoch / cfg.epochs));
    for (auto& g : opt.param_groups()) static_cast<torch::optim::AdamOptions&>(g.options()).lr(lr);
    net->train();
    const torch::Tensor order = torch::randperm(n, gen, torch::kLong);
    double loss_sum = 0;
    for (int64_t b = 0; b < batches; ++b) {
      const auto idx = order.slice(0, b * cfg.batch, std::min(n, (b + 1) * cfg.batch));
      torch::Tensor x = x_all.index_select(0, idx);
      const torch::Tensor flip = torch::rand({x.size(0), 1, 1, 1}, gen) < 0.5;
      x = torch::where(flip, x.flip({3}), x);
      // Shifts of up to 2 pixels: sprites sit at different places in their tiles (held-out accuracy
      // 92.0% with them, 91.6% without).
      const auto shift = torch::randint(-2, 3, {x.size(0), 2}, gen, torch::kLong);
      for (int64_t i = 0; i < x.size(0); ++i)
        x[i] = x[i].roll({shift[i][0].item<int64_t>(), shift[i][1].item<int64_t>()}, {1, 2});
      const auto loss = torch::nn::functional::cross_entropy(net->forward(x), y_all.index_select(0, idx));
      opt.zero_grad();
      loss.backward();
      opt.step();
      loss_sum += loss.item<double>();
    }
    char extra[64];
    std::snprintf(extra, sizeof extra, "loss %.3f", loss_sum / batches);
    bar.update(epoch + 1, cfg.epochs, extra);
  }
  bar.finish();
  net->eval();
  return net;
}

Classified classify(SpriteClassifier& net, const torch::Tensor& images) {
  torch::NoGradGuard no_grad;
  net->eval();
  std::vector<torch::Tensor> features, predictions;
  for (int64_t i = 0; i < images.size(0); i += kEvalBatch) {
    features.push_back(net->features(images.slice(0, i, i + kEvalBatch)));
    predictions.push_back(net->head->forward(features.back()).argmax(1));  // dropout is off in eval mode
  }
  return {torch::cat(features), torch::cat(predictions)};
}

ClassifierAccuracy accuracy(const torch::Tensor& predictions, const torch::Tensor& labels, int64_t n_classes) {
  const torch::Tensor right = predictions.eq(labels).to(torch::kDouble);
  ClassifierAccuracy a;
  a.overall = right.mean().item<double>();
  for (int64_t c = 0; c < n_classes; ++c) {
    const auto mask = labels.eq(c);
    a.per_class.push_back(mask.any().item<bool>() ? right.masked_select(mask).mean().item<double>() : NAN);
  }
  return a;
}

ClassifierAccuracy classifier_accuracy(SpriteClassifier& net, const torch::Tensor& images, const torch::Tensor& labels) {
  return accuracy(classify(net, images).predictions, labels, net->n_classes);
}

void save_classifier(SpriteClassifier& net, const std::string& path, const std::string& dataset_sha256) {
  torch::serialize::OutputArchive ar;
  net->save(ar);
  ar.write("sprite_classifier_shape", torch::tensor({net->n_classes, net->n_features}));
  ar.write("sprite_classifier_dataset_sha256", c10::IValue(dataset_sha256));
  write_file_atomic(path, [&](const std::string& tmp) { ar.save_to(tmp); });
}

SpriteClassifier load_classifier(const std::string& path, std::string* dataset_sha256) {
  if (!std::filesystem::is_regular_file(path))
    throw std::runtime_error(path + ": no such file (train one with: sprites-eval classifier)");
  try {
    torch::serialize::InputArchive ar;
    ar.load_from(path);
    torch::Tensor shape;
    c10::IValue sha;
    if (!ar.try_read("sprite_classifier_shape", shape) || shape.numel() != 2 ||
        !ar.try_read("sprite_classifier_dataset_sha256", sha) || !sha.isString())
      throw std::runtime_error("not a sprite classifier (written by sprites-eval classifier)");
    SpriteClassifier net(shape[0].item<int64_t>(), shape[1].item<int64_t>());
    net->load(ar);
    net->eval();
    if (dataset_sha256) *dataset_sha256 = sha.toStringRef();
    return net;
  } catch (const c10::Error& e) {
    throw std::runtime_error(path + ": not a readable sprite classifier (" + first_line(e.what_without_backtrace()) + ")");
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(path + ": " + e.what());
  }
}

}  // namespace sprites
