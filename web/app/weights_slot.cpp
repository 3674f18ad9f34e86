#include "weights_slot.h"

#include "checksum.h"
#include "course_checkpoint.h"
#include "file_bytes.h"

namespace sprites {

UnetXnn& WeightsSlot::network(pthreadpool_t pool) {
  if (!net) net = std::make_unique<UnetXnn>(*weights, pool);
  return *net;
}

std::unique_ptr<WeightsSlot> load_weights_slot(const std::string& id, std::vector<uint8_t> bytes, const std::string& name) {
  auto slot = std::make_unique<WeightsSlot>();
  slot->id = id;
  slot->path = name;
  try {
    slot->hash = fnv1a64_hex(bytes);
    SafeTensors st = parse_weights_file(std::move(bytes), name);
    slot->weights = std::make_unique<UnetWeights>(load_unet_weights(st, name));
    slot->schedule = std::make_unique<Schedule>(schedule_for(slot->weights->arch));
  } catch (const std::exception& e) {
    slot->weights.reset();
    slot->error = e.what();
  }
  return slot;
}

std::unique_ptr<WeightsSlot> load_weights_slot(const std::string& id, const std::string& path) {
  std::vector<uint8_t> bytes;
  try {
    bytes = read_file_bytes(path);
  } catch (const std::exception& e) {
    auto slot = std::make_unique<WeightsSlot>();
    slot->id = id;
    slot->path = path;
    slot->error = e.what();
    return slot;
  }
  return load_weights_slot(id, std::move(bytes), path);
}

}  // namespace sprites
