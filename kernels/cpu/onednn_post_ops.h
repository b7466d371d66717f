// What the oneDNN convolution and deconvolution share: the CPU engine and our activations after a
// oneDNN primitive. Private to conv_onednn.cpp and deconv_onednn.cpp (it exposes oneDNN types).
//
// PRelu: oneDNN 2.6 has post_ops::append_prelu, but only its reference convolution accepts it (every
// jit and brgemm convolution refuses the attribute, so the primitive falls back to ref:any: 40 s for
// FSRCNN at 960x540), and its standalone prelu primitive is jit only for NHWC. So per-channel PRelu
// runs as one parallel pass over the primitive's own output, in whatever layout oneDNN chose (blocked
// included), right after it: the tensor stays in oneDNN's layout inside a chain. A PRelu with one
// slope for every channel is a LeakyRelu, which is an eltwise post-op.
#pragma once
#include <algorithm>
#include <dnnl.hpp>
#include <string>
#include <unordered_map>
#include <vector>

#include "activation.h"
#include "vsr/error.h"

namespace vsr::cpu::onednn {

inline dnnl::engine& cpu_engine() {
  static dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  return engine;
}

inline dnnl::memory::dims dims_of(const std::vector<int64_t>& shape) {
  return dnnl::memory::dims(shape.begin(), shape.end());
}

// PRelu in place on a 4-D f32 memory whose layout is plain (any dimension order) or blocked on the
// channel axis (aBcd8b, aBcd16b, ...). `slopes` has one value per channel. Throws vsr::Error on other
// layouts. Defined in conv_onednn.cpp.
void prelu_in_place(const dnnl::memory& m, const std::vector<float>& slopes);

// An activation after a oneDNN primitive: `attr` carries the eltwise post-op; a per-channel PRelu is
// applied by apply_after() on the primitive's output. `slopes` must outlive the object.
struct PostOp {
  dnnl::primitive_attr attr;
  const std::vector<float>* prelu_slopes = nullptr;

  void apply_after(dnnl::stream& stream, const dnnl::memory& dst) const {
    if (!prelu_slopes) return;
    stream.wait();
    prelu_in_place(dst, *prelu_slopes);
  }
};

// `channels` = the primitive's output channel count (PRelu slopes are one per channel or one shared).
inline PostOp post_op_for(const Activation& a, int64_t channels) {
  PostOp out;
  float alpha = 0.0f, beta = 0.0f;
  dnnl::algorithm alg = dnnl::algorithm::undef;
  switch (a.kind) {
    case ActivationKind::None: return out;
    case ActivationKind::Relu: alg = dnnl::algorithm::eltwise_relu; break;
    case ActivationKind::LeakyRelu: alg = dnnl::algorithm::eltwise_relu; alpha = a.alpha; break;
    case ActivationKind::Sigmoid: alg = dnnl::algorithm::eltwise_logistic; break;
    case ActivationKind::Tanh: alg = dnnl::algorithm::eltwise_tanh; break;
    case ActivationKind::Clip: alg = dnnl::algorithm::eltwise_clip; alpha = a.min; beta = a.max; break;
    case ActivationKind::Sqrt: alg = dnnl::algorithm::eltwise_sqrt; break;
    case ActivationKind::PRelu: {
      const int64_t n = static_cast<int64_t>(a.slopes.size());
      if (n != 1 && n != channels)
        throw Error("PRelu has " + std::to_string(n) + " slopes for " + std::to_string(channels) +
                    " channels (expected 1 or one per channel)");
      if (std::all_of(a.slopes.begin(), a.slopes.end(), [&](float s) { return s == a.slopes[0]; })) {
        alg = dnnl::algorithm::eltwise_relu;  // one slope: a LeakyRelu
        alpha = a.slopes[0];
        break;
      }
      out.prelu_slopes = &a.slopes;
      return out;
    }
  }
  dnnl::post_ops ops;
  ops.append_eltwise(1.0f, alg, alpha, beta);
  out.attr.set_post_ops(ops);
  return out;
}

}  // namespace vsr::cpu::onednn
