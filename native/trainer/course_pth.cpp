#include "course_pth.h"

#include "file_bytes.h"
#include "pth_reader.h"

#include <stdexcept>

namespace sprites {

static torch::ScalarType torch_dtype(const std::string& dtype) {
  static const std::map<std::string, torch::ScalarType> m = {
      {"F32", torch::kFloat}, {"F16", torch::kHalf}, {"F64", torch::kDouble}, {"BF16", torch::kBFloat16},
      {"I64", torch::kLong},  {"I32", torch::kInt},  {"U8", torch::kByte},    {"BOOL", torch::kBool}};
  return m.at(dtype);
}

std::map<std::string, torch::Tensor> read_torch_state_dict(const std::string& path) {
  std::map<std::string, torch::Tensor> out;
  for (auto& [name, t] : parse_pth_state_dict(read_file_bytes(path), path))
    out[name] = torch::from_blob(t.data.data(), t.shape, torch::TensorOptions().dtype(torch_dtype(t.dtype))).clone();
  return out;
}

}  // namespace sprites
