// Conv and ConvTranspose nodes: attribute parsing (auto_pad included) and backend choice.
#include <algorithm>

#include "kernels/cpu/conv.h"
#include "kernels/cpu/conv_onednn.h"
#include "kernels/cpu/deconv_onednn.h"
#include "ops_common.h"
#include "vsr/error.h"

namespace vsr {
namespace {

const cpu::Tensor& required_constant(const GraphNode& node, size_t index, const ConstantLookup& constants,
                                     const char* what) {
  if (node.inputs.size() <= index || node.inputs[index].empty())
    throw Error(node.label() + " has no " + what + " input");
  const cpu::Tensor* t = constants(node.inputs[index]);
  if (!t) throw Error(node.label() + ": " + what + " '" + node.inputs[index] + "' must be a constant initializer");
  if (t->is_int) throw Error(node.label() + ": " + what + " '" + node.inputs[index] + "' must be float, not int64");
  return *t;
}

// Throws naming the node unless every value lies in [lo, hi]: the file sets these, and they size
// the output (pads, strides) or the work per output value (kernel, dilations).
void check_range(const GraphNode& node, const char* what, const std::vector<int64_t>& values, int64_t lo, int64_t hi) {
  for (int64_t v : values)
    if (v < lo || v > hi)
      throw Error(node.label() + ": " + what + " " + cpu::shape_string(values) + " out of range (each must be " +
                  std::to_string(lo) + " to " + std::to_string(hi) + ")");
}

cpu::ConvParams parse_params(const GraphNode& node, const cpu::Tensor& w) {
  namespace limits = model_limits;
  const bool transpose = node.op_type == "ConvTranspose";
  cpu::ConvParams p;
  check_range(node, "kernel", {w.shape[2], w.shape[3]}, 1, limits::kMaxKernelSide);
  const auto kernel = node.get_ints("kernel_shape", {w.shape.at(2), w.shape.at(3)});
  if (kernel.size() != 2 || kernel[0] != w.shape[2] || kernel[1] != w.shape[3])
    throw Error(node.label() + ": kernel_shape does not match weight " + cpu::shape_string(w.shape) +
                " (only 2-D convolutions are supported)");
  const auto strides = node.get_ints("strides", {1, 1});
  const auto dilations = node.get_ints("dilations", {1, 1});
  const auto pads = node.get_ints("pads", {0, 0, 0, 0});
  if (strides.size() != 2 || dilations.size() != 2 || pads.size() != 4)
    throw Error(node.label() + ": strides/dilations/pads must describe 2 spatial axes");
  // A ConvTranspose stride is an upscale factor; a Conv stride a downscale one.
  check_range(node, "strides", strides, 1, transpose ? limits::kMaxUpscale : limits::kMaxStride);
  check_range(node, "dilations", dilations, 1, limits::kMaxStride);
  check_range(node, "pads", pads, 0, limits::kMaxConvPad);
  p.stride_h = strides[0];
  p.stride_w = strides[1];
  p.dilation_h = dilations[0];
  p.dilation_w = dilations[1];
  p.pad_top = pads[0];
  p.pad_left = pads[1];
  p.pad_bottom = pads[2];
  p.pad_right = pads[3];
  p.group = node.get_int("group", 1);
  // Conv: out channels split into groups; ConvTranspose: in channels (weight axis 0) split into groups.
  if (p.group < 1 || p.group > w.shape[0] || w.shape[0] % p.group != 0)
    throw Error(node.label() + ": group " + std::to_string(p.group) + " does not divide the weight's " +
                std::to_string(w.shape[0]) + " " + (transpose ? "input" : "output") + " channels");
  const auto out_pad = node.get_ints("output_padding", {0, 0});
  if (out_pad.size() != 2) throw Error(node.label() + ": output_padding must describe 2 spatial axes");
  // ONNX: output_padding < max(stride, dilation) on each axis; larger values only grow the output.
  check_range(node, "output_padding", {out_pad[0]}, 0, std::max(strides[0], dilations[0]) - 1);
  check_range(node, "output_padding", {out_pad[1]}, 0, std::max(strides[1], dilations[1]) - 1);
  p.output_pad_h = out_pad[0];
  p.output_pad_w = out_pad[1];
  const std::string auto_pad = node.get_string("auto_pad", "NOTSET");
  if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
    if (node.op_type != "Conv" || p.stride_h != 1 || p.stride_w != 1)
      throw Error(node.label() + ": auto_pad " + auto_pad + " is supported for stride-1 Conv only");
    const int64_t th = (w.shape[2] - 1) * p.dilation_h, tw = (w.shape[3] - 1) * p.dilation_w;
    const bool upper = auto_pad == "SAME_UPPER";
    p.pad_top = upper ? th / 2 : th - th / 2;
    p.pad_bottom = th - p.pad_top;
    p.pad_left = upper ? tw / 2 : tw - tw / 2;
    p.pad_right = tw - p.pad_left;
  } else if (auto_pad != "NOTSET" && auto_pad != "VALID") {
    throw Error(node.label() + ": unknown auto_pad '" + auto_pad + "'");
  }
  if (p.group <= 0 || p.stride_h <= 0 || p.stride_w <= 0 || p.dilation_h <= 0 || p.dilation_w <= 0)
    throw Error(node.label() + ": group, strides and dilations must be positive");
  return p;
}

class ConvOp : public Op {
 public:
  using Op::run;
  // Reference kernels.
  ConvOp(cpu::ConvLayer layer, bool transpose) : layer_(std::move(layer)), transpose_(transpose) {}
  // oneDNN: one convolution or a chain of them.
  ConvOp(std::vector<cpu::ConvLayer> chain, bool residual_add)
      : transpose_(false), residual_add_(residual_add),
        onednn_(std::make_unique<cpu::OnednnConv>(std::move(chain), residual_add)) {}
  // oneDNN: a transposed convolution, after the convolutions chained before it (if any).
  ConvOp(cpu::ConvLayer layer, std::vector<cpu::ConvLayer> before)
      : transpose_(true), onednn_deconv_(std::make_unique<cpu::OnednnDeconv>(std::move(layer), std::move(before))) {}

  void run(const std::vector<const cpu::Tensor*>& in, cpu::Tensor& out) override {
    const cpu::Tensor& x = float_tensor(in[0], "convolution input");
    if (onednn_) return onednn_->run(x, out, residual_add_ ? &float_tensor(in.back(), "residual") : nullptr);
    if (onednn_deconv_) return onednn_deconv_->run(x, out);
    const cpu::Tensor* bias = layer_.has_bias ? &layer_.bias : nullptr;
    if (transpose_)
      cpu::conv_transpose2d_reference(x, layer_.weight, bias, layer_.params, out);
    else
      cpu::conv2d_reference(x, layer_.weight, bias, layer_.params, out);
  }

 private:
  cpu::ConvLayer layer_;
  bool transpose_;
  bool residual_add_ = false;
  std::unique_ptr<cpu::OnednnConv> onednn_;
  std::unique_ptr<cpu::OnednnDeconv> onednn_deconv_;
};

}  // namespace

cpu::ConvLayer conv_layer_of(const GraphNode& node, const ConstantLookup& constants, const cpu::Activation& act) {
  const bool transpose = node.op_type == "ConvTranspose";
  cpu::ConvLayer layer;
  layer.weight = required_constant(node, 1, constants, "weight");
  const cpu::Tensor& w = layer.weight;
  if (w.shape.size() != 4) throw Error(node.label() + ": weight must be 4-D, got " + cpu::shape_string(w.shape));
  if (w.shape[0] < 1 || w.shape[1] < 1)
    throw Error(node.label() + ": weight " + cpu::shape_string(w.shape) + " is empty");
  layer.params = parse_params(node, w);  // bounds group before it multiplies anything
  const int64_t out_channels = transpose ? w.shape[1] * layer.params.group : w.shape[0];
  if (node.inputs.size() > 2 && !node.inputs[2].empty()) {
    layer.bias = required_constant(node, 2, constants, "bias");
    layer.has_bias = true;
    if (layer.bias.numel() != out_channels)
      throw Error(node.label() + ": bias '" + node.inputs[2] + "' has " + std::to_string(layer.bias.numel()) +
                  " values for " + std::to_string(out_channels) + " output channels");
  }
  // A fused PRelu's slopes are indexed by output channel.
  if (act.kind == cpu::ActivationKind::PRelu && act.slopes.size() != 1 &&
      static_cast<int64_t>(act.slopes.size()) != out_channels)
    throw Error(node.label() + ": the PRelu after it has " + std::to_string(act.slopes.size()) + " slopes for " +
                std::to_string(out_channels) + " output channels");
  layer.params.activation = act;
  return layer;
}

std::unique_ptr<Op> make_conv_op(const GraphNode& node, const ConstantLookup& constants, const OpOptions& options) {
  const bool transpose = node.op_type == "ConvTranspose";
  cpu::ConvLayer layer = conv_layer_of(node, constants, options.fused);
  if (!options.use_onednn) return std::make_unique<ConvOp>(std::move(layer), transpose);
  std::vector<cpu::ConvLayer> chain;
  for (const FusedConv& c : options.chain_before) chain.push_back(conv_layer_of(*c.node, constants, c.activation));
  if (transpose) return std::make_unique<ConvOp>(std::move(layer), std::move(chain));
  chain.push_back(std::move(layer));
  return std::make_unique<ConvOp>(std::move(chain), options.residual_add);
}

}  // namespace vsr
