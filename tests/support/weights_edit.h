// Copies of the shipped weights with changed metadata: files the core must read differently.
#pragma once
#include "safetensors.h"
#include "test_util.h"

#include <map>
#include <string>

namespace testutil {

inline const std::string kDefaultWeights = SPRITES_SOURCE_DIR "/assets/weights/sprites_final.safetensors";

// Writes `out`: the tensors of `in` with its metadata updated by `changes`.
inline void copy_weights_with_metadata(const std::string& in, const std::string& out,
                                       const std::map<std::string, std::string>& changes) {
  const sprites::SafeTensors st = sprites::load_safetensors(in);
  std::vector<sprites::TensorOut> ts;
  for (auto& [name, e] : st.tensors)
    ts.push_back({name, e.dtype, e.shape, std::vector<uint8_t>(st.data(e), st.data(e) + (e.end - e.begin))});
  auto meta = st.metadata;
  for (auto& [k, v] : changes) meta[k] = v;
  write_bytes(out, sprites::serialize_safetensors(ts, meta));
}

}  // namespace testutil
