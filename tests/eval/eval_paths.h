// The files the eval tests read.
#pragma once
#include "feature_stats.h"
#include "sprite_classifier.h"
#include "sprite_dataset.h"
#include "test_util.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>

using namespace sprites;

inline const std::string kExe = SPRITES_EVAL_EXE;

inline const std::string kSrc = SPRITES_SOURCE_DIR;

inline const std::string kImages = kSrc + "/assets/dataset/sprites_2642_16x16.npy";

inline const std::string kLabels = kSrc + "/assets/dataset/sprite_labels_nc_2642_16x16.npy";

inline const std::string kClassifier = kSrc + "/assets/classifier/sprite_classifier.pt";
