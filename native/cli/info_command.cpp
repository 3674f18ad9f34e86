#include "commands.h"
#include "unet_weights.h"

#include <cstdio>
#include <memory>

namespace sprites::cli {

std::function<int()> add_info_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("info", "print a weights file's metadata and tensor count");
  auto path = std::make_shared<std::string>();
  cmd->add_option("weights", *path, "weights: an export (.safetensors) or the course's own .pth")->required();
  return [path] {
    const UnetWeights w = load_unet_weights(*path);
    size_t params = 0;
    for (auto& [name, t] : w.tensors) params += t.data.size();
    std::printf("%s: ContextUnet, %zu tensors, %zu parameters\n", path->c_str(), w.tensors.size(), params);
    for (auto& [k, v] : w.metadata) std::printf("  %-16s %s\n", k.c_str(), v.c_str());
    return 0;
  };
}

}  // namespace sprites::cli
