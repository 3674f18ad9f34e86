// A small, fast training configuration on the shipped sprites, and its loss log.
#pragma once
#include "common/npy.h"
#include "context_unet.h"
#include "course_checkpoint.h"
#include "file_bytes.h"
#include "pth_reader.h"
#include "export_weights.h"
#include "safetensors.h"
#include "test_util.h"
#include "trainer.h"
#include "unet_weights.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <random>
#include <sstream>

using namespace sprites;

inline const std::string kImages = SPRITES_SOURCE_DIR "/assets/dataset/sprites_2642_16x16.npy";

inline const std::string kLabels = SPRITES_SOURCE_DIR "/assets/dataset/sprite_labels_nc_2642_16x16.npy";

// A small, fast configuration: narrow model, 5 steps per epoch.
inline TrainConfig tiny(const std::string& out) {
  TrainConfig c;
  c.images = kImages;
  c.labels = kLabels;
  c.out_dir = out;
  c.unet.n_feat = 16;
  c.batch = 20;
  c.epoch_images = 100;
  c.epochs = 8;
  c.threads = 1;
  c.seed = 7;
  return c;
}

// The one-line message train() stops with; a failure (and "") if it trains instead.
inline std::string train_error(const TrainConfig& c) {
  try {
    train(c);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected training to stop with an error";
  return "";
}

inline std::vector<double> losses(const std::string& csv) {
  std::ifstream f(csv);
  std::string line;
  std::getline(f, line);
  std::vector<double> out;
  while (std::getline(f, line)) {
    std::stringstream ss(line);
    std::string cell;
    for (int i = 0; i < 3; ++i) std::getline(ss, cell, ',');
    out.push_back(std::stod(cell));
  }
  return out;
}

// The network's first convolution weight, whose memory layout stands for all of them.
inline torch::Tensor first_conv_weight(ContextUnet& net) { return net->init_conv->conv1->conv->weight; }

inline std::vector<double> run_losses(const TrainConfig& c) { return losses(c.out_dir + "/loss.csv"); }
// The held-out loss a run logged after each epoch (val.csv has the same columns).
inline std::vector<double> run_held_out_losses(const TrainConfig& c) { return losses(c.out_dir + "/val.csv"); }

// `c` with `change` applied, trained in a fresh folder; its config (out_dir names the folder).
inline TrainConfig trained_variant(TrainConfig c, const std::function<void(TrainConfig&)>& change) {
  c.out_dir = testutil::temp_dir();
  change(c);
  train(c);
  return c;
}

// `c` trained in a fresh folder until global step `stop_at` (a checkpoint), then resumed, with
// `before_resume` applied to its config, to where `c` ends; the resumed run's config.
inline TrainConfig stopped_and_resumed(TrainConfig c, int64_t stop_at,
                                       const std::function<void(TrainConfig&)>& before_resume = {}) {
  const int64_t end = c.max_steps;
  c.out_dir = testutil::temp_dir();
  c.max_steps = stop_at;
  EXPECT_EQ(train(c).steps, stop_at);
  c.max_steps = end;
  c.resume = true;
  if (before_resume) before_resume(c);
  train(c);
  return c;
}

inline double mean(const std::vector<double>& v, size_t lo, size_t hi) {
  double s = 0;
  for (size_t i = lo; i < hi; ++i) s += v[i];
  return s / static_cast<double>(hi - lo);
}

// Curve `b` follows `a` within float noise from step `from` on (the arithmetic's order changed).
inline void expect_curve_follows(const std::vector<double>& a, const std::vector<double>& b, size_t from = 0) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = from; i < a.size(); ++i) EXPECT_NEAR(a[i], b[i], 1e-3 * a[i]) << "step " << i + 1;
}

// Trains `c` with eager steps and with the fused step (the body a CUDA graph captures, run eagerly):
// the same first loss, and a curve that follows within float noise, over `steps` logged steps.
inline void expect_fused_follows_eager(const TrainConfig& c, size_t steps) {
  const auto a = run_losses(trained_variant(c, [](TrainConfig& v) { v.step = "eager"; }));
  const auto b = run_losses(trained_variant(c, [](TrainConfig& v) { v.step = "fused"; }));
  ASSERT_EQ(a.size(), steps);
  ASSERT_EQ(b.size(), steps);
  EXPECT_EQ(a[0], b[0]) << "the first step sees the same weights and inputs";
  expect_curve_follows(a, b);
}
