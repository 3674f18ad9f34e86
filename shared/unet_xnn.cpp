#include "unet_xnn.h"

#include "nn_ops.h"
#include "xnn_check.h"

#include <xnnpack.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <limits>
#include <stdexcept>
#include <string>

namespace sprites {

namespace {


constexpr float kInf = std::numeric_limits<float>::infinity();

// OIHW (PyTorch conv) -> OHWI (XNNPACK); IOHW (PyTorch transposed conv) -> OHWI.
std::vector<float> to_ohwi(const Tensor32& t, bool transposed) {
  const auto& s = t.shape;
  const int64_t O = transposed ? s[1] : s[0], I = transposed ? s[0] : s[1], KH = s[2], KW = s[3];
  std::vector<float> out(t.data.size());
  for (int64_t o = 0; o < O; ++o)
    for (int64_t i = 0; i < I; ++i)
      for (int64_t y = 0; y < KH; ++y)
        for (int64_t x = 0; x < KW; ++x) {
          const int64_t src = transposed ? ((i * O + o) * KH + y) * KW + x : ((o * I + i) * KH + y) * KW + x;
          out[((o * KH + y) * KW + x) * I + i] = t.data[src];
        }
  return out;
}

// An XNNPACK operator together with its workspace; deleted with the plan.
struct Op {
  xnn_operator_t op = nullptr;
  std::vector<char> workspace;
  Op() = default;
  Op(Op&& o) noexcept : op(o.op), workspace(std::move(o.workspace)) { o.op = nullptr; }
  ~Op() { if (op) xnn_delete_operator(op); }
};

}  // namespace

struct UnetXnn::Plan {
  size_t n;
  // Activations, NHWC. The concat buffers hold [decoder input | skip] along channels.
  std::vector<float> x_in, t_in, c_in, eps_out;
  std::vector<float> a, b;            // ping-pong scratch, large enough for [n,H,W,2f]
  std::vector<float> cat16, cat8, cat4;  // [n,H,W,2f], [n,H/2,W/2,2f], [n,H/4,W/4,4f]
  std::vector<float> hidden, emb_tmp, cemb1, temb1, cemb2, temb2;
  std::vector<Op> ops;
  std::vector<std::function<void()>> steps;  // run in order each forward
  size_t encoder_steps = 0;  // the first ones: they read x alone and leave their outputs in the skip buffers
  bool encoded = false;      // x_in's encoder outputs are in the skip buffers
};

UnetXnn::UnetXnn(const UnetWeights& w, pthreadpool_t pool, Conv3x3 conv3x3)
    : arch_(w.arch), w_(w), pool_(pool), conv3x3_(conv3x3) {}
UnetXnn::~UnetXnn() = default;

UnetXnn::Plan& UnetXnn::plan_for(size_t n) {
  auto it = plans_.find(n);
  if (it != plans_.end()) return *it->second;
  auto p = std::make_unique<Plan>();
  Plan& P = *p;
  P.n = n;
  const size_t H = arch_.height, f = arch_.n_feat, C = arch_.in_channels, nc = arch_.n_cfeat;
  const size_t px16 = H * H, px8 = px16 / 4, px4 = px16 / 16;
  P.x_in.resize(n * px16 * C);
  P.t_in.resize(n);
  P.c_in.resize(n * nc);
  P.eps_out.resize(n * px16 * C);
  P.a.resize(n * px16 * 2 * f);
  P.b.resize(n * px16 * 2 * f);
  P.cat16.resize(n * px16 * 2 * f);
  P.cat8.resize(n * px8 * 2 * f);
  P.cat4.resize(n * px4 * 4 * f);
  P.hidden.resize(n * 2 * f);
  P.emb_tmp.resize(n * 2 * f);
  P.cemb1.resize(n * 2 * f);
  P.temb1.resize(n * 2 * f);
  P.cemb2.resize(n * f);
  P.temb2.resize(n * f);

  // Keeps a set-up operator alive in the plan and runs it at its place in every forward pass.
  auto add_op = [&](Op&& o, const char* what) {
    xnn_operator_t op = o.op;
    P.ops.push_back(std::move(o));
    P.steps.push_back([op, what, this] { xnn_check(xnn_run_operator(op, pool_), what); });
  };
  // conv: KxK, stride 1, "same" padding; reads `in` with pixel stride in_stride, writes `out` with out_stride.
  auto conv = [&](const std::string& name, size_t hw, size_t cin, size_t cout, const float* in, size_t in_stride,
                  float* out, size_t out_stride) {
    const Tensor32& wt = w_.at(name + ".weight");
    const uint32_t k = static_cast<uint32_t>(wt.shape[2]), pad = k / 2;
    // Winograd pays where the GEMMs are wide: not for the RGB input or output layers.
    if (conv3x3_ == Conv3x3::winograd && k == 3 && cin >= 16 && cout >= 16) {
      auto& wc = winograd_[name];
      if (!wc) wc = std::make_unique<WinogradConv3x3>(wt, w_.at(name + ".bias"));
      // Grown here, while plans are built; a step reads .data() when it runs, so growth for a
      // later, larger plan is safe for the earlier ones.
      wino_v_.resize(std::max(wino_v_.size(), WinogradConv3x3::scratch_floats(n, hw, cin)));
      wino_m_.resize(std::max(wino_m_.size(), WinogradConv3x3::scratch_floats(n, hw, cout)));
      P.steps.push_back([wino = wc.get(), n, hw, in, in_stride, out, out_stride, this] {
        wino->run(n, hw, in, in_stride, out, out_stride, wino_v_.data(), wino_m_.data(), pool_);
      });
      return;
    }
    auto ohwi = to_ohwi(wt, false);
    Op o;
    xnn_check(xnn_create_convolution2d_nhwc_f32(pad, pad, pad, pad, k, k, 1, 1, 1, 1, 1, cin, cout, in_stride, out_stride,
                                                ohwi.data(), w_.at(name + ".bias").data.data(), -kInf, kInf, 0, nullptr,
                                                nullptr, &o.op), "create convolution");
    size_t ws = 0, wa = 0, oh = 0, ow = 0;
    xnn_check(xnn_reshape_convolution2d_nhwc_f32(o.op, n, hw, hw, &ws, &wa, &oh, &ow, pool_), "reshape convolution");
    o.workspace.resize(ws + wa);
    void* aligned = o.workspace.data();
    if (wa > 1) aligned = reinterpret_cast<void*>((reinterpret_cast<uintptr_t>(aligned) + wa - 1) / wa * wa);
    xnn_check(xnn_setup_convolution2d_nhwc_f32(o.op, ws ? aligned : nullptr, in, out), "setup convolution");
    add_op(std::move(o), "run convolution");
  };
  auto gelu = [&](float* buf, size_t rows, size_t c, size_t stride) {
    Op o;
    xnn_check(xnn_create_unary_elementwise_nc(xnn_unary_gelu, xnn_datatype_fp32, xnn_datatype_fp32, nullptr, nullptr,
                                              nullptr, 0, &o.op), "create gelu");
    xnn_check(xnn_reshape_unary_elementwise_nc(o.op, rows, c, stride, stride, pool_), "reshape gelu");
    xnn_check(xnn_setup_unary_elementwise_nc(o.op, buf, buf), "setup gelu");
    add_op(std::move(o), "run gelu");
  };
  auto conv_gelu = [&](const std::string& name, size_t hw, size_t cin, size_t cout, const float* in, size_t in_stride,
                       float* out, size_t out_stride) {
    conv(name, hw, cin, cout, in, in_stride, out, out_stride);
    gelu(out, n * hw * hw, cout, out_stride);
  };
  // Two residual conv blocks (no shortcut): in -> a -> b -> a -> out, out may be strided.
  auto two_blocks = [&](const std::string& b0, const std::string& b1, size_t hw, size_t cin, size_t cout,
                        const float* in, size_t in_stride, float* out, size_t out_stride) {
    conv_gelu(b0 + ".conv1.0", hw, cin, cout, in, in_stride, P.a.data(), cout);
    conv_gelu(b0 + ".conv2.0", hw, cout, cout, P.a.data(), cout, P.b.data(), cout);
    conv_gelu(b1 + ".conv1.0", hw, cout, cout, P.b.data(), cout, P.a.data(), cout);
    conv_gelu(b1 + ".conv2.0", hw, cout, cout, P.a.data(), cout, out, out_stride);
  };
  auto maxpool = [&](size_t hw, size_t c, const float* in, float* out, size_t out_stride) {
    Op o;
    xnn_check(xnn_create_max_pooling2d_nhwc_f32(0, 0, 0, 0, 2, 2, 2, 2, 1, 1, -kInf, kInf, 0, &o.op), "create max pooling");
    size_t oh = 0, ow = 0;
    xnn_check(xnn_reshape_max_pooling2d_nhwc_f32(o.op, n, hw, hw, c, c, out_stride, &oh, &ow, pool_), "reshape max pooling");
    xnn_check(xnn_setup_max_pooling2d_nhwc_f32(o.op, in, out), "setup max pooling");
    add_op(std::move(o), "run max pooling");
  };
  auto deconv = [&](const std::string& name, size_t hw, size_t cin, size_t cout, uint32_t k, const float* in, float* out) {
    const Tensor32& wt = w_.at(name + ".weight");
    auto ohwi = to_ohwi(wt, true);
    Op o;
    xnn_check(xnn_create_deconvolution2d_nhwc_f32(0, 0, 0, 0, k, k, k, k, 1, 1, 1, cin, cout, cin, cout, ohwi.data(),
                                                  w_.at(name + ".bias").data.data(), -kInf, kInf, 0, nullptr, nullptr,
                                                  &o.op), "create deconvolution");
    size_t oh = 0, ow = 0;
    xnn_check(xnn_reshape_deconvolution2d_nhwc_f32(o.op, n, hw, hw, 0, 0, &oh, &ow, pool_), "reshape deconvolution");
    xnn_check(xnn_setup_deconvolution2d_nhwc_f32(o.op, in, out), "setup deconvolution");
    add_op(std::move(o), "run deconvolution");
  };
  auto fc = [&](const std::string& name, size_t cin, size_t cout, const float* in, float* out) {
    Op o;
    xnn_check(xnn_create_fully_connected_nc_f32(cin, cout, cin, cout, w_.at(name + ".weight").data.data(),
                                                w_.at(name + ".bias").data.data(), -kInf, kInf, 0, nullptr, nullptr,
                                                &o.op), "create fully connected");
    xnn_check(xnn_reshape_fully_connected_nc_f32(o.op, n, pool_), "reshape fully connected");
    xnn_check(xnn_setup_fully_connected_nc_f32(o.op, in, out), "setup fully connected");
    add_op(std::move(o), "run fully connected");
  };
  auto embed = [&](const std::string& name, size_t cin, size_t cout, const float* in, float* out) {
    fc(name + ".model.0", cin, cout, in, P.emb_tmp.data());
    gelu(P.emb_tmp.data(), n, cout, cout);
    fc(name + ".model.2", cout, cout, P.emb_tmp.data(), out);
  };

  const size_t f2 = 2 * f, f4 = 4 * f;
  float* x_slot = P.cat16.data() + f;  // init_conv output lives in the output block's concat
  // init_conv: residual block with the learned 1x1 shortcut.
  conv_gelu("init_conv.conv1.0", H, C, f, P.x_in.data(), C, P.a.data(), f);
  conv_gelu("init_conv.conv2.0", H, f, f, P.a.data(), f, P.b.data(), f);
  conv("init_conv.shortcut", H, C, f, P.x_in.data(), C, P.a.data(), f);
  P.steps.push_back([&P, n, px16, f, x_slot] {
    ops::add_div(P.a.data(), P.b.data(), n * px16, f, 1.414f, x_slot, 2 * f);
  });
  // Encoder; pooled outputs go straight into the decoder's concat buffers (skip connections).
  two_blocks("down1.model.0", "down1.model.1", H, f, f, x_slot, f2, P.b.data(), f);
  maxpool(H, f, P.b.data(), P.cat8.data() + f, f2);
  two_blocks("down2.model.0", "down2.model.1", H / 2, f, f2, P.cat8.data() + f, f2, P.b.data(), f2);
  maxpool(H / 2, f2, P.b.data(), P.cat4.data() + f2, f4);
  P.steps.push_back([&P, n, px4, f2, f4] { ops::mean_pool_gelu(P.cat4.data() + f2, n, px4, f2, f4, P.hidden.data()); });
  // The decoder writes only the other channels of the concat buffers, and a, b before it reads them.
  P.encoder_steps = P.steps.size();
  // Embeddings of context and time.
  embed("contextembed1", nc, f2, P.c_in.data(), P.cemb1.data());
  embed("timeembed1", 1, f2, P.t_in.data(), P.temb1.data());
  embed("contextembed2", nc, f, P.c_in.data(), P.cemb2.data());
  embed("timeembed2", 1, f, P.t_in.data(), P.temb2.data());
  // Decoder.
  deconv("up0.0", 1, f2, f2, static_cast<uint32_t>(H / 4), P.hidden.data(), P.a.data());
  const float* g0 = w_.at("up0.1.weight").data.data();
  const float* b0 = w_.at("up0.1.bias").data.data();
  P.steps.push_back([&P, n, px4, f2, f4, g0, b0] {
    ops::group_norm_relu(P.a.data(), n, px4, f2, 8, g0, b0);
    ops::scale_shift(P.a.data(), n, px4, f2, P.cemb1.data(), P.temb1.data(), P.cat4.data(), f4);
  });
  deconv("up1.model.0", H / 4, f4, f, 2, P.cat4.data(), P.b.data());
  two_blocks("up1.model.1", "up1.model.2", H / 2, f, f, P.b.data(), f, P.b.data(), f);
  P.steps.push_back([&P, n, px8, f, f2] {
    ops::scale_shift(P.b.data(), n, px8, f, P.cemb2.data(), P.temb2.data(), P.cat8.data(), f2);
  });
  deconv("up2.model.0", H / 2, f2, f, 2, P.cat8.data(), P.b.data());
  two_blocks("up2.model.1", "up2.model.2", H, f, f, P.b.data(), f, P.cat16.data(), f2);
  conv("out.0", H, f2, f, P.cat16.data(), f2, P.a.data(), f);
  const float* g1 = w_.at("out.1.weight").data.data();
  const float* b1 = w_.at("out.1.bias").data.data();
  P.steps.push_back([&P, n, px16, f, g1, b1] { ops::group_norm_relu(P.a.data(), n, px16, f, 8, g1, b1); });
  conv("out.3", H, f, C, P.a.data(), f, P.eps_out.data(), C);

  return *plans_.emplace(n, std::move(p)).first->second;
}

void UnetXnn::encode(Plan& P, const float* x) {
  std::memcpy(P.x_in.data(), x, P.x_in.size() * sizeof(float));
  P.encoded = false;  // until the steps have run
  const size_t img = image_size(), half = P.n / 2;
  // Guidance evaluates every sprite twice (with and without its context) on the same x: the second
  // half of the batch repeats the first. The encoder then runs on one half, copied to both.
  if (P.n % 2 == 0 && std::memcmp(x, x + half * img, half * img * sizeof(float)) == 0) {
    Plan& H = plan_for(half);
    encode(H, x);
    for (auto member : {&Plan::cat16, &Plan::cat8, &Plan::cat4, &Plan::hidden}) {
      const std::vector<float>& from = H.*member;
      std::vector<float>& to = P.*member;
      std::copy(from.begin(), from.end(), to.begin());
      std::copy(from.begin(), from.end(), to.begin() + static_cast<std::ptrdiff_t>(from.size()));
    }
    ++encoder_halvings_;
  } else {
    for (size_t i = 0; i < P.encoder_steps; ++i) P.steps[i]();
  }
  P.encoded = true;  // the decoder never writes the skip channels, so this holds whatever follows
}

void UnetXnn::forward(const float* x, const float* t, const float* c, size_t n, float* eps) {
  Plan& P = plan_for(n);
  // Context and time enter only the decoder. Given the x of the last call (a context slider or the
  // guidance moving over fixed noise, as in the live preview), the encoder's outputs still hold.
  const bool same_x = P.encoded && std::memcmp(P.x_in.data(), x, P.x_in.size() * sizeof(float)) == 0;
  if (same_x) ++encoder_reuses_;
  else encode(P, x);
  std::memcpy(P.t_in.data(), t, n * sizeof(float));
  std::memcpy(P.c_in.data(), c, P.c_in.size() * sizeof(float));
  for (size_t i = P.encoder_steps; i < P.steps.size(); ++i) P.steps[i]();
  std::memcpy(eps, P.eps_out.data(), P.eps_out.size() * sizeof(float));
}

}  // namespace sprites
