#include "unet_weights.h"

#include "course_checkpoint.h"
#include "int8_weights.h"
#include "label_names.h"
#include "parse_number.h"
#include "printable.h"

#include <fp16.h>

#include <cmath>
#include <cstring>
#include <stdexcept>

namespace sprites {

const Tensor32& UnetWeights::at(const std::string& name) const {
  auto it = tensors.find(name);
  if (it == tensors.end()) throw std::logic_error("no tensor " + name);
  return it->second;
}

std::string UnetWeights::epoch() const {
  auto it = metadata.find("epoch");
  return it == metadata.end() ? "?" : it->second;
}

static std::string meta(const SafeTensors& st, const std::string& key, const std::string& name) {
  auto it = st.metadata.find(key);
  if (it == st.metadata.end()) throw std::runtime_error(name + ": __metadata__ lacks '" + printable(key) + "'");
  return it->second;
}

static int meta_int(const SafeTensors& st, const std::string& key, const std::string& name, int lo, int hi) {
  const std::string v = meta(st, key, name);
  const auto x = parse_int_in(v, lo, hi);
  if (!x)
    throw std::runtime_error(name + ": __metadata__ '" + printable(key) + "' = '" + printable(v) + "' is not an integer in " +
                             std::to_string(lo) + ".." + std::to_string(hi));
  return static_cast<int>(*x);
}

static std::string shape_str(const std::vector<int64_t>& s) {
  std::string out = "[";
  for (size_t i = 0; i < s.size(); ++i) out += (i ? "," : "") + std::to_string(s[i]);
  return out + "]";
}

UnetWeights load_unet_weights(const SafeTensors& st, const std::string& name) {
  if (meta(st, "architecture", name) != "ContextUnet")
    throw std::runtime_error(name + ": architecture '" + printable(meta(st, "architecture", name)) + "' is not ContextUnet");
  if (meta(st, "bn_folded", name) != "true")
    throw std::runtime_error(name + ": BatchNorm is not folded (export it with sprites-train)");
  UnetWeights w;
  w.arch.in_channels = meta_int(st, "in_channels", name, 1, 4);
  w.arch.n_feat = meta_int(st, "n_feat", name, 8, 1024);
  w.arch.n_cfeat = meta_int(st, "n_cfeat", name, 1, kMaxClasses);
  w.arch.height = meta_int(st, "height", name, 4, 256);
  w.arch.timesteps = meta_int(st, "timesteps", name, 1, 100000);
  if (w.arch.n_feat % 8 != 0) throw std::runtime_error(name + ": n_feat must be a multiple of 8 (GroupNorm(8))");
  if (w.arch.height % 4 != 0) throw std::runtime_error(name + ": height must be a multiple of 4");
  const auto beta1 = parse_float_in(meta(st, "beta1", name), 0, 1), beta2 = parse_float_in(meta(st, "beta2", name), 0, 1);
  if (!beta1 || !beta2 || !(*beta1 > 0 && *beta1 < *beta2 && *beta2 < 1))
    throw std::runtime_error(name + ": __metadata__ needs numbers 0 < beta1 < beta2 < 1");
  read_prediction_and_schedule(st.metadata, name, w.arch);
  if (st.metadata.count("distilled_steps")) w.arch.distilled_steps = meta_int(st, "distilled_steps", name, 1, w.arch.timesteps);
  w.arch.beta1 = *beta1;
  w.arch.beta2 = *beta2;
  w.labels = labels_from_metadata(meta(st, "labels", name), w.arch.n_cfeat, name);
  w.metadata = st.metadata;

  const auto want = expected_unet_tensors(w.arch);
  for (auto& [tname, e] : st.tensors)
    if (!want.count(tname) && !is_int8_scale(st, tname)) throw std::runtime_error(name + ": unexpected tensor '" + printable(tname) + "'");
  for (auto& [tname, spec] : want) {
    auto it = st.tensors.find(tname);
    if (it == st.tensors.end()) throw std::runtime_error(name + ": missing tensor '" + printable(tname) + "'");
    const TensorEntry& e = it->second;
    if (e.shape != spec.shape)
      throw std::runtime_error(name + ": tensor '" + printable(tname) + "' has shape " + shape_str(e.shape) + ", expected " +
                               shape_str(spec.shape));
    Tensor32 t{spec.shape, std::vector<float>((e.end - e.begin) / dtype_size(e.dtype))};
    const uint8_t* src = st.data(e);
    if (e.dtype == "F32") {
      std::memcpy(t.data.data(), src, t.data.size() * 4);
    } else if (e.dtype == "F16") {
      for (size_t i = 0; i < t.data.size(); ++i) {
        uint16_t h;
        std::memcpy(&h, src + 2 * i, 2);
        t.data[i] = fp16_ieee_to_fp32_value(h);
      }
    } else if (e.dtype == "I8") {
      t.data = dequantize_int8(st, tname, spec.channel_axis, name);
    } else {
      throw std::runtime_error(name + ": tensor '" + printable(tname) + "' has dtype " + e.dtype + ", expected F16, F32 or I8");
    }
    for (float v : t.data)
      if (!std::isfinite(v)) throw std::runtime_error(name + ": tensor '" + printable(tname) + "' holds NaN or infinity");
    w.tensors.emplace(tname, std::move(t));
  }
  return w;
}

Schedule schedule_for(const UnetArch& arch) { return Schedule(arch.timesteps, arch.beta1, arch.beta2, arch.zero_terminal_snr); }

UnetWeights load_unet_weights(const std::string& path) { return load_unet_weights(load_weights_file(path), path); }

}  // namespace sprites
