#include "commands.h"
#include "common/atomic_file.h"
#include "int8_weights.h"
#include "unet_weights.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>

namespace sprites::cli {

std::function<int()> add_quantize_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("quantize", "convert weights (f16, f32 or a course .pth) to the compact 8-bit format");
  auto paths = std::make_shared<std::pair<std::string, std::string>>();
  cmd->add_option("weights", paths->first, "weights to convert: an f16 or f32 export, or the course's own .pth")->required();
  cmd->add_option("out", paths->second, "8-bit safetensors to write")->required();
  return [paths] {
    require_not_input(paths->second, paths->first);
    const UnetWeights w = load_unet_weights(paths->first);
    auto bytes = serialize_int8_weights(w.tensors, expected_unet_tensors(w.arch), w.metadata);
    // Read back through the loader the page uses: what was written is what will run.
    const UnetWeights back = load_unet_weights(parse_safetensors(bytes, paths->second), paths->second);
    double worst = 0;
    for (auto& [name, t] : w.tensors) {
      const auto& b = back.at(name).data;
      for (size_t i = 0; i < t.data.size(); ++i) worst = std::max(worst, std::fabs(double(t.data[i]) - b[i]));
    }
    write_file_atomic(paths->second, bytes);
    std::printf("wrote %s: %zu bytes (from %s), largest weight change %.2g\n", paths->second.c_str(), bytes.size(),
                paths->first.c_str(), worst);
    return 0;
  };
}

}  // namespace sprites::cli
