#include "conv_onednn.h"

#include <dnnl.hpp>

#include "vsr/error.h"

namespace vsr::cpu {

using dnnl::memory;
using tag = dnnl::memory::format_tag;
using dt = dnnl::memory::data_type;

namespace {

dnnl::engine& cpu_engine() {
  static dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  return engine;
}

// Maps our activation onto a oneDNN eltwise post-op; false when it has none (PRelu, None).
bool eltwise_for(const Activation& a, dnnl::algorithm& alg, float& alpha, float& beta) {
  alpha = beta = 0.0f;
  switch (a.kind) {
    case ActivationKind::Relu: alg = dnnl::algorithm::eltwise_relu; return true;
    case ActivationKind::LeakyRelu: alg = dnnl::algorithm::eltwise_relu; alpha = a.alpha; return true;
    case ActivationKind::Sigmoid: alg = dnnl::algorithm::eltwise_logistic; return true;
    case ActivationKind::Tanh: alg = dnnl::algorithm::eltwise_tanh; return true;
    case ActivationKind::Clip: alg = dnnl::algorithm::eltwise_clip; alpha = a.min; beta = a.max; return true;
    default: return false;
  }
}

memory::dims dims_of(const std::vector<int64_t>& shape) { return memory::dims(shape.begin(), shape.end()); }

}  // namespace

struct OnednnConv::Impl {
  struct Built {  // one layer's primitive for the current input shape
    dnnl::convolution_forward conv;
    memory weights, bias, src, dst;  // src: reorder target when the previous dst layout differs
    bool reorder_src = false;
    std::vector<int64_t> out_shape;
  };
  std::vector<ConvLayer> layers;
  std::vector<Built> built;
  std::vector<int64_t> input_shape;  // the shape `built` is for

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
      dnnl::primitive_attr attr;
      dnnl::algorithm act;
      float alpha, beta;
      if (eltwise_for(p.activation, act, alpha, beta)) {
        dnnl::post_ops ops;
        ops.append_eltwise(1.0f, act, alpha, beta);
        attr.set_post_ops(ops);
      }
      dnnl::convolution_forward::primitive_desc pd(desc, attr, eng);
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

OnednnConv::OnednnConv(std::vector<ConvLayer> layers) : impl_(std::make_unique<Impl>()) {
  if (layers.empty()) throw Error("OnednnConv needs at least one layer");
  for (size_t i = 0; i + 1 < layers.size(); ++i)
    if (!chainable_inside(layers[i].params)) throw Error("PRelu can only end a oneDNN convolution chain");
  impl_->layers = std::move(layers);
}

OnednnConv::~OnednnConv() = default;

void OnednnConv::run(const Tensor& x, Tensor& y) {
  auto& im = *impl_;
  try {
    if (x.shape != im.input_shape) im.build(x.shape);  // validates shapes (vsr::Error) before any work
    auto& eng = cpu_engine();
    dnnl::stream stream(eng);
    memory user_src({dims_of(x.shape), dt::f32, tag::nchw}, eng, const_cast<float*>(x.data.data()));
    memory current = user_src;
    for (auto& B : im.built) {
      if (B.reorder_src) {
        dnnl::reorder(current, B.src).execute(stream, current, B.src);
        current = B.src;
      }
      std::unordered_map<int, memory> args = {{DNNL_ARG_SRC, current}, {DNNL_ARG_WEIGHTS, B.weights}, {DNNL_ARG_DST, B.dst}};
      if (B.bias) args[DNNL_ARG_BIAS] = B.bias;
      B.conv.execute(stream, args);
      current = B.dst;
    }
    y.resize(im.built.back().out_shape);
    memory user_dst({dims_of(y.shape), dt::f32, tag::nchw}, eng, y.data.data());
    dnnl::reorder(current, user_dst).execute(stream, current, user_dst);
    stream.wait();
  } catch (const dnnl::error& e) {
    throw Error(std::string("oneDNN convolution failed: ") + e.what());
  }
  const ConvParams& last = im.layers.back().params;
  if (last.activation.kind == ActivationKind::PRelu)
    apply_activation(last.activation, y.data.data(), y.numel(), y.shape[1], y.shape[2] * y.shape[3]);
}

}  // namespace vsr::cpu
