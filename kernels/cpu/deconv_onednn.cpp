#include "deconv_onednn.h"

#include <algorithm>

#include "onednn_post_ops.h"
#include "tensor_limits.h"

namespace vsr::cpu {

using dnnl::memory;
using tag = dnnl::memory::format_tag;
using dt = dnnl::memory::data_type;
using onednn::cpu_engine;
using onednn::dims_of;

namespace {

// From this many output channels on, oneDNN's deconvolution fills its channel blocks and runs well.
constexpr int64_t kDirectMinOutChannels = 16;
// oneDNN's AVX-512 convolutions compute output channels in blocks of this many.
constexpr int64_t kChannelBlock = 16;

int64_t floor_div(int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

// One spatial axis of the phase decomposition. Output row oy, with q = oy + pad_begin, lies in phase
// q % stride and sums x[q / stride - j] * w[q % stride + stride * j] over j < taps: on the input grid
// that is a stride-1 convolution with a flipped sub-kernel of `taps` values per phase, computed for
// grid rows from `first` on (earlier rows are all cropped away).
// Folding by `fold` computes `fold` consecutive grid rows per output row of a stride-`fold`
// convolution (kernel taps + fold - 1), so that one position yields stride * fold phases: more
// output channels, to fill oneDNN's channel block (FSRCNN x2 has 4 phases: 16 with fold 2).
struct PhaseAxis {
  int64_t stride = 1, fold = 1, taps = 1, first = 0;
  int64_t pad_l = 0, pad_r = 0;  // of the phase convolution
  int64_t crop = 0;              // output row oy is row (oy + crop) of the interleaved phases
  int64_t period() const { return stride * fold; }  // output rows per convolution output row
  int64_t kernel() const { return taps + fold - 1; }
};

// False when the decomposition would need a negative right pad (a pad_end beyond the kernel).
bool phase_axis(int64_t kernel, int64_t stride, int64_t pad_begin, int64_t pad_end, int64_t out_pad, PhaseAxis& a) {
  a.stride = stride;
  a.taps = (kernel + stride - 1) / stride;
  a.first = std::min(pad_begin / stride, a.taps - 1);
  a.pad_l = a.taps - 1 - a.first;
  // Grid rows past the input's last row that the last output row needs (the same for every height).
  a.pad_r = floor_div(kernel - 1 + out_pad - pad_end, stride);
  a.crop = pad_begin - a.first * stride;
  return a.pad_r >= 0;
}

// Sets both axes' fold to the one with the least arithmetic: padding the output channels up to a
// whole block against the zero taps a larger kernel adds.
void choose_fold(int64_t out_channels, PhaseAxis& ay, PhaseAxis& ax) {
  double best_cost = 0.0;
  int64_t best = 1;
  for (int64_t f = 1; f <= 4; ++f) {
    const int64_t oc = out_channels * ay.stride * ax.stride * f * f;
    const double cost = static_cast<double>((oc + kChannelBlock - 1) / kChannelBlock * kChannelBlock) /
                        static_cast<double>(oc) * (ay.taps + f - 1) / ay.taps * (ax.taps + f - 1) / ax.taps;
    if (f == 1 || cost < best_cost) best_cost = cost, best = f;
  }
  for (PhaseAxis* a : {&ay, &ax}) {
    a->fold = best;
    a->pad_r += best - 1;  // the last output row may be any of the fold's rows
  }
}

// The convolution whose output channel (m * PH + ry) * PW + rx holds output phase (ry, rx) of
// channel m, where ry = row in fold * stride + phase (PH, PW = the axes' periods).
ConvLayer phase_convolution(const ConvLayer& d, const PhaseAxis& ay, const PhaseAxis& ax) {
  const Tensor& w = d.weight;  // [C, M, KH, KW]
  const int64_t C = w.shape[0], M = w.shape[1], KH = w.shape[2], KW = w.shape[3];
  const int64_t PH = ay.period(), PW = ax.period(), UH = ay.kernel(), UW = ax.kernel();
  // Tap u of the folded kernel, for output phase r of an axis: the original kernel index, or -1.
  auto tap = [](const PhaseAxis& a, int64_t r, int64_t u, int64_t k) -> int64_t {
    const int64_t j = u - r / a.stride;  // the sub-kernel tap, counted from the window's start
    if (j < 0 || j >= a.taps) return -1;
    const int64_t index = r % a.stride + a.stride * (a.taps - 1 - j);
    return index < k ? index : -1;
  };
  ConvLayer c;
  c.weight.resize({M * PH * PW, C, UH, UW});
  for (int64_t m = 0; m < M; ++m)
    for (int64_t ry = 0; ry < PH; ++ry)
      for (int64_t rx = 0; rx < PW; ++rx)
        for (int64_t ci = 0; ci < C; ++ci)
          for (int64_t uy = 0; uy < UH; ++uy)
            for (int64_t ux = 0; ux < UW; ++ux) {
              const int64_t ky = tap(ay, ry, uy, KH), kx = tap(ax, rx, ux, KW);
              const int64_t o = (m * PH + ry) * PW + rx;
              c.weight.data[((o * C + ci) * UH + uy) * UW + ux] =
                  ky >= 0 && kx >= 0 ? w.data[((ci * M + m) * KH + ky) * KW + kx] : 0.0f;
            }
  c.has_bias = d.has_bias;
  c.params.stride_h = ay.fold;
  c.params.stride_w = ax.fold;
  c.params.pad_top = ay.pad_l;
  c.params.pad_bottom = ay.pad_r;
  c.params.pad_left = ax.pad_l;
  c.params.pad_right = ax.pad_r;
  c.params.activation = d.params.activation;
  // Per-channel values repeat for the PH * PW phases of each channel.
  auto expand = [&](const std::vector<float>& v) {
    std::vector<float> out;
    for (float x : v) out.insert(out.end(), PH * PW, x);
    return out;
  };
  if (d.has_bias) {
    c.bias.resize({M * PH * PW});
    c.bias.data = expand(d.bias.data);
  }
  std::vector<float>& slopes = c.params.activation.slopes;
  if (c.params.activation.kind == ActivationKind::PRelu && slopes.size() > 1) slopes = expand(slopes);
  return c;
}

// y = the phases of z interleaved (depth-to-space by the axes' periods), cropped to y's shape.
void interleave_phases(const Tensor& z, const PhaseAxis& ay, const PhaseAxis& ax, Tensor& y) {
  const int64_t M = y.shape[1], OH = y.shape[2], OW = y.shape[3], ZH = z.shape[2], ZW = z.shape[3];
  const int64_t ph = ay.period(), pw = ax.period(), rows = y.shape[0] * M * OH;
#pragma omp parallel for schedule(static)
  for (int64_t r = 0; r < rows; ++r) {
    const int64_t oy = r % OH, nm = r / OH;  // nm = n * M + m
    const int64_t qy = oy + ay.crop, ry = qy % ph;
    float* out = &y.data[r * OW];
    for (int64_t rx = 0; rx < pw; ++rx) {
      const float* zrow = &z.data[((nm * ph + ry) * pw + rx) * ZH * ZW + (qy / ph) * ZW];
      int64_t ox = ((rx - ax.crop) % pw + pw) % pw, tx = (ox + ax.crop) / pw;
      for (; ox < OW; ox += pw, ++tx) out[ox] = zrow[tx];
    }
  }
}

// dnnl::deconvolution_forward for one input shape.
struct DirectDeconv {
  std::vector<int64_t> input_shape, out_shape;
  dnnl::deconvolution_forward deconv;
  memory weights, bias, src, dst;  // src/dst: oneDNN's layouts, used when they are not NCHW
  bool reorder_src = false, reorder_dst = false;
  onednn::PostOp post;

  void build(const ConvLayer& L, const std::vector<int64_t>& x_shape, const std::vector<int64_t>& y_shape) {
    auto& eng = cpu_engine();
    dnnl::stream stream(eng);
    const ConvParams& p = L.params;
    const Tensor& w = L.weight;
    const int64_t G = p.group, out_per_group = w.shape[1], in_per_group = w.shape[0] / G;
    // ONNX keeps the input channel first: [C_in, C_out/g, KH, KW] is oneDNN's iohw (giohw with groups).
    memory::dims w_dims = {out_per_group, in_per_group, w.shape[2], w.shape[3]};
    tag w_tag = tag::iohw;
    if (G > 1) {
      w_dims = {G, out_per_group, in_per_group, w.shape[2], w.shape[3]};
      w_tag = tag::giohw;
    }
    const memory::desc src_any(dims_of(x_shape), dt::f32, tag::any), dst_any(dims_of(y_shape), dt::f32, tag::any),
        w_any(w_dims, dt::f32, tag::any), b_md({y_shape[1]}, dt::f32, tag::x);
    // output_padding adds rows and columns at the high end: a smaller right pad for oneDNN (it may
    // go down to 1 - stride, which oneDNN accepts).
    const memory::dims strides = {p.stride_h, p.stride_w}, dilates = {p.dilation_h - 1, p.dilation_w - 1},
                       pad_l = {p.pad_top, p.pad_left},
                       pad_r = {p.pad_bottom - p.output_pad_h, p.pad_right - p.output_pad_w};
    const auto kind = dnnl::prop_kind::forward_inference;
    const auto alg = dnnl::algorithm::deconvolution_direct;
    auto desc = L.has_bias ? dnnl::deconvolution_forward::desc(kind, alg, src_any, w_any, b_md, dst_any, strides,
                                                               dilates, pad_l, pad_r)
                           : dnnl::deconvolution_forward::desc(kind, alg, src_any, w_any, dst_any, strides, dilates,
                                                               pad_l, pad_r);
    post = onednn::post_op_for(p.activation, y_shape[1]);
    dnnl::deconvolution_forward::primitive_desc pd(desc, post.attr, eng);
    deconv = dnnl::deconvolution_forward(pd);
    memory user_w({w_dims, dt::f32, w_tag}, eng, const_cast<float*>(w.data.data()));
    weights = memory(pd.weights_desc(), eng);
    dnnl::reorder(user_w, weights).execute(stream, user_w, weights);
    if (L.has_bias) bias = memory(b_md, eng, const_cast<float*>(L.bias.data.data()));
    reorder_src = pd.src_desc() != memory::desc(dims_of(x_shape), dt::f32, tag::nchw);
    reorder_dst = pd.dst_desc() != memory::desc(dims_of(y_shape), dt::f32, tag::nchw);
    src = reorder_src ? memory(pd.src_desc(), eng) : memory();
    dst = reorder_dst ? memory(pd.dst_desc(), eng) : memory();
    stream.wait();
    input_shape = x_shape;
    out_shape = y_shape;
  }

  void run(const ConvLayer& L, const Tensor& x, Tensor& y) {
    if (x.shape != input_shape) build(L, x.shape, y.shape);
    auto& eng = cpu_engine();
    dnnl::stream stream(eng);
    memory user_src({dims_of(x.shape), dt::f32, tag::nchw}, eng, const_cast<float*>(x.data.data()));
    memory user_dst({dims_of(y.shape), dt::f32, tag::nchw}, eng, y.data.data());
    if (reorder_src) dnnl::reorder(user_src, src).execute(stream, user_src, src);
    std::unordered_map<int, memory> args = {
        {DNNL_ARG_SRC, reorder_src ? src : user_src}, {DNNL_ARG_WEIGHTS, weights}, {DNNL_ARG_DST, reorder_dst ? dst : user_dst}};
    if (bias) args[DNNL_ARG_BIAS] = bias;
    deconv.execute(stream, args);
    post.apply_after(stream, reorder_dst ? dst : user_dst);
    if (reorder_dst) dnnl::reorder(dst, user_dst).execute(stream, dst, user_dst);
    stream.wait();
  }
};

}  // namespace

struct OnednnDeconv::Impl {
  ConvLayer layer;
  std::vector<ConvLayer> before;
  // Phase decomposition: `conv` runs `before` and the phase convolution, into `phases`.
  bool phased = false;
  PhaseAxis ay, ax;
  Tensor phases;
  std::unique_ptr<OnednnConv> conv;
  // Direct: `conv` (if any) runs `before` into `between`, then the deconvolution.
  Tensor between;
  DirectDeconv direct;

  // The deconvolution's output shape for chain input shape `x`; throws vsr::Error on a mismatch.
  std::vector<int64_t> output_shape(const std::vector<int64_t>& x) const {
    Tensor probe;  // the shape functions only read the shape
    probe.shape = x;
    for (const ConvLayer& L : before) probe.shape = conv_output_shape(probe, L.weight, L.params);
    return conv_transpose_output_shape(probe, layer.weight, layer.params);
  }
};

OnednnDeconv::OnednnDeconv(ConvLayer layer, std::vector<ConvLayer> before) : impl_(std::make_unique<Impl>()) {
  auto& im = *impl_;
  const ConvParams& p = layer.params;
  if (layer.weight.shape.size() != 4) throw Error("ConvTranspose weight must be 4-D, got " + shape_string(layer.weight.shape));
  const int64_t out_channels = layer.weight.shape[1] * p.group;
  const std::vector<float>& slopes = p.activation.slopes;
  if (p.activation.kind == ActivationKind::PRelu && slopes.size() != 1 && static_cast<int64_t>(slopes.size()) != out_channels)
    throw Error("PRelu after the ConvTranspose has " + std::to_string(slopes.size()) + " slopes for " +
                std::to_string(out_channels) + " output channels");
  im.phased = p.group == 1 && p.dilation_h == 1 && p.dilation_w == 1 && layer.weight.shape[1] < kDirectMinOutChannels &&
              phase_axis(layer.weight.shape[2], p.stride_h, p.pad_top, p.pad_bottom, p.output_pad_h, im.ay) &&
              phase_axis(layer.weight.shape[3], p.stride_w, p.pad_left, p.pad_right, p.output_pad_w, im.ax);
  if (im.phased) {
    choose_fold(layer.weight.shape[1], im.ay, im.ax);
    // The folded kernel can be up to (period/stride)^2 times the file's weight: a hostile file with
    // a kernel much smaller than its stride must not make us allocate gigabytes. Past a small
    // budget the direct deconvolution is used instead.
    const std::vector<int64_t> folded = {layer.weight.shape[1] * im.ay.period() * im.ax.period(), layer.weight.shape[0],
                                         im.ay.kernel(), im.ax.kernel()};
    const int64_t folded_elements = checked_shape(folded, "ConvTranspose folded weight");
    im.phased = folded_elements <= std::max<int64_t>(16 * layer.weight.numel(), int64_t(1) << 22);
  }
  if (im.phased) {
    std::vector<ConvLayer> chain = before;
    chain.push_back(phase_convolution(layer, im.ay, im.ax));
    im.conv = std::make_unique<OnednnConv>(std::move(chain));
  } else if (!before.empty()) {
    im.conv = std::make_unique<OnednnConv>(before);
  }
  im.layer = std::move(layer);
  im.before = std::move(before);
}

OnednnDeconv::OnednnDeconv(const Tensor& weight, const Tensor* bias, const ConvParams& params)
    : OnednnDeconv(ConvLayer{weight, bias ? *bias : Tensor{}, bias != nullptr, params}) {}

OnednnDeconv::~OnednnDeconv() = default;

bool OnednnDeconv::runs_as_convolution() const { return impl_->phased; }

void OnednnDeconv::run(const Tensor& x, Tensor& y) {
  auto& im = *impl_;
  const std::vector<int64_t> out_shape = im.output_shape(x.shape);  // validates before any work
  if (im.phased) {
    im.conv->run(x, im.phases);
    y.resize(out_shape);
    interleave_phases(im.phases, im.ay, im.ax, y);
    return;
  }
  const Tensor* in = &x;
  if (im.conv) {
    im.conv->run(x, im.between);
    in = &im.between;
  }
  y.resize(out_shape);
  try {
    im.direct.run(im.layer, *in, y);
  } catch (const dnnl::error& e) {
    throw Error(std::string("oneDNN deconvolution failed: ") + e.what());
  }
}

}  // namespace vsr::cpu
