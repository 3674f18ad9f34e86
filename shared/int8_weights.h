// Compact 8-bit weights (the design card's "compact format"), still plain safetensors: every conv,
// transposed-conv and linear weight is stored as I8 with one F32 scale per output channel, tensor
// "<name>.scale", shaped to broadcast against the weight ([O,1,1,1], [1,O,1,1], [O,1]). A value is
// q * scale with q in -127..127: symmetric, so zero stays exactly zero (the course import's zero
// shortcut). Biases and norms stay F32; they are 1% of the bytes, and so does the last convolution
// (int8_keeps_float). __metadata__ "quantization" names the scheme. Readers dequantize once at load;
// the arithmetic stays fp32.
#pragma once
#include "safetensors.h"
#include "unet_layout.h"

#include <map>
#include <string>
#include <vector>

namespace sprites {

constexpr const char* kQuantizationKey = "quantization";
constexpr const char* kInt8PerChannel = "int8-per-channel";

std::string int8_scale_name(const std::string& tensor);  // "<tensor>.scale"
// Weights the scheme leaves F32 though they have an output channel: the last convolution, whose
// output is the predicted noise itself.
bool int8_keeps_float(const std::string& tensor);
// True for "<x>.scale" when `x` is an I8 tensor of `st`: a part of that tensor, not a model tensor.
bool is_int8_scale(const SafeTensors& st, const std::string& name);
std::vector<int64_t> int8_scale_shape(const std::vector<int64_t>& shape, int channel_axis);

// The file bytes: tensors with a channel axis in `layout` quantized, the others F32. `metadata` gets
// the scheme and dtype "I8".
std::vector<uint8_t> serialize_int8_weights(const std::map<std::string, Tensor32>& tensors,
                                            const std::map<std::string, TensorSpec>& layout,
                                            std::map<std::string, std::string> metadata);

// The float values of the I8 tensor `name` of `st`. Throws std::runtime_error("<file>: ...") unless the
// file names this scheme and "<name>.scale" is F32, shaped int8_scale_shape(shape, channel_axis),
// finite and positive.
std::vector<float> dequantize_int8(const SafeTensors& st, const std::string& name, int channel_axis,
                                   const std::string& file);

}  // namespace sprites
