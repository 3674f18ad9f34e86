// Reads a PyTorch checkpoint written by torch.save(model.state_dict(), path) (the zip format of
// PyTorch >= 1.6), as the course saves its models, without LibTorch: a small zip reader (stored
// entries, as torch.save writes them) and a pickle machine that knows the opcodes torch.save emits.
// LibTorch's own pickle reader turns the state_dict's OrderedDict into None, hence this file.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace sprites {

struct PthTensor {
  std::string dtype;            // as safetensors names them: F32, F16, F64, BF16, I64, I32, U8, BOOL
  std::vector<int64_t> shape;
  std::vector<uint8_t> data;    // contiguous, C order, little-endian
};

// name -> tensor. Throws std::runtime_error("<name>: ...") on anything it cannot read.
std::map<std::string, PthTensor> parse_pth_state_dict(std::vector<uint8_t> bytes, const std::string& name);

}  // namespace sprites
