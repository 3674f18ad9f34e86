#include "int8_weights.h"

#include "printable.h"
#include "string_match.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>

namespace sprites {

namespace {

// Elements of a row-major tensor visit channel (i / inner) % channels of `axis`.
struct ChannelWalk {
  size_t channels = 1, inner = 1;
  ChannelWalk(const std::vector<int64_t>& shape, int axis) {
    channels = static_cast<size_t>(shape.at(static_cast<size_t>(axis)));
    for (size_t d = static_cast<size_t>(axis) + 1; d < shape.size(); ++d) inner *= static_cast<size_t>(shape[d]);
  }
  size_t channel(size_t i) const { return (i / inner) % channels; }
};

std::vector<uint8_t> float_bytes(const std::vector<float>& v) {
  std::vector<uint8_t> out(v.size() * 4);
  std::memcpy(out.data(), v.data(), out.size());
  return out;
}

}  // namespace

std::string int8_scale_name(const std::string& tensor) { return tensor + ".scale"; }

bool is_int8_scale(const SafeTensors& st, const std::string& name) {
  const std::string suffix = int8_scale_name("");
  if (name.size() <= suffix.size() || !ends_with(name, suffix)) return false;
  auto scaled = st.tensors.find(name.substr(0, name.size() - suffix.size()));
  return scaled != st.tensors.end() && scaled->second.dtype == "I8";
}

// Rounding the last convolution's 3 x 576 weights shifts the predicted noise by a small bias per
// colour channel, which DDPM's 500 noisy steps add up: from the same noise, 8-bit sprites came out
// 5-8 levels brighter than fp16 ones (9 levels apart on average over 32 sprites). With this one
// tensor in F32 (5 kB more) they are 1.2 levels apart and the bias is gone; quantizing the first
// convolution instead changed nothing.
bool int8_keeps_float(const std::string& tensor) { return tensor == "out.3.weight"; }

std::vector<int64_t> int8_scale_shape(const std::vector<int64_t>& shape, int channel_axis) {
  std::vector<int64_t> s(shape.size(), 1);
  s.at(static_cast<size_t>(channel_axis)) = shape[static_cast<size_t>(channel_axis)];
  return s;
}

std::vector<uint8_t> serialize_int8_weights(const std::map<std::string, Tensor32>& tensors,
                                            const std::map<std::string, TensorSpec>& layout,
                                            std::map<std::string, std::string> metadata) {
  std::vector<TensorOut> out;
  for (auto& [name, t] : tensors) {
    auto spec = layout.find(name);
    if (spec == layout.end() || spec->second.channel_axis < 0 || int8_keeps_float(name)) {
      out.push_back({name, "F32", t.shape, float_bytes(t.data)});
      continue;
    }
    const ChannelWalk walk(t.shape, spec->second.channel_axis);
    std::vector<float> scale(walk.channels, 0.0f);
    for (size_t i = 0; i < t.data.size(); ++i) scale[walk.channel(i)] = std::max(scale[walk.channel(i)], std::fabs(t.data[i]));
    for (float& s : scale) s = s / 127.0f > 0 ? s / 127.0f : 1.0f;  // an all-zero channel keeps scale 1
    TensorOut q{name, "I8", t.shape, std::vector<uint8_t>(t.data.size())};
    for (size_t i = 0; i < t.data.size(); ++i) {
      const long v = std::lrint(t.data[i] / scale[walk.channel(i)]);
      q.data[i] = static_cast<uint8_t>(static_cast<int8_t>(std::clamp(v, -127L, 127L)));
    }
    out.push_back(std::move(q));
    out.push_back({int8_scale_name(name), "F32", int8_scale_shape(t.shape, spec->second.channel_axis), float_bytes(scale)});
  }
  metadata[kQuantizationKey] = kInt8PerChannel;
  metadata["dtype"] = "I8";
  return serialize_safetensors(out, metadata);
}

std::vector<float> dequantize_int8(const SafeTensors& st, const std::string& name, int channel_axis,
                                   const std::string& file) {
  auto fail = [&](const std::string& what) { return std::runtime_error(file + ": " + what); };
  auto scheme = st.metadata.find(kQuantizationKey);
  if (scheme == st.metadata.end())
    throw fail("tensor '" + printable(name) + "' is I8 but __metadata__ names no quantization");
  if (scheme->second != kInt8PerChannel)
    throw fail("quantization '" + printable(scheme->second) + "' is not one this core reads (" + kInt8PerChannel + ")");
  const TensorEntry& e = st.tensors.at(name);
  if (channel_axis < 0 || static_cast<size_t>(channel_axis) >= e.shape.size())
    throw fail("tensor '" + printable(name) + "' is I8 but only conv and linear weights may be");
  const std::string sname = int8_scale_name(name);
  auto s = st.tensors.find(sname);
  if (s == st.tensors.end()) throw fail("missing tensor '" + printable(sname) + "' (the scales of the I8 tensor '" + printable(name) + "')");
  if (s->second.dtype != "F32") throw fail("tensor '" + printable(sname) + "' has dtype " + s->second.dtype + ", expected F32");
  if (s->second.shape != int8_scale_shape(e.shape, channel_axis))
    throw fail("tensor '" + printable(sname) + "' does not have one scale per output channel of '" + printable(name) + "'");
  const ChannelWalk walk(e.shape, channel_axis);
  std::vector<float> scale(walk.channels);
  std::memcpy(scale.data(), st.data(s->second), scale.size() * 4);
  for (float v : scale)
    if (!std::isfinite(v) || v <= 0) throw fail("tensor '" + printable(sname) + "' holds a scale that is not a positive number");
  std::vector<float> out(e.end - e.begin);
  const uint8_t* q = st.data(e);
  for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<float>(static_cast<int8_t>(q[i])) * scale[walk.channel(i)];
  return out;
}

}  // namespace sprites
