#include "export_weights.h"

#include "common/atomic_file.h"
#include "course_checkpoint.h"
#include "int8_weights.h"
#include "label_names.h"
#include "parse_number.h"
#include "printable.h"
#include "safetensors.h"

#include <cstring>
#include <functional>
#include <set>
#include <stdexcept>

namespace sprites {

// Every conv+BN pair of the model sits in a ResidualConvBlock's conv1/conv2 Sequential
// (Conv2d at index 0, BatchNorm2d at index 1).
static std::vector<std::string> conv_bn_prefixes(ContextUnet& model) {
  std::vector<std::string> out;
  for (auto& item : model->named_modules()) {
    if (item.value()->as<ResidualConvBlockImpl>()) {
      const std::string p = item.key().empty() ? "" : item.key() + ".";
      out.push_back(p + "conv1");
      out.push_back(p + "conv2");
    }
  }
  return out;
}

std::map<std::string, torch::Tensor> folded_state(ContextUnet& model) {
  torch::NoGradGuard ng;
  std::map<std::string, torch::Tensor> sd;
  for (auto& p : model->named_parameters()) sd[p.key()] = p.value().detach().to(torch::kCPU, torch::kFloat);
  for (auto& b : model->named_buffers()) sd[b.key()] = b.value().detach().to(torch::kCPU);
  for (const auto& pre : conv_bn_prefixes(model)) {
    auto& w = sd.at(pre + ".0.weight");
    auto& bias = sd.at(pre + ".0.bias");
    const std::string bn = pre + ".1.";
    auto scale = sd.at(bn + "weight") / torch::sqrt(sd.at(bn + "running_var").to(torch::kFloat) + 1e-5);
    w = w * scale.view({-1, 1, 1, 1});
    bias = (bias - sd.at(bn + "running_mean").to(torch::kFloat)) * scale + sd.at(bn + "bias");
    for (const char* k : {"weight", "bias", "running_mean", "running_var", "num_batches_tracked"}) sd.erase(bn + k);
  }
  for (auto it = sd.begin(); it != sd.end();)
    it = it->first.find("num_batches_tracked") != std::string::npos ? sd.erase(it) : std::next(it);
  return sd;
}

std::vector<std::string> label_names_flag(const std::string& flag, int64_t n) {
  std::vector<std::string> names = split_labels(flag);
  if (static_cast<int64_t>(names.size()) != n)
    throw std::runtime_error("--label-names needs " + std::to_string(n) + " comma-separated names, got " + std::to_string(names.size()));
  if (const std::string problem = new_label_names_problem(names); !problem.empty()) throw std::runtime_error("--label-names: " + problem);
  return names;
}

std::string label_names_text(const std::vector<std::string>& names) { return join_labels(names, ","); }

const std::map<std::string, WeightsDtype>& weights_dtype_names() {
  static const std::map<std::string, WeightsDtype> names{
      {"f16", WeightsDtype::f16}, {"f32", WeightsDtype::f32}, {"int8", WeightsDtype::int8}};
  return names;
}

static UnetArch arch_of(const UnetConfig& cfg) {
  UnetArch a;
  a.in_channels = static_cast<int>(cfg.in_channels);
  a.n_feat = static_cast<int>(cfg.n_feat);
  a.n_cfeat = static_cast<int>(cfg.n_cfeat);
  a.height = static_cast<int>(cfg.height);
  return a;
}

void export_safetensors(ContextUnet& model, const std::string& path, WeightsDtype dtype,
                        std::map<std::string, std::string> metadata, const Schedule& schedule) {
  const bool was_training = model->is_training();
  model->eval();
  auto sd = folded_state(model);
  if (was_training) model->train();
  auto meta = architecture_metadata(arch_of(model->cfg));
  for (const auto& kv : schedule_metadata(schedule)) meta.insert(kv);
  meta.insert(metadata.begin(), metadata.end());
  if (dtype == WeightsDtype::int8) {
    std::map<std::string, Tensor32> fp32;
    for (auto& [name, t] : sd) {
      auto c = t.to(torch::kFloat).contiguous();
      fp32[name] = {c.sizes().vec(), std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel())};
    }
    write_file_atomic(path, serialize_int8_weights(fp32, expected_unet_tensors(arch_of(model->cfg)), meta));
    return;
  }
  const bool fp16 = dtype == WeightsDtype::f16;
  meta["dtype"] = fp16 ? "F16" : "F32";
  std::vector<TensorOut> ts;
  for (auto& [name, t] : sd) {
    auto c = (fp16 ? t.to(torch::kHalf) : t.to(torch::kFloat)).contiguous();
    TensorOut o{name, fp16 ? "F16" : "F32", c.sizes().vec(), {}};
    o.data.resize(static_cast<size_t>(c.numel() * c.element_size()));
    std::memcpy(o.data.data(), c.data_ptr(), o.data.size());
    ts.push_back(std::move(o));
  }
  write_file_atomic(path, serialize_safetensors(ts, meta));
}

// Copies every parameter and buffer of `model` from `sd` by name, checking shapes. Names absent from
// `sd` go to `fill_missing`, which sets them and returns true, or returns false (an error). Tensors
// in `sd` the model lacks are an error too.
static void copy_state(ContextUnet& model, const std::map<std::string, torch::Tensor>& sd, const std::string& path,
                       const std::function<bool(const std::string&, torch::Tensor&)>& fill_missing) {
  torch::NoGradGuard ng;
  size_t used = 0;
  auto assign = [&](const std::string& name, torch::Tensor& dst) {
    auto it = sd.find(name);
    if (it == sd.end()) {
      if (!fill_missing(name, dst)) throw std::runtime_error(path + ": missing tensor '" + name + "'");
      return;
    }
    if (it->second.sizes() != dst.sizes())
      throw std::runtime_error(path + ": tensor '" + name + "' has shape " + c10::str(it->second.sizes()) +
                               ", the model needs " + c10::str(dst.sizes()));
    dst.copy_(it->second.to(dst.dtype()));
    ++used;
  };
  for (auto& p : model->named_parameters()) assign(p.key(), p.value());
  for (auto& b : model->named_buffers()) assign(b.key(), b.value());
  if (used != sd.size())
    throw std::runtime_error(path + ": holds " + std::to_string(sd.size() - used) + " tensors a ContextUnet does not have");
  model->eval();
}

static int64_t meta_int(const SafeTensors& st, const std::string& key, const std::string& path) {
  auto it = st.metadata.find(key);
  if (it == st.metadata.end()) throw std::runtime_error(path + ": __metadata__ lacks '" + key + "'");
  const auto v = parse_int_in(it->second, 1, 1 << 20);
  if (!v) throw std::runtime_error(path + ": __metadata__ '" + key + "' is not a positive integer");
  return *v;
}

ContextUnet load_folded_model(const std::string& path, UnetConfig* cfg_out) {
  return load_folded_model(load_weights_file(path), path, cfg_out);
}

ContextUnet load_folded_model(const SafeTensors& st, const std::string& path, UnetConfig* cfg_out) {
  UnetConfig cfg;
  cfg.in_channels = meta_int(st, "in_channels", path);
  cfg.n_feat = meta_int(st, "n_feat", path);
  cfg.n_cfeat = meta_int(st, "n_cfeat", path);
  cfg.height = meta_int(st, "height", path);
  if (cfg_out) *cfg_out = cfg;
  const auto layout = expected_unet_tensors(arch_of(cfg));
  std::map<std::string, torch::Tensor> sd;
  for (auto& [name, e] : st.tensors) {
    if (e.dtype == "I8") {
      auto spec = layout.find(name);
      auto values = dequantize_int8(st, name, spec == layout.end() ? -1 : spec->second.channel_axis, path);
      sd[name] = torch::from_blob(values.data(), e.shape, torch::kFloat).clone();
      continue;
    }
    if (is_int8_scale(st, name)) continue;  // read with its tensor
    if (e.dtype != "F16" && e.dtype != "F32")
      throw std::runtime_error(path + ": tensor '" + printable(name) + "' has dtype " + e.dtype + ", expected F16, F32 or I8");
    sd[name] = torch::from_blob(const_cast<uint8_t*>(st.data(e)), e.shape, e.dtype == "F16" ? torch::kHalf : torch::kFloat)
                   .to(torch::kFloat);
  }
  ContextUnet model(cfg);
  std::set<std::string> folded_bn;
  for (const auto& pre : conv_bn_prefixes(model)) folded_bn.insert(pre + ".1");
  // The BatchNorms the export folded away become identities: y = (x - 0) / sqrt(1 - eps + eps) * 1 + 0.
  copy_state(model, sd, path, [&](const std::string& name, torch::Tensor& dst) {
    const auto dot = name.rfind('.');
    if (!folded_bn.count(name.substr(0, dot))) return false;
    const std::string field = name.substr(dot + 1);
    if (field == "weight") dst.fill_(1);
    else if (field == "running_var") dst.fill_(1.0 - 1e-5);
    else dst.zero_();  // bias, running_mean, num_batches_tracked
    return true;
  });
  return model;
}

}  // namespace sprites
