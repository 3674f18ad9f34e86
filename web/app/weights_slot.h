// One set of weights the page can sample from: the file's tensors, the schedule its metadata names
// and, built on first use, its XNNPACK network. No ImGui or browser here, so it is tested natively.
#pragma once
#include "schedule.h"
#include "unet_weights.h"
#include "unet_xnn.h"

#include <memory>
#include <string>
#include <vector>

namespace sprites {

struct WeightsSlot {
  std::string id, path;                // the library's key ("final", "url:...", "file:..."); where from
  std::unique_ptr<UnetWeights> weights;
  std::unique_ptr<Schedule> schedule;  // from the weights' metadata (schedule_for)
  std::unique_ptr<UnetXnn> net;        // created on first use
  std::string hash;                    // the file's fnv1a64, 16 hex digits (caches; links carry its link_hash())
  std::string error;                   // why the file could not be loaded; then weights is null
  UnetXnn& network(pthreadpool_t pool);
};

// Never throw: a file that cannot be read or is not an exported ContextUnet sets `error`.
std::unique_ptr<WeightsSlot> load_weights_slot(const std::string& id, const std::string& path);
std::unique_ptr<WeightsSlot> load_weights_slot(const std::string& id, std::vector<uint8_t> bytes, const std::string& name);

}  // namespace sprites
