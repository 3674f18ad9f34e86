// libFuzzer target for a run's loss.csv and val.csv (the input split at its first '\0'), which
// `sprites index` reads from any folder it is given: any bytes must make a curve or one line, and a
// curve must travel through the weights index and come back with the same points.
#include "one_line.h"
#include "training_curve.h"
#include "weights_index.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string all(data, data + size);
  const size_t cut = all.find('\0');
  const std::string loss = all.substr(0, cut), val = cut == std::string::npos ? "" : all.substr(cut + 1);
  try {
    sprites::WeightsIndex index;
    index.training = sprites::training_curve_from_csv(loss, "loss.csv", val, "val.csv", 7);
    if (index.training.loss.size() > 7) std::abort();
    const auto again = sprites::parse_weights_index(sprites::weights_index_json(index), "again");
    if (again.training.loss.size() != index.training.loss.size() || again.training.val.size() != index.training.val.size()) std::abort();
  } catch (const std::runtime_error& e) {
    require_one_line(e);
  }
  return 0;
}
