// The safetensors container (Hugging Face): u64 little-endian header length, a JSON header
// {"name": {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {str: str}},
// then the raw little-endian tensor bytes. Reading validates every field against the file size.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace sprites {

struct TensorEntry {
  std::string dtype;             // "F32", "F16", ...
  std::vector<int64_t> shape;
  size_t begin = 0, end = 0;     // byte range inside the data section
};

struct SafeTensors {
  std::map<std::string, std::string> metadata;
  std::map<std::string, TensorEntry> tensors;
  std::vector<uint8_t> bytes;    // the whole file
  size_t data_start = 0;
  const uint8_t* data(const TensorEntry& e) const { return bytes.data() + data_start + e.begin; }
};

size_t dtype_size(const std::string& dtype);  // 0 for unknown dtypes

// Throws std::runtime_error("<name>: ...") on any malformed or inconsistent input.
SafeTensors parse_safetensors(std::vector<uint8_t> bytes, const std::string& name);
SafeTensors load_safetensors(const std::string& path);

struct TensorOut {
  std::string name, dtype;
  std::vector<int64_t> shape;
  std::vector<uint8_t> data;
};
std::vector<uint8_t> serialize_safetensors(const std::vector<TensorOut>& tensors,
                                           const std::map<std::string, std::string>& metadata);

}  // namespace sprites
