#include "conv_onednn.h"

#include <algorithm>

#include "binary_ops.h"
#include "onednn_post_ops.h"

#include "vsr/error.h"

namespace vsr::cpu {

using dnnl::memory;
using tag = dnnl::memory::format_tag;
using dt = dnnl::memory::data_type;

using onednn::cpu_engine;
using onednn::dims_of;

namespace {

// PRelu over `count` contiguous values whose slopes repeat with period `period` (pattern[i] is the
// slope of value i, i < period): a straight loop the compiler vectorises.
void prelu_periodic(float* __restrict d, int64_t count, const float* __restrict pattern, int64_t period) {
  for (int64_t start = 0; start < count; start += period) {
    float* __restrict v = d + start;
    const int64_t n = std::min(period, count - start);
    // max + slope * min: the same value as the select, without a branch GCC will not if-convert.
    for (int64_t i = 0; i < n; ++i) v[i] = std::max(v[i], 0.0f) + pattern[i] * std::min(v[i], 0.0f);
  }
}

// Copies of `slopes` back to back until the pattern holds at least `min_length` values.
std::vector<float> slope_pattern(const float* slopes, int64_t n, int64_t min_length) {
  std::vector<float> p;
  while (static_cast<int64_t>(p.size()) < min_length) p.insert(p.end(), slopes, slopes + n);
  return p;
}

}  // namespace

void onednn::prelu_in_place(const memory& m, const std::vector<float>& slopes) {
  const dnnl_memory_desc_t& md = m.get_desc().data;
  const dnnl_blocking_desc_t& blk = md.format_desc.blocking;
  const bool channel_blocked = blk.inner_nblks == 1 && blk.inner_idxs[0] == 1;
  const int64_t C = static_cast<int64_t>(slopes.size());
  if (md.ndims != 4 || md.data_type != dnnl_f32 || md.format_kind != dnnl_blocked ||
      (blk.inner_nblks != 0 && !channel_blocked) || md.dims[1] != C)
    throw Error("PRelu after a oneDNN primitive: unsupported output layout");
  const int64_t B = channel_blocked ? blk.inner_blks[0] : 1;
  const int64_t N = md.padded_dims[0], CB = md.padded_dims[1] / B, H = md.padded_dims[2], W = md.padded_dims[3];
  const dnnl_dim_t* s = blk.strides;
  float* base = static_cast<float*>(m.get_data_handle()) + md.offset0;
  constexpr int64_t kChunk = 4096;  // about this many values per parallel work item (whole periods)
  if (B == 1 && s[1] == 1 && s[3] == C && s[2] == W * C && s[0] == H * W * C) {
    // Dense channels-last: the whole tensor repeats the slopes with period C.
    const std::vector<float> pattern = slope_pattern(slopes.data(), C, 64);
    const int64_t period = static_cast<int64_t>(pattern.size()), total = N * H * W * C;
    const int64_t chunk = std::max<int64_t>(1, kChunk / period) * period, chunks = (total + chunk - 1) / chunk;
#pragma omp parallel for schedule(static)
    for (int64_t k = 0; k < chunks; ++k)
      prelu_periodic(base + k * chunk, std::min(chunk, total - k * chunk), pattern.data(), period);
    return;
  }
  if (B > 1 && s[3] == B && s[2] == W * B && s[1] == H * W * B) {
    // Dense channel blocks (aBcd16b, ...): each (n, block) plane repeats that block's B slopes.
    std::vector<float> padded(CB * B, 1.0f);  // padding channels hold zeros: any slope keeps them
    std::copy(slopes.begin(), slopes.end(), padded.begin());
    std::vector<std::vector<float>> patterns;
    for (int64_t cb = 0; cb < CB; ++cb) patterns.push_back(slope_pattern(&padded[cb * B], B, 64));
    const int64_t period = static_cast<int64_t>(patterns[0].size());
    const int64_t plane = H * W * B, chunk = std::max<int64_t>(1, kChunk / period) * period;
    const int64_t per_plane = (plane + chunk - 1) / chunk;
#pragma omp parallel for schedule(static)
    for (int64_t k = 0; k < N * CB * per_plane; ++k) {
      const int64_t n = k / (CB * per_plane), cb = (k / per_plane) % CB, start = (k % per_plane) * chunk;
      prelu_periodic(base + n * s[0] + cb * s[1] + start, std::min(chunk, plane - start), patterns[cb].data(), period);
    }
    return;
  }
  // Any other plain or blocked layout: value by value through the strides.
  const int64_t rows = N * CB * H;
#pragma omp parallel for schedule(static)
  for (int64_t r = 0; r < rows; ++r) {
    const int64_t h = r % H, cb = (r / H) % CB, n = r / (H * CB);
    float* row = base + n * s[0] + cb * s[1] + h * s[2];
    for (int64_t w = 0; w < W; ++w)
      for (int64_t lane = 0; lane < B; ++lane) {
        const int64_t c = cb * B + lane;
        float& v = row[w * s[3] + lane];
        if (c < C && v < 0.0f) v *= slopes[c];
      }
  }
}

struct OnednnConv::Impl {
  struct Built {  // one layer's primitive for the current input shape
    dnnl::convolution_forward conv;
    memory weights, bias, src, dst;  // src: reorder target when the previous dst layout differs
    onednn::PostOp post;             // bias is in the primitive; the activation is this post-op
    bool reorder_src = false;
    std::vector<int64_t> out_shape;
  };
  std::vector<ConvLayer> layers;
  std::vector<Built> built;
  std::vector<int64_t> input_shape;  // the shape `built` is for
  bool residual_add = false;         // run() gets a residual to add to the last output
  bool sum_fused = false;            // ... and the last primitive adds it (sum post-op)
  Tensor unfused;                    // the convolution's output when the residual is added after

  void build(const std::vector<int64_t>& x_shape) {
    auto& eng = cpu_engine();
    dnnl::stream stream(eng);
    built.clear();
    built.resize(layers.size());
    Tensor shape_probe;  // conv_output_shape only reads the shape
    shape_probe.shape = x_shape;
    memory::desc previous_dst;
    for (size_t i = 0; i < layers.size(); ++i) {
      ConvLayer& L = layers[i];
      Built& B = built[i];
      const ConvParams& p = L.params;
      B.out_shape = conv_output_shape(shape_probe, L.weight, p);
      memory::dims w_dims = dims_of(L.weight.shape);
      tag w_tag = tag::oihw;
      if (p.group > 1) {
        w_dims = {p.group, L.weight.shape[0] / p.group, L.weight.shape[1], L.weight.shape[2], L.weight.shape[3]};
        w_tag = tag::goihw;
      }
      const memory::desc src_any(dims_of(shape_probe.shape), dt::f32, tag::any),
          dst_any(dims_of(B.out_shape), dt::f32, tag::any), w_any(w_dims, dt::f32, tag::any),
          b_md({L.weight.shape[0]}, dt::f32, tag::x);
      const memory::dims strides = {p.stride_h, p.stride_w}, dilates = {p.dilation_h - 1, p.dilation_w - 1},
                         pad_l = {p.pad_top, p.pad_left}, pad_r = {p.pad_bottom, p.pad_right};
      const auto kind = dnnl::prop_kind::forward_inference;
      const auto alg = dnnl::algorithm::convolution_direct;
      auto desc = L.has_bias
                      ? dnnl::convolution_forward::desc(kind, alg, src_any, w_any, b_md, dst_any, strides, dilates, pad_l, pad_r)
                      : dnnl::convolution_forward::desc(kind, alg, src_any, w_any, dst_any, strides, dilates, pad_l, pad_r);
      B.post = onednn::post_op_for(p.activation, L.weight.shape[0]);
      const bool last = i + 1 == layers.size();
      sum_fused = false;
      dnnl::convolution_forward::primitive_desc pd(desc, B.post.attr, eng);
      if (last && residual_add && !B.post.prelu_slopes) {
        // y = act(conv) + dst: the residual is placed in dst before the primitive runs. Only where
        // oneDNN has an optimised kernel for it: a reference fallback would cost seconds per frame.
        dnnl::primitive_attr with_sum = B.post.attr;
        dnnl::post_ops ops = with_sum.get_post_ops();
        ops.append_sum(1.0f);
        with_sum.set_post_ops(ops);
        dnnl::convolution_forward::primitive_desc summed(desc, with_sum, eng);
        if (std::string(summed.impl_info_str()).find("ref") == std::string::npos) {
          pd = summed;
          sum_fused = true;
        }
      }
      B.conv = dnnl::convolution_forward(pd);
      memory user_w({w_dims, dt::f32, w_tag}, eng, L.weight.data.data());
      B.weights = memory(pd.weights_desc(), eng);
      dnnl::reorder(user_w, B.weights).execute(stream, user_w, B.weights);
      if (L.has_bias) B.bias = memory(b_md, eng, L.bias.data.data());
      // The first layer always reorders from the caller's NCHW; later ones only if the previous
      // layer chose another blocked layout than this one wants.
      const memory::desc src_nchw(dims_of(shape_probe.shape), dt::f32, tag::nchw);
      B.reorder_src = pd.src_desc() != (i == 0 ? src_nchw : previous_dst);
      if (B.reorder_src) B.src = memory(pd.src_desc(), eng);
      B.dst = memory(pd.dst_desc(), eng);
      previous_dst = pd.dst_desc();
      shape_probe.shape = B.out_shape;
    }
    stream.wait();
    input_shape = x_shape;
  }
};

OnednnConv::OnednnConv(const Tensor& weight, const Tensor* bias, const ConvParams& params)
    : OnednnConv(std::vector<ConvLayer>{ConvLayer{weight, bias ? *bias : Tensor{}, bias != nullptr, params}}) {}

OnednnConv::OnednnConv(std::vector<ConvLayer> layers, bool residual_add) : impl_(std::make_unique<Impl>()) {
  if (layers.empty()) throw Error("OnednnConv needs at least one layer");
  impl_->layers = std::move(layers);
  impl_->residual_add = residual_add;
}

bool OnednnConv::residual_fused() const { return impl_->sum_fused; }

OnednnConv::~OnednnConv() = default;

void OnednnConv::run(const Tensor& x, Tensor& y, const Tensor* residual) {
  auto& im = *impl_;
  if ((residual != nullptr) != im.residual_add)
    throw Error(residual ? "convolution given a residual it was not built for" : "fused residual Add has no residual input");
  try {
    if (x.shape != im.input_shape) im.build(x.shape);  // validates shapes (vsr::Error) before any work
    auto& eng = cpu_engine();
    dnnl::stream stream(eng);
    memory user_src({dims_of(x.shape), dt::f32, tag::nchw}, eng, const_cast<float*>(x.data.data()));
    memory current = user_src;
    const bool sum_inside = residual && im.sum_fused && residual->shape == im.built.back().out_shape;
    for (auto& B : im.built) {
      if (B.reorder_src) {
        dnnl::reorder(current, B.src).execute(stream, current, B.src);
        current = B.src;
      }
      if (&B == &im.built.back() && im.sum_fused) {
        // The sum post-op adds what dst holds: the residual, or zeros when it cannot go inside.
        if (sum_inside) {
          memory user_residual({dims_of(residual->shape), dt::f32, tag::nchw}, eng, const_cast<float*>(residual->data.data()));
          dnnl::reorder(user_residual, B.dst).execute(stream, user_residual, B.dst);
        } else {
          stream.wait();
          std::fill_n(static_cast<float*>(B.dst.get_data_handle()), B.dst.get_desc().get_size() / sizeof(float), 0.0f);
        }
      }
      std::unordered_map<int, memory> args = {{DNNL_ARG_SRC, current}, {DNNL_ARG_WEIGHTS, B.weights}, {DNNL_ARG_DST, B.dst}};
      if (B.bias) args[DNNL_ARG_BIAS] = B.bias;
      B.conv.execute(stream, args);
      B.post.apply_after(stream, B.dst);
      current = B.dst;
    }
    Tensor& conv_out = residual && !sum_inside ? im.unfused : y;
    conv_out.resize(im.built.back().out_shape);
    memory user_dst({dims_of(conv_out.shape), dt::f32, tag::nchw}, eng, conv_out.data.data());
    dnnl::reorder(current, user_dst).execute(stream, current, user_dst);
    stream.wait();
    if (residual && !sum_inside) binary_reference(BinaryOp::Add, conv_out, *residual, y);
  } catch (const dnnl::error& e) {
    throw Error(std::string("oneDNN convolution failed: ") + e.what());
  }
}

}  // namespace vsr::cpu
