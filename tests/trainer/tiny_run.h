// A small, fast training configuration on the shipped sprites, and its loss log.
#pragma once
#include "common/npy.h"
#include "context_unet.h"
#include "course_pth.h"
#include "export_weights.h"
#include "safetensors.h"
#include "test_util.h"
#include "trainer.h"
#include "unet_weights.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
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

inline double mean(const std::vector<double>& v, size_t lo, size_t hi) {
  double s = 0;
  for (size_t i = lo; i < hi; ++i) s += v[i];
  return s / static_cast<double>(hi - lo);
}
