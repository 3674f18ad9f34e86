// The engine and the default weights as the page has them, for the web logic's tests; a failure
// throws, which fails the test that asked.
#pragma once
#include "engine.h"
#include "weights_edit.h"
#include "weights_slot.h"

#include <memory>
#include <stdexcept>

inline std::unique_ptr<sprites::WeightsSlot> default_slot() {
  if (!sprites::init_engine(1).ok) throw std::runtime_error("init_engine failed");
  auto slot = sprites::load_weights_slot("final", testutil::kDefaultWeights);
  if (!slot->weights) throw std::runtime_error(slot->error);
  return slot;
}
