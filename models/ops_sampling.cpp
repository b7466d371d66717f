// Resampling nodes: Resize (scales or sizes, constant or computed per frame from the input's shape),
// GridSample (flow warping) and GlobalAveragePool.
#include <cmath>
#include <map>

#include "kernels/cpu/grid_sample.h"
#include "kernels/cpu/pooling.h"
#include "kernels/cpu/resize.h"
#include "kernels/cpu/tensor_limits.h"
#include "ops_common.h"
#include "vsr/error.h"

namespace vsr {
namespace {

// Resize's target from a scales tensor: four floats, 1 on N and C.
void take_scales(const cpu::Tensor& s, cpu::ResizeParams& p) {
  if (s.is_int || s.data.size() != 4)
    throw Error("Resize scales must be 4 float values (N, C, H, W), got " + std::string(s.is_int ? "int64 " : "") +
                cpu::shape_string(s.shape));
  if (s.data[0] != 1.0f || s.data[1] != 1.0f) throw Error("Resize may only scale the two spatial axes");
  if (!(s.data[2] > 0.0f && s.data[3] > 0.0f) || !std::isfinite(s.data[2]) || !std::isfinite(s.data[3]))
    throw Error("Resize scales must be positive, got " + std::to_string(s.data[2]) + " x " + std::to_string(s.data[3]));
  p.scale_h = s.data[2];
  p.scale_w = s.data[3];
  p.out_h = p.out_w = 0;
}

// Scales beyond kMaxUpscale are refused: checked at load for constant scales, and per run after the
// output size (whose 2^30-element bound names the bigger problem first).
void check_upscale(const cpu::ResizeParams& p) {
  if (p.scale_h > double(model_limits::kMaxUpscale) || p.scale_w > double(model_limits::kMaxUpscale))
    throw Error("Resize scales " + std::to_string(p.scale_h) + " x " + std::to_string(p.scale_w) +
                " exceed the largest upscale vsr accepts (" + std::to_string(model_limits::kMaxUpscale) + ")");
}

// Resize's target from a sizes tensor: four int64 values; N and C are checked per run.
void take_sizes(const cpu::Tensor& s, cpu::ResizeParams& p, std::vector<int64_t>& sizes) {
  if (!s.is_int || s.ints.size() != 4)
    throw Error("Resize sizes must be 4 int64 values (N, C, H, W), got " + std::string(s.is_int ? "" : "float ") +
                cpu::shape_string(s.shape));
  if (s.ints[2] <= 0 || s.ints[3] <= 0)
    throw Error("Resize sizes must be positive, got " + std::to_string(s.ints[2]) + " x " + std::to_string(s.ints[3]));
  for (int64_t v : s.ints)
    if (v < 0 || v > cpu::kMaxDimension)
      throw Error("Resize sizes " + cpu::shape_string(s.ints) + " hold a dimension out of range (0 to 2^31)");
  sizes = s.ints;
  p.scale_h = p.scale_w = 0.0;
  p.out_h = s.ints[2];
  p.out_w = s.ints[3];
}

class ResizeOp : public Op {
 public:
  using Op::run;
  explicit ResizeOp(ResizeTarget target) : target_(std::move(target)) {}

  void run(const std::vector<const cpu::Tensor*>& in, cpu::Tensor& out) override {
    const cpu::Tensor& x = float_tensor(in[0], "Resize input");
    cpu::resize_reference(x, target_.params_for(x.shape, in), out);
  }

 private:
  ResizeTarget target_;
};

}  // namespace

cpu::ResizeParams ResizeTarget::params_for(const std::vector<int64_t>& x_shape,
                                           const std::vector<const cpu::Tensor*>& in) const {
  if (x_shape.size() != 4) throw Error("Resize supports 4-D NCHW input only, got " + cpu::shape_string(x_shape));
  cpu::ResizeParams q = p;
  std::vector<int64_t> wanted = sizes;
  const cpu::Tensor* scales = scales_input >= 0 ? in[scales_input] : nullptr;
  const cpu::Tensor* size_tensor = sizes_input >= 0 ? in[sizes_input] : nullptr;
  if (scales && scales->numel() > 0)  // an empty scales tensor means "use sizes" (opset 11 exports)
    take_scales(*scales, q);
  else if (size_tensor && size_tensor->numel() > 0)
    take_sizes(*size_tensor, q, wanted);
  else if (scales || size_tensor)
    throw Error("Resize: both scales and sizes are empty this run");
  int64_t oh = q.out_h, ow = q.out_w;
  if (q.scale_h > 0.0) {
    const double h = std::floor(x_shape[2] * q.scale_h), w = std::floor(x_shape[3] * q.scale_w);
    if (h > double(cpu::kMaxElements) || w > double(cpu::kMaxElements))
      throw Error("Resize output of " + cpu::shape_string(x_shape) + " would have more than 2^30 elements (refused)");
    oh = static_cast<int64_t>(h);
    ow = static_cast<int64_t>(w);
    check_upscale(q);
  } else if (wanted[0] != x_shape[0] || wanted[1] != x_shape[1]) {
    throw Error("Resize sizes " + cpu::shape_string(wanted) + " change N or C of input " + cpu::shape_string(x_shape));
  }
  cpu::checked_shape({x_shape[0], x_shape[1], oh, ow}, "Resize output");
  return q;
}

ResizeTarget resize_target_of(const GraphNode& node, const ConstantLookup& constants) {
  cpu::ResizeParams p;
  static const std::map<std::string, cpu::ResizeMode> modes = {
      {"nearest", cpu::ResizeMode::Nearest}, {"linear", cpu::ResizeMode::Linear}, {"cubic", cpu::ResizeMode::Cubic}};
  static const std::map<std::string, cpu::CoordinateMode> coords = {
      {"half_pixel", cpu::CoordinateMode::HalfPixel},
      {"pytorch_half_pixel", cpu::CoordinateMode::PytorchHalfPixel},
      {"align_corners", cpu::CoordinateMode::AlignCorners},
      {"asymmetric", cpu::CoordinateMode::Asymmetric}};
  static const std::map<std::string, cpu::NearestRounding> roundings = {
      {"round_prefer_floor", cpu::NearestRounding::RoundPreferFloor},
      {"round_prefer_ceil", cpu::NearestRounding::RoundPreferCeil},
      {"floor", cpu::NearestRounding::Floor},
      {"ceil", cpu::NearestRounding::Ceil}};
  const std::string mode = node.get_string("mode", "nearest");
  const std::string coord = node.get_string("coordinate_transformation_mode", "half_pixel");
  const std::string rounding = node.get_string("nearest_mode", "round_prefer_floor");
  if (!modes.count(mode)) throw Error(node.label() + ": unsupported Resize mode '" + mode + "'");
  if (!coords.count(coord)) throw Error(node.label() + ": unsupported coordinate_transformation_mode '" + coord + "'");
  if (!roundings.count(rounding)) throw Error(node.label() + ": unsupported nearest_mode '" + rounding + "'");
  p.mode = modes.at(mode);
  p.coordinates = coords.at(coord);
  p.nearest = roundings.at(rounding);
  p.cubic_a = node.get_float("cubic_coeff_a", -0.75f);
  p.exclude_outside = node.get_int("exclude_outside", 0) != 0;

  // Opset 10: (X, scales). Opset 11+: (X, roi, scales, sizes); exporters leave one of scales/sizes
  // out or empty. Each may be a constant or computed at run time (sizes from Shape, for one).
  const bool old_form = node.inputs.size() == 2;
  const size_t scales_at = old_form ? 1 : 2, sizes_at = 3;
  const cpu::Tensor* scales = has_input(node, scales_at) ? constants(node.inputs[scales_at]) : nullptr;
  const cpu::Tensor* sizes = !old_form && has_input(node, sizes_at) ? constants(node.inputs[sizes_at]) : nullptr;
  const bool scales_runtime = has_input(node, scales_at) && !scales;
  const bool sizes_runtime = !old_form && has_input(node, sizes_at) && !sizes;
  std::vector<int64_t> size_values;
  try {
    if (scales && scales->numel() > 0) {
      if (sizes && sizes->numel() > 0) throw Error("Resize takes scales or sizes, not both");
      take_scales(*scales, p);
      check_upscale(p);
    } else if (sizes && sizes->numel() > 0) {
      take_sizes(*sizes, p, size_values);
    } else if (!scales_runtime && !sizes_runtime) {
      throw Error("Resize needs scales or sizes (4 values)");
    }
  } catch (const Error& e) {
    throw Error(node.label() + ": " + e.what());
  }
  const bool constant_target = p.scale_h > 0.0 || p.out_h > 0;
  return {p, size_values, !constant_target && scales_runtime ? int(scales_at) : -1,
          !constant_target && sizes_runtime ? int(sizes_at) : -1};
}

namespace {

class GridSampleOp : public Op {
 public:
  using Op::run;
  explicit GridSampleOp(cpu::GridSampleParams p) : p_(p) {}
  void run(const std::vector<const cpu::Tensor*>& in, cpu::Tensor& out) override {
    cpu::grid_sample(float_tensor(in[0], "GridSample input"), float_tensor(in[1], "GridSample grid"), p_, out);
  }

 private:
  cpu::GridSampleParams p_;
};

}  // namespace

cpu::GridSampleParams grid_sample_params_of(const GraphNode& node) {
  cpu::GridSampleParams p;
  const std::string mode = node.get_string("mode", "bilinear");
  const std::string padding = node.get_string("padding_mode", "zeros");
  const int64_t align = node.get_int("align_corners", 0);
  if (mode == "bilinear") p.mode = cpu::GridSampleMode::Bilinear;
  else if (mode == "nearest") p.mode = cpu::GridSampleMode::Nearest;
  else throw Error(node.label() + ": unsupported GridSample mode '" + mode + "' (bilinear and nearest are)");
  if (padding == "zeros") p.padding = cpu::GridPadding::Zeros;
  else if (padding == "border") p.padding = cpu::GridPadding::Border;
  else if (padding == "reflection") p.padding = cpu::GridPadding::Reflection;
  else throw Error(node.label() + ": unknown GridSample padding_mode '" + padding + "'");
  if (align != 0 && align != 1) throw Error(node.label() + ": align_corners must be 0 or 1");
  p.align_corners = align == 1;
  if (!has_input(node, 1)) throw Error(node.label() + " has no grid input");
  return p;
}

namespace {

class GlobalAveragePoolOp : public Op {
 public:
  using Op::run;
  void run(const std::vector<const cpu::Tensor*>& in, cpu::Tensor& out) override {
    cpu::global_average_pool(float_tensor(in[0], "GlobalAveragePool input"), out);
  }
};

}  // namespace

std::unique_ptr<Op> make_sampling_op(const GraphNode& node, const ConstantLookup& constants, const OpOptions&) {
  const std::string& t = node.op_type;
  if (t == "Resize") return std::make_unique<ResizeOp>(resize_target_of(node, constants));
  if (t == "GridSample") return std::make_unique<GridSampleOp>(grid_sample_params_of(node));
  if (t == "GlobalAveragePool") return std::make_unique<GlobalAveragePoolOp>();
  throw Error(node.label() + ": not a sampling op");
}

}  // namespace vsr
