#include "course_checkpoint.h"

#include "checkpoint_files.h"
#include "file_bytes.h"
#include "printable.h"
#include "pth_reader.h"
#include "schedule.h"
#include "string_match.h"
#include "unet_layout.h"

#include <cmath>
#include <cstring>
#include <stdexcept>

namespace sprites {

namespace {

using Tensors = std::map<std::string, Tensor32>;

// The model is float32; a checkpoint saved after .double() is read too.
Tensor32 as_float(const PthTensor& t, const std::string& tname, const std::string& name) {
  size_t n = 1;  // checked against the bytes there are, so a hostile shape allocates nothing
  for (int64_t d : t.shape) {
    if (d < 0 || (d > 0 && n > t.data.size() / static_cast<size_t>(d)))
      throw std::runtime_error(name + ": tensor '" + printable(tname) + "' has a shape its data does not fill");
    n *= static_cast<size_t>(d);
  }
  Tensor32 out{t.shape, std::vector<float>(n)};
  if (t.dtype == "F32" && t.data.size() == 4 * n) {
    if (n > 0) std::memcpy(out.data.data(), t.data.data(), 4 * n);  // an empty vector's data() may be null
  } else if (t.dtype == "F64" && t.data.size() == 8 * n) {
    for (size_t i = 0; i < n; ++i) {
      double v;
      std::memcpy(&v, t.data.data() + 8 * i, 8);
      out.data[i] = static_cast<float>(v);
    }
  } else {
    throw std::runtime_error(name + ": tensor '" + printable(tname) + "' has dtype " + t.dtype + ", expected F32 or F64");
  }
  return out;
}

int64_t dim_of(const std::map<std::string, PthTensor>& sd, const std::string& key, size_t d, const std::string& name) {
  auto it = sd.find(key);
  if (it == sd.end() || it->second.shape.size() <= d)
    throw std::runtime_error(name + ": not a ContextUnet checkpoint (no usable '" + printable(key) + "')");
  return it->second.shape[d];
}

// BatchNorm2d at index 1 of a Sequential whose index 0 is the Conv2d before it (the course's
// ResidualConvBlock): the conv takes the normalisation in eval mode, w' = w s, b' = (b - mean) s + beta
// with s = gamma / sqrt(var + 1e-5), in float32 as sprites-train's export computes it.
void fold_batch_norms(Tensors& t, const std::string& name) {
  std::vector<std::string> bns;
  for (const auto& [key, v] : t)
    if (ends_with(key, ".1.running_var")) bns.push_back(key.substr(0, key.size() - std::string("running_var").size()));
  for (const std::string& bn : bns) {
    const std::string conv = bn.substr(0, bn.size() - 2) + "0.";
    auto w = t.find(conv + "weight"), b = t.find(conv + "bias");
    for (const char* field : {"weight", "bias", "running_mean", "running_var"})
      if (!t.count(bn + field)) throw std::runtime_error(name + ": BatchNorm '" + printable(bn) + "' lacks '" + printable(field) + "'");
    const auto &gamma = t.at(bn + "weight").data, &beta = t.at(bn + "bias").data, &mean = t.at(bn + "running_mean").data,
               &var = t.at(bn + "running_var").data;
    const size_t out = gamma.size();
    if (out == 0 || w == t.end() || b == t.end() || w->second.shape.empty() || w->second.shape[0] != static_cast<int64_t>(out) ||
        b->second.data.size() != out || beta.size() != out || mean.size() != out || var.size() != out)
      throw std::runtime_error(name + ": BatchNorm '" + printable(bn) + "' does not follow a conv of its width at '" + printable(conv) + "'");
    const size_t per = w->second.data.size() / out;
    for (size_t o = 0; o < out; ++o) {
      const float s = gamma[o] / std::sqrt(var[o] + 1e-5f);
      for (size_t i = 0; i < per; ++i) w->second.data[o * per + i] *= s;
      const float centred = b->second.data[o] - mean[o];
      const float scaled = centred * s;
      b->second.data[o] = scaled + beta[o];
    }
    for (const char* field : {"weight", "bias", "running_mean", "running_var", "num_batches_tracked"}) t.erase(bn + field);
  }
}

}  // namespace

bool is_zip(const std::vector<uint8_t>& bytes) {
  return bytes.size() >= 4 && bytes[0] == 'P' && bytes[1] == 'K' && bytes[2] == 3 && bytes[3] == 4;
}

std::vector<uint8_t> course_checkpoint_export(std::vector<uint8_t> pth, const std::string& name,
                                              const std::map<std::string, std::string>& metadata) {
  const auto sd = parse_pth_state_dict(std::move(pth), name);
  const int64_t in = dim_of(sd, "init_conv.conv1.0.weight", 1, name), f = dim_of(sd, "init_conv.conv1.0.weight", 0, name),
                n_cfeat = dim_of(sd, "contextembed1.model.0.weight", 1, name), h4 = dim_of(sd, "up0.0.weight", 2, name);
  // The loader checks these too; here they size the zero shortcut before it runs.
  if (in < 1 || in > 4 || f < 8 || f > 1024 || f % 8 != 0 || n_cfeat < 1 || n_cfeat > kMaxClasses || h4 < 1 || h4 > 64)
    throw std::runtime_error(name + ": not a ContextUnet this core runs (in_channels " + std::to_string(in) + ", n_feat " +
                             std::to_string(f) + ", n_cfeat " + std::to_string(n_cfeat) + ", height " + std::to_string(4 * h4) + ")");
  UnetArch arch;  // the course's schedule and eps prediction
  arch.in_channels = static_cast<int>(in);
  arch.n_feat = static_cast<int>(f);
  arch.n_cfeat = static_cast<int>(n_cfeat);
  arch.height = static_cast<int>(4 * h4);
  Tensors t;
  for (const auto& [key, v] : sd) {
    for (const char ch : key)  // a state_dict's keys are module paths
      if (ch < 0x21 || ch > 0x7e) throw std::runtime_error(name + ": not a ContextUnet checkpoint (a tensor name is not a module path)");
    if (!ends_with(key, ".num_batches_tracked")) t.emplace(key, as_float(v, key, name));
  }
  fold_batch_norms(t, name);
  for (const auto& [key, spec] : expected_unet_tensors(arch))
    if (key.rfind("init_conv.shortcut.", 0) == 0 && !t.count(key)) {
      size_t n = 1;
      for (int64_t d : spec.shape) n *= static_cast<size_t>(d);
      t.emplace(key, Tensor32{spec.shape, std::vector<float>(n, 0.0f)});
    }

  const std::string labels = arch.n_cfeat == 5 ? kCourseLabels : numbered_labels(arch.n_cfeat);
  auto meta = architecture_metadata(arch);
  for (const auto& kv : schedule_metadata(Schedule(arch.timesteps, arch.beta1, arch.beta2))) meta.insert(kv);
  // The notebook names its files model_<epoch>.pth (0-based, as the exports count).
  const int epoch = course_checkpoint_epoch(name.substr(name.find_last_of("/\\") + 1));
  meta.insert({{"labels", labels}, {"epoch", epoch < 0 ? "unknown" : std::to_string(epoch)}, {"prediction", prediction_name(arch.prediction)}, {"dtype", "F32"},
               {"source", "course .pth: " + name}, {"shortcut", "zero (the course's shortcut conv was random per call)"}});
  for (const auto& [k, v] : metadata) meta[k] = v;
  std::vector<TensorOut> out;
  for (const auto& [key, v] : t) {
    TensorOut o{key, "F32", v.shape, std::vector<uint8_t>(v.data.size() * 4)};
    if (!o.data.empty()) std::memcpy(o.data.data(), v.data.data(), o.data.size());
    out.push_back(std::move(o));
  }
  return serialize_safetensors(out, meta);
}

SafeTensors parse_weights_file(std::vector<uint8_t> bytes, const std::string& name) {
  if (is_zip(bytes)) return parse_safetensors(course_checkpoint_export(std::move(bytes), name), name);
  return parse_safetensors(std::move(bytes), name);
}

SafeTensors load_weights_file(const std::string& path) { return parse_weights_file(read_file_bytes(path), path); }

}  // namespace sprites
