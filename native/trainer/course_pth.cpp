#include "course_pth.h"

#include "pth_reader.h"

#include <fstream>
#include <iterator>
#include <stdexcept>

namespace sprites {

static torch::ScalarType torch_dtype(const std::string& dtype) {
  static const std::map<std::string, torch::ScalarType> m = {
      {"F32", torch::kFloat}, {"F16", torch::kHalf}, {"F64", torch::kDouble}, {"BF16", torch::kBFloat16},
      {"I64", torch::kLong},  {"I32", torch::kInt},  {"U8", torch::kByte},    {"BOOL", torch::kBool}};
  return m.at(dtype);
}

std::map<std::string, torch::Tensor> read_torch_state_dict(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw std::runtime_error(path + ": cannot open file");
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  std::map<std::string, torch::Tensor> out;
  for (auto& [name, t] : parse_pth_state_dict(std::move(bytes), path))
    out[name] = torch::from_blob(t.data.data(), t.shape, torch::TensorOptions().dtype(torch_dtype(t.dtype))).clone();
  return out;
}

}  // namespace sprites
