#include "safetensors.h"

#include "file_bytes.h"
#include "printable.h"

#include <nlohmann/json.hpp>

#include <stdexcept>

namespace sprites {

using json = nlohmann::json;

// Large enough for any model of this project, small enough that a corrupt length is caught early.
static constexpr uint64_t kMaxHeader = 16u << 20;

size_t dtype_size(const std::string& d) {
  if (d == "F32" || d == "I32" || d == "U32") return 4;
  if (d == "F16" || d == "BF16" || d == "I16" || d == "U16") return 2;
  if (d == "F64" || d == "I64" || d == "U64") return 8;
  if (d == "U8" || d == "I8" || d == "BOOL") return 1;
  return 0;
}

SafeTensors parse_safetensors(std::vector<uint8_t> bytes, const std::string& name) {
  auto fail = [&](const std::string& what) { return std::runtime_error(name + ": " + what); };
  if (bytes.size() < 8) throw fail("file too short for a safetensors header");
  uint64_t hlen = 0;
  for (int i = 7; i >= 0; --i) hlen = (hlen << 8) | bytes[i];
  if (hlen > kMaxHeader) throw fail("header length " + std::to_string(hlen) + " exceeds the 16 MiB limit");
  if (8 + hlen > bytes.size()) throw fail("header length " + std::to_string(hlen) + " runs past the end of the file");
  json h;
  try {
    h = json::parse(bytes.begin() + 8, bytes.begin() + 8 + static_cast<std::ptrdiff_t>(hlen));
  } catch (const json::exception& e) {
    throw fail("header is not valid JSON (" + printable(e.what(), 160) + ")");  // nlohmann quotes what it read
  }
  if (!h.is_object()) throw fail("header is not a JSON object");

  SafeTensors st;
  st.data_start = 8 + hlen;
  const size_t data_size = bytes.size() - st.data_start;
  for (auto& [key, v] : h.items()) {
    if (key == "__metadata__") {
      if (!v.is_object()) throw fail("__metadata__ is not an object");
      for (auto& [mk, mv] : v.items()) {
        if (!mv.is_string()) throw fail("__metadata__." + printable(mk) + " is not a string");
        st.metadata[mk] = mv.get<std::string>();
      }
      continue;
    }
    if (!v.is_object() || !v.contains("dtype") || !v.contains("shape") || !v.contains("data_offsets") ||
        !v["dtype"].is_string() || !v["shape"].is_array() || !v["data_offsets"].is_array() ||
        v["data_offsets"].size() != 2)
      throw fail("tensor '" + printable(key) + "' needs dtype, shape and two data_offsets");
    TensorEntry e;
    e.dtype = v["dtype"].get<std::string>();
    const size_t es = dtype_size(e.dtype);
    if (es == 0) throw fail("tensor '" + printable(key) + "' has unknown dtype " + printable(e.dtype));
    uint64_t count = 1;
    for (auto& d : v["shape"]) {
      if (!d.is_number_unsigned()) throw fail("tensor '" + printable(key) + "' has a bad shape");
      const uint64_t dim = d.get<uint64_t>();
      if (dim > data_size || (dim && count > data_size / dim)) throw fail("tensor '" + printable(key) + "' is larger than the file");
      count *= dim;
      e.shape.push_back(static_cast<int64_t>(dim));
    }
    for (auto& o : v["data_offsets"])
      if (!o.is_number_unsigned()) throw fail("tensor '" + printable(key) + "' has bad data_offsets");
    const uint64_t b = v["data_offsets"][0].get<uint64_t>(), en = v["data_offsets"][1].get<uint64_t>();
    if (b > en || en > data_size) throw fail("tensor '" + printable(key) + "' data_offsets lie outside the file");
    if (en - b != count * es)
      throw fail("tensor '" + printable(key) + "' has " + std::to_string(en - b) + " bytes, its shape needs " +
                 std::to_string(count * es));
    e.begin = b;
    e.end = en;
    st.tensors.emplace(key, std::move(e));
  }
  st.bytes = std::move(bytes);
  return st;
}

SafeTensors load_safetensors(const std::string& path) {
  return parse_safetensors(read_file_bytes(path), path);
}

std::vector<uint8_t> serialize_safetensors(const std::vector<TensorOut>& tensors,
                                           const std::map<std::string, std::string>& metadata) {
  json h = json::object();
  if (!metadata.empty()) h["__metadata__"] = metadata;
  size_t off = 0;
  for (auto& t : tensors) {
    h[t.name] = {{"dtype", t.dtype}, {"shape", t.shape}, {"data_offsets", {off, off + t.data.size()}}};
    off += t.data.size();
  }
  // Invalid UTF-8 in a name or a value (a path in "source", say) becomes U+FFFD instead of a throw.
  std::string hs = h.dump(-1, ' ', false, json::error_handler_t::replace);
  hs.append((8 - hs.size() % 8) % 8, ' ');  // keeps the data section 8-byte aligned
  std::vector<uint8_t> out;
  out.reserve(8 + hs.size() + off);
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<uint8_t>(uint64_t{hs.size()} >> (8 * i)));
  out.insert(out.end(), hs.begin(), hs.end());
  for (auto& t : tensors) out.insert(out.end(), t.data.begin(), t.data.end());
  return out;
}

}  // namespace sprites
