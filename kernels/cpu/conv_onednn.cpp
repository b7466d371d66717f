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

}  // namespace

struct OnednnConv::Impl {
  Tensor weight;
  Tensor bias;
  bool has_bias = false;
  ConvParams params;
  // Built for the last input shape seen; rebuilt when the shape changes.
  std::vector<int64_t> input_shape;
  dnnl::convolution_forward::primitive_desc pd;
  dnnl::convolution_forward conv;
  memory weights_mem, bias_mem, src_mem, dst_mem;
  bool src_reorder = false, dst_reorder = false;

  void build(const std::vector<int64_t>& x_shape, const std::vector<int64_t>& y_shape) {
    auto& eng = cpu_engine();
    const memory::dims src_dims(x_shape.begin(), x_shape.end()), dst_dims(y_shape.begin(), y_shape.end());
    memory::dims w_dims(weight.shape.begin(), weight.shape.end());
    tag w_tag = tag::oihw;
    if (params.group > 1) {
      w_dims = {params.group, weight.shape[0] / params.group, weight.shape[1], weight.shape[2], weight.shape[3]};
      w_tag = tag::goihw;
    }
    const memory::desc src_any(src_dims, dt::f32, tag::any), dst_any(dst_dims, dt::f32, tag::any),
        w_any(w_dims, dt::f32, tag::any), b_md({weight.shape[0]}, dt::f32, tag::x);
    const memory::dims strides = {params.stride_h, params.stride_w},
                       dilates = {params.dilation_h - 1, params.dilation_w - 1},
                       pad_l = {params.pad_top, params.pad_left}, pad_r = {params.pad_bottom, params.pad_right};
    auto desc = has_bias ? dnnl::convolution_forward::desc(dnnl::prop_kind::forward_inference,
                                                           dnnl::algorithm::convolution_direct, src_any, w_any, b_md,
                                                           dst_any, strides, dilates, pad_l, pad_r)
                         : dnnl::convolution_forward::desc(dnnl::prop_kind::forward_inference,
                                                           dnnl::algorithm::convolution_direct, src_any, w_any,
                                                           dst_any, strides, dilates, pad_l, pad_r);
    dnnl::primitive_attr attr;
    dnnl::algorithm alg;
    float alpha, beta;
    if (eltwise_for(params.activation, alg, alpha, beta)) {
      dnnl::post_ops ops;
      ops.append_eltwise(1.0f, alg, alpha, beta);
      attr.set_post_ops(ops);
    }
    pd = dnnl::convolution_forward::primitive_desc(desc, attr, eng);
    conv = dnnl::convolution_forward(pd);

    dnnl::stream stream(eng);
    memory user_w({w_dims, dt::f32, w_tag}, eng, weight.data.data());
    weights_mem = memory(pd.weights_desc(), eng);
    dnnl::reorder(user_w, weights_mem).execute(stream, user_w, weights_mem);
    if (has_bias) bias_mem = memory(b_md, eng, bias.data.data());
    const memory::desc src_plain(src_dims, dt::f32, tag::nchw), dst_plain(dst_dims, dt::f32, tag::nchw);
    src_reorder = pd.src_desc() != src_plain;
    dst_reorder = pd.dst_desc() != dst_plain;
    src_mem = src_reorder ? memory(pd.src_desc(), eng) : memory();
    dst_mem = dst_reorder ? memory(pd.dst_desc(), eng) : memory();
    stream.wait();
    input_shape = x_shape;
  }
};

OnednnConv::OnednnConv(const Tensor& weight, const Tensor* bias, const ConvParams& params)
    : impl_(std::make_unique<Impl>()) {
  impl_->weight = weight;
  impl_->has_bias = bias != nullptr;
  if (bias) impl_->bias = *bias;
  impl_->params = params;
}

OnednnConv::~OnednnConv() = default;

void OnednnConv::run(const Tensor& x, Tensor& y) {
  auto& im = *impl_;
  y.resize(conv_output_shape(x, im.weight, im.params));
  try {
    if (x.shape != im.input_shape) im.build(x.shape, y.shape);
    auto& eng = cpu_engine();
    dnnl::stream stream(eng);
    const memory::dims src_dims(x.shape.begin(), x.shape.end()), dst_dims(y.shape.begin(), y.shape.end());
    memory user_src({src_dims, dt::f32, tag::nchw}, eng, const_cast<float*>(x.data.data()));
    memory user_dst({dst_dims, dt::f32, tag::nchw}, eng, y.data.data());
    memory src = user_src, dst = user_dst;
    if (im.src_reorder) {
      dnnl::reorder(user_src, im.src_mem).execute(stream, user_src, im.src_mem);
      src = im.src_mem;
    }
    if (im.dst_reorder) dst = im.dst_mem;
    std::unordered_map<int, memory> args = {{DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, im.weights_mem}, {DNNL_ARG_DST, dst}};
    if (im.has_bias) args[DNNL_ARG_BIAS] = im.bias_mem;
    im.conv.execute(stream, args);
    if (im.dst_reorder) dnnl::reorder(im.dst_mem, user_dst).execute(stream, im.dst_mem, user_dst);
    stream.wait();
  } catch (const dnnl::error& e) {
    throw Error(std::string("oneDNN convolution failed: ") + e.what());
  }
  if (im.params.activation.kind == ActivationKind::PRelu)
    apply_activation(im.params.activation, y.data.data(), y.numel(), y.shape[1], y.shape[2] * y.shape[3]);
}

}  // namespace vsr::cpu
