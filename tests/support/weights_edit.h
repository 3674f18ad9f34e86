// Copies of the shipped weights with changed metadata: files the core must read differently.
#pragma once
#include "safetensors.h"
#include "test_util.h"
#include "unet_weights.h"

#include <functional>
#include <map>
#include <stdexcept>
#include <string>

namespace testutil {

inline const std::string kDefaultWeights = SPRITES_SOURCE_DIR "/assets/weights/sprites_final.safetensors";

// The tensors of `st` as the writer takes them.
inline std::vector<sprites::TensorOut> tensors_of(const sprites::SafeTensors& st) {
  std::vector<sprites::TensorOut> ts;
  for (auto& [name, e] : st.tensors)
    ts.push_back({name, e.dtype, e.shape, std::vector<uint8_t>(st.data(e), st.data(e) + (e.end - e.begin))});
  return ts;
}

// Writes `out`: the tensors of `in` with its metadata updated by `changes`.
inline void copy_weights_with_metadata(const std::string& in, const std::string& out,
                                       const std::map<std::string, std::string>& changes) {
  const sprites::SafeTensors st = sprites::load_safetensors(in);
  auto meta = st.metadata;
  for (auto& [k, v] : changes) meta[k] = v;
  write_bytes(out, sprites::serialize_safetensors(tensors_of(st), meta));
}

// Writes `out`: the 5-label weights `in` cut to the first labels.size() classes (their context
// layers' first columns), named `labels` ("slime,knight,potion"): a model of other classes.
inline void copy_weights_with_classes(const std::string& in, const std::string& out, const std::vector<std::string>& labels) {
  const sprites::SafeTensors st = sprites::load_safetensors(in);
  std::vector<sprites::TensorOut> ts = tensors_of(st);
  const auto n = static_cast<std::ptrdiff_t>(labels.size());
  for (sprites::TensorOut& t : ts) {
    if (t.name.rfind("contextembed", 0) != 0 || t.shape.size() != 2 || t.shape[1] != 5) continue;
    const auto row = static_cast<std::ptrdiff_t>(t.data.size()) / t.shape[0], keep = row / 5 * n;
    std::vector<uint8_t> cut;
    for (std::ptrdiff_t r = 0; r < t.shape[0]; ++r) cut.insert(cut.end(), t.data.begin() + r * row, t.data.begin() + r * row + keep);
    t.data = cut;
    t.shape[1] = n;
  }
  auto meta = st.metadata;
  meta["n_cfeat"] = std::to_string(n);
  meta["labels"].clear();
  for (const std::string& l : labels) meta["labels"] += (meta["labels"].empty() ? "" : ",") + l;
  write_bytes(out, sprites::serialize_safetensors(ts, meta));
}

using WeightsEdit = std::function<void(std::vector<sprites::TensorOut>&, std::map<std::string, std::string>&)>;

// `st` rewritten by `edit` and loaded by the core as `name`: the load error, "" if it loaded.
inline std::string load_error_after(const sprites::SafeTensors& st, const WeightsEdit& edit, const std::string& name) {
  auto ts = tensors_of(st);
  auto meta = st.metadata;
  edit(ts, meta);
  try {
    sprites::load_unet_weights(sprites::parse_safetensors(sprites::serialize_safetensors(ts, meta), name), name);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}

}  // namespace testutil
