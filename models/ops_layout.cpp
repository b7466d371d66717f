// Data-movement nodes: DepthToSpace, Concat, Split, Slice, Transpose, Reshape, Squeeze, Unsqueeze,
// Expand, Pad, Identity. All but DepthToSpace and Pad also move int64 shape tensors; shape-like
// inputs (starts, axes, pads, ...) may be constants or computed at run time from a dynamic input.
#include "kernels/cpu/layout_ops.h"
#include "kernels/cpu/pad.h"
#include "kernels/cpu/shape_ops.h"
#include "kernels/cpu/slice_ops.h"
#include "kernels/cpu/tensor_limits.h"
#include "kernels/cpu/transpose.h"
#include "ops_common.h"
#include "vsr/error.h"

namespace vsr {
namespace {

const std::vector<int64_t> kNone;

class DepthToSpaceOp : public Op {
 public:
  using Op::run;
  DepthToSpaceOp(int64_t block, cpu::DepthToSpaceMode mode) : block_(block), mode_(mode) {}
  void run(const std::vector<const cpu::Tensor*>& in, cpu::Tensor& out) override {
    cpu::depth_to_space(float_tensor(in[0], "DepthToSpace input"), block_, mode_, out);
  }

 private:
  int64_t block_;
  cpu::DepthToSpaceMode mode_;
};

class ConcatOp : public Op {
 public:
  using Op::run;
  explicit ConcatOp(int64_t axis) : axis_(axis) {}
  void run(const std::vector<const cpu::Tensor*>& in, cpu::Tensor& out) override {
    if (in[0]->is_int) {
      cpu::concat_ints(in, axis_, out);
      return;
    }
    for (const cpu::Tensor* t : in)
      if (t->is_int) throw Error("Concat: inputs mix float and int64 tensors");
    cpu::concat(in, axis_, out);
  }

 private:
  int64_t axis_;
};

class IdentityOp : public Op {
 public:
  using Op::run;
  void run(const std::vector<const cpu::Tensor*>& in, cpu::Tensor& out) override { out = *in[0]; }
};

class ReshapeOp : public Op {
 public:
  using Op::run;
  ReshapeOp(IntList shape, bool allow_zero) : shape_(std::move(shape)), allow_zero_(allow_zero) {}
  void run(const std::vector<const cpu::Tensor*>& in, cpu::Tensor& out) override {
    cpu::copy_with_shape(*in[0], cpu::reshape_shape(in[0]->shape, shape_.values(in), allow_zero_), out);
  }

 private:
  IntList shape_;
  bool allow_zero_;
};

class TransposeOp : public Op {
 public:
  using Op::run;
  explicit TransposeOp(std::vector<int64_t> perm) : perm_(std::move(perm)) {}
  void run(const std::vector<const cpu::Tensor*>& in, cpu::Tensor& out) override { cpu::transpose(*in[0], perm_, out); }

 private:
  std::vector<int64_t> perm_;
};

class SplitOp : public Op {
 public:
  using Op::run;
  SplitOp(int64_t axis, IntList sizes) : axis_(axis), sizes_(std::move(sizes)) {}
  void run(const std::vector<const cpu::Tensor*>& in, const std::vector<cpu::Tensor*>& outs) override {
    cpu::split(*in[0], axis_, sizes_.present() ? sizes_.values(in) : kNone, outs);
  }
  void run(const std::vector<const cpu::Tensor*>& in, cpu::Tensor& out) override { run(in, std::vector<cpu::Tensor*>{&out}); }

 private:
  int64_t axis_;
  IntList sizes_;
};

class SliceOp : public Op {
 public:
  using Op::run;
  SliceOp(IntList starts, IntList ends, IntList axes, IntList steps)
      : starts_(std::move(starts)), ends_(std::move(ends)), axes_(std::move(axes)), steps_(std::move(steps)) {}
  void run(const std::vector<const cpu::Tensor*>& in, cpu::Tensor& out) override {
    cpu::slice(*in[0], starts_.values(in), ends_.values(in), axes_.present() ? axes_.values(in) : kNone,
               steps_.present() ? steps_.values(in) : kNone, out);
  }

 private:
  IntList starts_, ends_, axes_, steps_;
};

class SqueezeOp : public Op {
 public:
  using Op::run;
  SqueezeOp(IntList axes, bool unsqueeze) : axes_(std::move(axes)), unsqueeze_(unsqueeze) {}
  void run(const std::vector<const cpu::Tensor*>& in, cpu::Tensor& out) override {
    const std::vector<int64_t>& axes = axes_.present() ? axes_.values(in) : kNone;
    if (unsqueeze_)
      cpu::unsqueeze(*in[0], axes, out);
    else
      cpu::squeeze(*in[0], axes, out);
  }

 private:
  IntList axes_;
  bool unsqueeze_;
};

class ExpandOp : public Op {
 public:
  using Op::run;
  explicit ExpandOp(IntList shape) : shape_(std::move(shape)) {}
  void run(const std::vector<const cpu::Tensor*>& in, cpu::Tensor& out) override {
    cpu::expand(*in[0], shape_.values(in), out);
  }

 private:
  IntList shape_;
};

// ONNX pads = [begin of each axis..., end of each axis...]; vsr pads only the spatial axes of NCHW.
void check_pads(const std::vector<int64_t>& pads) {
  if (pads.size() != 8)
    throw Error("Pad: " + std::to_string(pads.size()) + " pads given; 4-D NCHW input takes 8");
  if (pads[0] || pads[1] || pads[4] || pads[5])
    throw Error("Pad: only the two spatial axes can be padded, pads are " + cpu::shape_string(pads));
}

class PadOp : public Op {
 public:
  using Op::run;
  PadOp(cpu::PadParams p, IntList pads, bool runtime_value) : p_(p), pads_(std::move(pads)), runtime_value_(runtime_value) {}
  void run(const std::vector<const cpu::Tensor*>& in, cpu::Tensor& out) override {
    const std::vector<int64_t>& pads = pads_.values(in);
    check_pads(pads);
    cpu::PadParams p = p_;
    p.top = pads[2], p.left = pads[3], p.bottom = pads[6], p.right = pads[7];
    if (runtime_value_) {
      const cpu::Tensor& v = float_tensor(in[2], "Pad constant_value");
      if (v.data.size() != 1) throw Error("Pad: constant_value must be one value");
      p.value = v.data[0];
    }
    cpu::pad2d(float_tensor(in[0], "Pad input"), p, out);
  }

 private:
  cpu::PadParams p_;
  IntList pads_;
  bool runtime_value_;
};

// Rethrows a kernel-side check as a load-time error naming the node.
template <typename F>
void at_load(const GraphNode& node, F&& check) {
  try {
    check();
  } catch (const Error& e) {
    throw Error(node.label() + ": " + e.what());
  }
}

std::unique_ptr<Op> make_slice(const GraphNode& node, const ConstantLookup& constants) {
  // Opset 10+: inputs (data, starts, ends, axes, steps); opset 1-9: attributes starts/ends/axes.
  IntList starts(node, 1, "starts", constants), ends(node, 2, "ends", constants);
  IntList axes(node, 3, "axes", constants), steps(node, 4, nullptr, constants);
  if (!starts.present() || !ends.present()) throw Error(node.label() + " has no starts or no ends");
  if (starts.is_constant() && ends.is_constant() &&
      starts.constant_values().size() != ends.constant_values().size())
    throw Error(node.label() + ": " + std::to_string(starts.constant_values().size()) + " starts but " +
                std::to_string(ends.constant_values().size()) + " ends");
  if (steps.present() && steps.is_constant())
    for (int64_t s : steps.constant_values())
      if (s == 0) throw Error(node.label() + ": a step is 0");
  if (axes.present() && axes.is_constant()) {
    const auto& a = axes.constant_values();
    for (size_t i = 0; i < a.size(); ++i)
      for (size_t j = i + 1; j < a.size(); ++j)
        if (a[i] == a[j]) throw Error(node.label() + ": axis " + std::to_string(a[i]) + " is listed twice");
  }
  return std::make_unique<SliceOp>(std::move(starts), std::move(ends), std::move(axes), std::move(steps));
}

std::unique_ptr<Op> make_split(const GraphNode& node, const ConstantLookup& constants) {
  if (node.has("num_outputs")) throw Error(node.label() + ": num_outputs is opset 18; vsr reads opset <= 17");
  if (node.outputs.empty()) throw Error(node.label() + " has no outputs");
  IntList sizes(node, 1, "split", constants);  // opset 13+: input; 1-12: attribute
  if (sizes.present() && sizes.is_constant()) {
    const auto& s = sizes.constant_values();
    if (s.size() != node.outputs.size())
      throw Error(node.label() + ": " + std::to_string(s.size()) + " split sizes for " +
                  std::to_string(node.outputs.size()) + " outputs");
    for (int64_t v : s)
      if (v < 0) throw Error(node.label() + ": negative split size " + std::to_string(v));
  }
  return std::make_unique<SplitOp>(node.get_int("axis", 0), std::move(sizes));
}

std::unique_ptr<Op> make_pad(const GraphNode& node, const ConstantLookup& constants) {
  cpu::PadParams p;
  const std::string mode = node.get_string("mode", "constant");
  if (mode == "constant") p.mode = cpu::PadMode::Constant;
  else if (mode == "reflect") p.mode = cpu::PadMode::Reflect;
  else if (mode == "edge") p.mode = cpu::PadMode::Edge;
  else throw Error(node.label() + ": unsupported Pad mode '" + mode + "' (constant, reflect and edge are)");
  if (has_input(node, 3)) throw Error(node.label() + ": the axes input is opset 18; vsr reads opset <= 17");
  IntList pads(node, 1, "pads", constants);  // opset 11+: input; 1-10: attribute
  if (!pads.present()) throw Error(node.label() + " has no pads");
  if (pads.is_constant()) at_load(node, [&] { check_pads(pads.constant_values()); });
  p.value = node.get_float("value", 0.0f);  // opset < 11
  bool runtime_value = false;
  if (has_input(node, 2)) {
    if (const cpu::Tensor* v = constants(node.inputs[2])) {
      if (v->is_int || v->data.size() != 1) throw Error(node.label() + ": constant_value must be one float value");
      p.value = v->data[0];
    } else {
      runtime_value = true;
    }
  }
  return std::make_unique<PadOp>(p, std::move(pads), runtime_value);
}

}  // namespace

std::unique_ptr<Op> make_layout_op(const GraphNode& node, const ConstantLookup& constants, const OpOptions&) {
  const std::string& t = node.op_type;
  if (t == "DepthToSpace") {
    const std::string mode = node.get_string("mode", "DCR");
    if (mode != "DCR" && mode != "CRD") throw Error(node.label() + ": unknown DepthToSpace mode '" + mode + "'");
    const int64_t block = node.get_int("blocksize", 0);
    if (block < 1 || block > model_limits::kMaxUpscale)
      throw Error(node.label() + ": blocksize " + std::to_string(block) + " is out of range (1 to " +
                  std::to_string(model_limits::kMaxUpscale) + ")");
    return std::make_unique<DepthToSpaceOp>(block, mode == "CRD" ? cpu::DepthToSpaceMode::CRD : cpu::DepthToSpaceMode::DCR);
  }
  if (t == "Concat") return std::make_unique<ConcatOp>(node.get_int("axis", 1));
  if (t == "Identity") return std::make_unique<IdentityOp>();
  if (t == "Reshape") {
    IntList shape(node, 1, "shape", constants);  // opset 1-4 had a 'shape' attribute
    if (!shape.present()) throw Error(node.label() + " has no target shape");
    const int64_t allow_zero = node.get_int("allowzero", 0);
    if (allow_zero != 0 && allow_zero != 1) throw Error(node.label() + ": allowzero must be 0 or 1");
    return std::make_unique<ReshapeOp>(std::move(shape), allow_zero == 1);
  }
  if (t == "Transpose") {
    const std::vector<int64_t> perm = node.get_ints("perm", {});
    if (perm.size() > cpu::kMaxRank)
      throw Error(node.label() + ": perm has " + std::to_string(perm.size()) + " entries (rank is at most " +
                  std::to_string(cpu::kMaxRank) + ")");
    std::vector<bool> used(perm.size(), false);
    for (int64_t p : perm) {
      if (p < 0 || p >= static_cast<int64_t>(perm.size()) || used[p])
        throw Error(node.label() + ": perm " + cpu::shape_string(perm) + " is not a permutation");
      used[p] = true;
    }
    return std::make_unique<TransposeOp>(perm);
  }
  if (t == "Split") return make_split(node, constants);
  if (t == "Slice") return make_slice(node, constants);
  if (t == "Squeeze" || t == "Unsqueeze") {
    IntList axes(node, 1, "axes", constants);  // opset 13+: input; 1-12: attribute
    if (t == "Unsqueeze" && !axes.present()) throw Error(node.label() + " has no axes");
    if (axes.is_constant()) {
      const auto& a = axes.constant_values();
      for (size_t i = 0; i < a.size(); ++i)
        for (size_t j = i + 1; j < a.size(); ++j)
          if (a[i] == a[j]) throw Error(node.label() + ": axis " + std::to_string(a[i]) + " is listed twice");
    }
    return std::make_unique<SqueezeOp>(std::move(axes), t == "Unsqueeze");
  }
  if (t == "Expand") {
    IntList shape(node, 1, nullptr, constants);
    if (!shape.present()) throw Error(node.label() + " has no shape input");
    if (shape.is_constant()) at_load(node, [&] { cpu::checked_shape(shape.constant_values(), "Expand"); });
    return std::make_unique<ExpandOp>(std::move(shape));
  }
  if (t == "Pad") return make_pad(node, constants);
  throw Error(node.label() + ": not a layout op");
}

}  // namespace vsr
