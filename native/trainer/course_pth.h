// Reads a PyTorch checkpoint written by torch.save(model.state_dict(), path) (the zip format of
// PyTorch >= 1.6), as the course saves its models. LibTorch's own pickle reader turns the
// state_dict's OrderedDict into None, so this file has a small zip reader and a pickle machine
// that knows the opcodes torch.save emits.
#pragma once
#include <torch/torch.h>

#include <map>
#include <string>

namespace sprites {

// name -> tensor (CPU, contiguous). Throws std::runtime_error("<path>: ...") on anything it cannot read.
std::map<std::string, torch::Tensor> read_torch_state_dict(const std::string& path);

}  // namespace sprites
