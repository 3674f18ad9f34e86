#include "unet_weights.h"

#include "parse_number.h"

#include <fp16.h>

#include <cmath>
#include <cstring>
#include <sstream>
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

std::map<std::string, std::vector<int64_t>> expected_unet_tensors(const UnetArch& a) {
  const int64_t f = a.n_feat, h4 = a.height / 4;
  std::map<std::string, std::vector<int64_t>> m;
  auto conv = [&](const std::string& n, int64_t in, int64_t out, int64_t k) {
    m[n + ".weight"] = {out, in, k, k};
    m[n + ".bias"] = {out};
  };
  auto deconv = [&](const std::string& n, int64_t in, int64_t out, int64_t k) {
    m[n + ".weight"] = {in, out, k, k};
    m[n + ".bias"] = {out};
  };
  auto rcb = [&](const std::string& n, int64_t in, int64_t out) {
    conv(n + ".conv1.0", in, out, 3);
    conv(n + ".conv2.0", out, out, 3);
  };
  auto linear = [&](const std::string& n, int64_t in, int64_t out) {
    m[n + ".weight"] = {out, in};
    m[n + ".bias"] = {out};
  };
  auto norm = [&](const std::string& n, int64_t c) {
    m[n + ".weight"] = {c};
    m[n + ".bias"] = {c};
  };
  rcb("init_conv", a.in_channels, f);
  conv("init_conv.shortcut", a.in_channels, f, 1);
  rcb("down1.model.0", f, f);
  rcb("down1.model.1", f, f);
  rcb("down2.model.0", f, 2 * f);
  rcb("down2.model.1", 2 * f, 2 * f);
  for (auto [n, in, out] : {std::tuple<const char*, int64_t, int64_t>{"timeembed1", 1, 2 * f}, {"timeembed2", 1, f},
                            {"contextembed1", a.n_cfeat, 2 * f}, {"contextembed2", a.n_cfeat, f}}) {
    linear(std::string(n) + ".model.0", in, out);
    linear(std::string(n) + ".model.2", out, out);
  }
  deconv("up0.0", 2 * f, 2 * f, h4);
  norm("up0.1", 2 * f);
  deconv("up1.model.0", 4 * f, f, 2);
  rcb("up1.model.1", f, f);
  rcb("up1.model.2", f, f);
  deconv("up2.model.0", 2 * f, f, 2);
  rcb("up2.model.1", f, f);
  rcb("up2.model.2", f, f);
  conv("out.0", 2 * f, f, 3);
  norm("out.1", f);
  conv("out.3", f, a.in_channels, 3);
  return m;
}

static std::string meta(const SafeTensors& st, const std::string& key, const std::string& name) {
  auto it = st.metadata.find(key);
  if (it == st.metadata.end()) throw std::runtime_error(name + ": __metadata__ lacks '" + key + "'");
  return it->second;
}

static int meta_int(const SafeTensors& st, const std::string& key, const std::string& name, int lo, int hi) {
  const std::string v = meta(st, key, name);
  const auto x = parse_int_in(v, lo, hi);
  if (!x)
    throw std::runtime_error(name + ": __metadata__ '" + key + "' = '" + v + "' is not an integer in " +
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
    throw std::runtime_error(name + ": architecture '" + meta(st, "architecture", name) + "' is not ContextUnet");
  if (meta(st, "bn_folded", name) != "true")
    throw std::runtime_error(name + ": BatchNorm is not folded (export it with sprites-train)");
  UnetWeights w;
  w.arch.in_channels = meta_int(st, "in_channels", name, 1, 4);
  w.arch.n_feat = meta_int(st, "n_feat", name, 8, 1024);
  w.arch.n_cfeat = meta_int(st, "n_cfeat", name, 1, 64);
  w.arch.height = meta_int(st, "height", name, 4, 256);
  w.arch.timesteps = meta_int(st, "timesteps", name, 1, 100000);
  if (w.arch.n_feat % 8 != 0) throw std::runtime_error(name + ": n_feat must be a multiple of 8 (GroupNorm(8))");
  if (w.arch.height % 4 != 0) throw std::runtime_error(name + ": height must be a multiple of 4");
  const auto beta1 = parse_float_in(meta(st, "beta1", name), 0, 1), beta2 = parse_float_in(meta(st, "beta2", name), 0, 1);
  if (!beta1 || !beta2 || !(*beta1 > 0 && *beta1 < *beta2 && *beta2 < 1))
    throw std::runtime_error(name + ": __metadata__ needs numbers 0 < beta1 < beta2 < 1");
  const auto kind = st.metadata.find("schedule");  // files before this key were all linear
  if (kind != st.metadata.end() && kind->second != "linear")
    throw std::runtime_error(name + ": schedule '" + kind->second + "' is not one this core samples (linear)");
  w.arch.beta1 = *beta1;
  w.arch.beta2 = *beta2;
  std::stringstream labels(meta(st, "labels", name));
  for (std::string l; std::getline(labels, l, ',');) w.labels.push_back(l);
  if (static_cast<int>(w.labels.size()) != w.arch.n_cfeat)
    throw std::runtime_error(name + ": " + std::to_string(w.labels.size()) + " labels for n_cfeat " +
                             std::to_string(w.arch.n_cfeat));
  w.metadata = st.metadata;

  const auto want = expected_unet_tensors(w.arch);
  for (auto& [tname, e] : st.tensors)
    if (!want.count(tname)) throw std::runtime_error(name + ": unexpected tensor '" + tname + "'");
  for (auto& [tname, shape] : want) {
    auto it = st.tensors.find(tname);
    if (it == st.tensors.end()) throw std::runtime_error(name + ": missing tensor '" + tname + "'");
    const TensorEntry& e = it->second;
    if (e.shape != shape)
      throw std::runtime_error(name + ": tensor '" + tname + "' has shape " + shape_str(e.shape) + ", expected " +
                               shape_str(shape));
    Tensor32 t{shape, std::vector<float>((e.end - e.begin) / dtype_size(e.dtype))};
    const uint8_t* src = st.data(e);
    if (e.dtype == "F32") {
      std::memcpy(t.data.data(), src, t.data.size() * 4);
    } else if (e.dtype == "F16") {
      for (size_t i = 0; i < t.data.size(); ++i) {
        uint16_t h;
        std::memcpy(&h, src + 2 * i, 2);
        t.data[i] = fp16_ieee_to_fp32_value(h);
      }
    } else {
      throw std::runtime_error(name + ": tensor '" + tname + "' has dtype " + e.dtype + ", expected F16 or F32");
    }
    for (float v : t.data)
      if (!std::isfinite(v)) throw std::runtime_error(name + ": tensor '" + tname + "' holds NaN or infinity");
    w.tensors.emplace(tname, std::move(t));
  }
  return w;
}

Schedule schedule_for(const UnetArch& arch) { return Schedule(arch.timesteps, arch.beta1, arch.beta2); }

UnetWeights load_unet_weights(const std::string& path) { return load_unet_weights(load_safetensors(path), path); }

}  // namespace sprites
