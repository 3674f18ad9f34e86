#include "weights_slot.h"

#include "checksum.h"

namespace sprites {

UnetXnn& WeightsSlot::network(pthreadpool_t pool) {
  if (!net) net = std::make_unique<UnetXnn>(*weights, pool);
  return *net;
}

std::unique_ptr<WeightsSlot> load_weights_slot(const std::string& id, const std::string& path) {
  auto slot = std::make_unique<WeightsSlot>();
  slot->id = id;
  slot->path = path;
  try {
    SafeTensors st = load_safetensors(path);
    slot->hash8 = fnv1a64_hex(st.bytes).substr(0, 8);
    slot->weights = std::make_unique<UnetWeights>(load_unet_weights(st, path));
    slot->schedule = std::make_unique<Schedule>(schedule_for(slot->weights->arch));
  } catch (const std::exception& e) {
    slot->weights.reset();
    slot->error = e.what();
  }
  return slot;
}

}  // namespace sprites
