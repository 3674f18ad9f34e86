// A course checkpoint (torch.save(model.state_dict(), path)) as LibTorch tensors; the reading itself
// is the core's LibTorch-free pth_reader.
#pragma once
#include <torch/torch.h>

#include <map>
#include <string>

namespace sprites {

// name -> tensor (CPU, contiguous). Throws std::runtime_error("<path>: ...") on anything it cannot read.
std::map<std::string, torch::Tensor> read_torch_state_dict(const std::string& path);

}  // namespace sprites
