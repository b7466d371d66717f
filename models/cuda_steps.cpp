#include "cuda_steps.h"

#include <algorithm>
#include <map>

#include "kernels/cpu/slice_ops.h"
#include "kernels/cuda/elementwise.h"
#include "kernels/cuda/layout.h"
#include "kernels/cuda/sampling.h"
#include "ops_common.h"
#include "vsr/error.h"

namespace vsr {
namespace {

const DeviceTensor& float_input(const DeviceInputs& in, size_t i, const char* what) {
  if (i >= in.size() || !in[i]) throw Error(std::string(what) + " is missing");
  if (in[i]->is_int) throw Error(std::string(what) + " is an int64 tensor, not a float image");
  return *in[i];
}

// A host copy of a step input (int64 tensors are on the host already).
void to_host(const DeviceTensor& d, cpu::Tensor& h, cudaStream_t stream) {
  h.shape = d.shape;
  h.is_int = d.is_int;
  if (d.is_int) {
    h.ints = d.ints;
    h.data.clear();
  } else {
    h.ints.clear();
    h.data = d.data.download(static_cast<size_t>(d.numel()), stream);
  }
}

// A node without a CUDA kernel: its CPU reference on host copies. Correct for every op the loader
// accepts; slow for large float tensors (a download and an upload each), fine for shape arithmetic.
class HostStep : public CudaStep {
 public:
  explicit HostStep(std::unique_ptr<Op> op) : op_(std::move(op)) {}
  bool on_device() const override { return false; }

  void run(const DeviceInputs& in, const DeviceOutputs& out, cudaStream_t stream) override {
    host_in_.resize(in.size());
    in_ptrs_.assign(in.size(), nullptr);
    for (size_t i = 0; i < in.size(); ++i)
      if (in[i]) {
        to_host(*in[i], host_in_[i], stream);
        in_ptrs_[i] = &host_in_[i];
      }
    host_out_.resize(out.size());
    out_ptrs_.clear();
    for (auto& t : host_out_) out_ptrs_.push_back(&t);
    if (out.size() == 1)
      op_->run(in_ptrs_, host_out_[0]);
    else
      op_->run(in_ptrs_, out_ptrs_);
    for (size_t i = 0; i < out.size(); ++i) {
      const cpu::Tensor& h = host_out_[i];
      if (h.is_int) {
        out[i]->shape = h.shape;
        out[i]->is_int = true;
        out[i]->ints = h.ints;
      } else {
        out[i]->resize(h.shape);
        out[i]->data.upload(h.data.data(), h.data.size(), stream);
      }
    }
    cuda::check(cudaStreamSynchronize(stream), "host step");  // host_out_ is reused next run
  }

 private:
  std::unique_ptr<Op> op_;
  std::vector<cpu::Tensor> host_in_, host_out_;
  std::vector<const cpu::Tensor*> in_ptrs_;
  std::vector<cpu::Tensor*> out_ptrs_;
};

class ConvStep : public CudaStep {
 public:
  ConvStep(const cpu::ConvLayer& layer, bool transpose, bool residual, cuda::ConvPrecision precision, cudaStream_t s)
      : conv_(layer, transpose, precision, s), residual_(residual) {}
  void run(const DeviceInputs& in, const DeviceOutputs& out, cudaStream_t stream) override {
    const DeviceTensor& x = float_input(in, 0, "convolution input");
    const DeviceTensor* r = residual_ ? &float_input(in, in.size() - 1, "residual") : nullptr;
    const std::vector<int64_t> y_shape = conv_.output_shape(x.shape);
    if (r && r->shape != y_shape) {  // a broadcast residual: the convolution, then a broadcasting add
      int64_t n = 1;
      for (int64_t d : y_shape) n *= d;
      unfused_.reserve(static_cast<size_t>(n));
      conv_.run(x.data.data(), x.shape, unfused_.data(), nullptr, stream);
      float* y = out[0]->resize(cpu::broadcast_shape(y_shape, r->shape));
      cuda::binary(cpu::BinaryOp::Add, unfused_.data(), y_shape, r->data.data(), r->shape, y, stream);
      return;
    }
    float* y = out[0]->resize(y_shape);
    conv_.run(x.data.data(), x.shape, y, r ? r->data.data() : nullptr, stream);
  }

 private:
  cuda::CudnnConv conv_;
  bool residual_;
  cuda::DeviceArray<float> unfused_;  // the convolution's output when the residual broadcasts
};

class ActivationStep : public CudaStep {
 public:
  ActivationStep(cpu::Activation a, cudaStream_t stream) : a_(std::move(a)) {
    if (!a_.slopes.empty()) slopes_.upload(a_.slopes, stream);
  }
  void run(const DeviceInputs& in, const DeviceOutputs& out, cudaStream_t stream) override {
    const DeviceTensor& x = float_input(in, 0, "activation input");
    float* y = out[0]->resize(x.shape);
    const int64_t n = x.numel();
    cuda::check(cudaMemcpyAsync(y, x.data.data(), n * sizeof(float), cudaMemcpyDeviceToDevice, stream), "activation copy");
    const int64_t channels = x.shape.size() >= 2 ? x.shape[1] : 1;
    int64_t plane = 1;
    for (size_t d = 2; d < x.shape.size(); ++d) plane *= x.shape[d];
    if (a_.kind == cpu::ActivationKind::PRelu && a_.slopes.size() != 1 && static_cast<int64_t>(a_.slopes.size()) != channels)
      throw Error("PRelu has " + std::to_string(a_.slopes.size()) + " slopes for " + std::to_string(channels) + " channels");
    cuda::activation(a_, y, n, channels, plane, slopes_.data(), stream);
  }

 private:
  cpu::Activation a_;
  cuda::DeviceArray<float> slopes_;
};

// Add/Sub/Mul/Div: on the device for float tensors; int64 shape arithmetic on the host.
class BinaryStep : public CudaStep {
 public:
  BinaryStep(cpu::BinaryOp op, std::unique_ptr<Op> host) : op_(op), host_(std::move(host)) {}
  void run(const DeviceInputs& in, const DeviceOutputs& out, cudaStream_t stream) override {
    if (in.size() < 2 || !in[0] || !in[1]) throw Error("binary op needs two inputs");
    if (in[0]->is_int || in[1]->is_int) return host_.run(in, out, stream);
    const std::vector<int64_t> shape = cpu::broadcast_shape(in[0]->shape, in[1]->shape);
    float* y = out[0]->resize(shape);
    cuda::binary(op_, in[0]->data.data(), in[0]->shape, in[1]->data.data(), in[1]->shape, y, stream);
  }

 private:
  cpu::BinaryOp op_;
  HostStep host_;
};

class DepthToSpaceStep : public CudaStep {
 public:
  DepthToSpaceStep(int64_t block, cpu::DepthToSpaceMode mode) : block_(block), mode_(mode) {}
  void run(const DeviceInputs& in, const DeviceOutputs& out, cudaStream_t stream) override {
    const DeviceTensor& x = float_input(in, 0, "DepthToSpace input");
    if (x.shape.size() != 4 || x.shape[1] % (block_ * block_) != 0)
      throw Error("DepthToSpace: input " + cpu::shape_string(x.shape) + " does not fit blocksize " + std::to_string(block_));
    float* y = out[0]->resize({x.shape[0], x.shape[1] / (block_ * block_), x.shape[2] * block_, x.shape[3] * block_});
    cuda::depth_to_space(x.data.data(), x.shape, block_, mode_, y, stream);
  }

 private:
  int64_t block_;
  cpu::DepthToSpaceMode mode_;
};

// Concat of float tensors of rank <= 4 as box copies; anything else on the host.
class ConcatStep : public CudaStep {
 public:
  ConcatStep(int64_t axis, std::unique_ptr<Op> host) : axis_(axis), host_(std::move(host)) {}
  void run(const DeviceInputs& in, const DeviceOutputs& out, cudaStream_t stream) override {
    bool device = !in.empty();
    for (const DeviceTensor* t : in) device = device && t && !t->is_int && t->shape.size() <= 4;
    if (!device) return host_.run(in, out, stream);
    std::vector<cpu::Tensor> shapes(in.size());  // concat_layout validates shapes only
    std::vector<const cpu::Tensor*> ptrs;
    for (size_t i = 0; i < in.size(); ++i) {
      shapes[i].shape = in[i]->shape;
      ptrs.push_back(&shapes[i]);
    }
    const cpu::ConcatLayout layout = cpu::concat_layout(ptrs, axis_);
    float* y = out[0]->resize(layout.shape);
    std::vector<int64_t> origin(layout.shape.size(), 0);
    for (const DeviceTensor* t : in) {
      cuda::copy_box(t->data.data(), t->shape, std::vector<int64_t>(t->shape.size(), 0), y, layout.shape, origin,
                     t->shape, stream);
      origin[layout.axis] += t->shape[layout.axis];
    }
  }

 private:
  int64_t axis_;
  HostStep host_;
};

// Split of a float tensor of rank <= 4 with constant (or equal) sizes as box copies out of the input;
// sizes read at run time, int64 tensors and higher ranks on the host.
class SplitStep : public CudaStep {
 public:
  SplitStep(int64_t axis, IntList sizes, std::unique_ptr<Op> host)
      : axis_(axis), sizes_(std::move(sizes)), host_(std::move(host)) {}
  void run(const DeviceInputs& in, const DeviceOutputs& out, cudaStream_t stream) override {
    const bool device = !in.empty() && in[0] && !in[0]->is_int && in[0]->shape.size() <= 4 &&
                        (!sizes_.present() || sizes_.is_constant());
    if (!device) return host_.run(in, out, stream);
    const DeviceTensor& x = *in[0];
    const cpu::SplitPlan plan =
        cpu::split_plan(x.shape, axis_, sizes_.present() ? sizes_.constant_values() : std::vector<int64_t>{}, out.size());
    std::vector<int64_t> origin(x.shape.size(), 0);
    for (size_t i = 0; i < out.size(); ++i) {
      std::vector<int64_t> shape = x.shape;
      shape[plan.axis] = plan.sizes[i];
      float* y = out[i]->resize(shape);
      cuda::copy_box(x.data.data(), x.shape, origin, y, shape, std::vector<int64_t>(shape.size(), 0), shape, stream);
      origin[plan.axis] += plan.sizes[i];
    }
  }

 private:
  int64_t axis_;
  IntList sizes_;
  HostStep host_;
};

// Transpose of a float tensor on the device (rank <= 6); int64 tensors (shape arithmetic) on the host.
class TransposeStep : public CudaStep {
 public:
  TransposeStep(std::vector<int64_t> perm, std::unique_ptr<Op> host) : perm_(std::move(perm)), host_(std::move(host)) {}
  void run(const DeviceInputs& in, const DeviceOutputs& out, cudaStream_t stream) override {
    if (in.empty() || !in[0] || in[0]->is_int || in[0]->shape.size() > cuda::kMaxTransposeRank)
      return host_.run(in, out, stream);
    const cpu::TransposePlan plan = cpu::transpose_plan(in[0]->shape, perm_);
    cuda::transpose(in[0]->data.data(), plan, out[0]->resize(plan.shape), stream);
  }

 private:
  std::vector<int64_t> perm_;
  HostStep host_;
};

class ResizeStep : public CudaStep {
 public:
  explicit ResizeStep(ResizeTarget target) : target_(std::move(target)) {}
  void run(const DeviceInputs& in, const DeviceOutputs& out, cudaStream_t stream) override {
    const DeviceTensor& x = float_input(in, 0, "Resize input");
    // The target's run-time inputs (scales or sizes) are tiny: read them on the host.
    std::vector<cpu::Tensor> host(in.size());
    std::vector<const cpu::Tensor*> ptrs(in.size(), nullptr);
    for (int i : {target_.scales_input, target_.sizes_input})
      if (i >= 0 && static_cast<size_t>(i) < in.size() && in[i]) {
        to_host(*in[i], host[i], stream);
        ptrs[i] = &host[i];
      }
    const cpu::ResizeParams p = target_.params_for(x.shape, ptrs);
    const cpu::ResizePlan plan = cpu::plan_resize(x.shape, p);
    const std::vector<int64_t> key = {x.shape[0], x.shape[1], x.shape[2], x.shape[3], plan.out_h, plan.out_w};
    if (!resize_ || key != key_) {
      resize_ = std::make_unique<cuda::Resize>(x.shape, p, stream);
      key_ = key;
    }
    float* y = out[0]->resize(resize_->output_shape());
    resize_->run(x.data.data(), y, stream);
  }

 private:
  ResizeTarget target_;
  std::unique_ptr<cuda::Resize> resize_;
  std::vector<int64_t> key_;
};

class GlobalAveragePoolStep : public CudaStep {
 public:
  void run(const DeviceInputs& in, const DeviceOutputs& out, cudaStream_t stream) override {
    const DeviceTensor& x = float_input(in, 0, "GlobalAveragePool input");
    if (x.shape.size() < 3) throw Error("GlobalAveragePool expects N x C x spatial..., got " + cpu::shape_string(x.shape));
    std::vector<int64_t> shape(x.shape.size(), 1);
    shape[0] = x.shape[0];
    shape[1] = x.shape[1];
    float* y = out[0]->resize(shape);
    cuda::global_average_pool(x.data.data(), x.shape, y, stream);
  }
};

class GridSampleStep : public CudaStep {
 public:
  explicit GridSampleStep(cpu::GridSampleParams p) : p_(p) {}
  void run(const DeviceInputs& in, const DeviceOutputs& out, cudaStream_t stream) override {
    const DeviceTensor& x = float_input(in, 0, "GridSample input");
    const DeviceTensor& grid = float_input(in, 1, "GridSample grid");
    if (x.shape.size() != 4 || grid.shape.size() != 4)
      throw Error("GridSample: input " + cpu::shape_string(x.shape) + " and grid " + cpu::shape_string(grid.shape) +
                  " must be 4-D");
    float* y = out[0]->resize({x.shape[0], x.shape[1], grid.shape[1], grid.shape[2]});
    cuda::grid_sample(x.data.data(), x.shape, grid.data.data(), grid.shape, p_, y, stream);
  }

 private:
  cpu::GridSampleParams p_;
};

// Identity: a device copy (float) or the host ints.
class IdentityStep : public CudaStep {
 public:
  void run(const DeviceInputs& in, const DeviceOutputs& out, cudaStream_t stream) override {
    if (in.empty() || !in[0]) throw Error("Identity input is missing");
    if (in[0]->is_int) {
      out[0]->shape = in[0]->shape;
      out[0]->is_int = true;
      out[0]->ints = in[0]->ints;
      return;
    }
    float* y = out[0]->resize(in[0]->shape);
    cuda::check(cudaMemcpyAsync(y, in[0]->data.data(), in[0]->numel() * sizeof(float), cudaMemcpyDeviceToDevice, stream),
                "Identity copy");
  }
};

std::unique_ptr<Op> host_op(const GraphNode& node, const PreparedGraph& p) {
  return make_op(node, p.lookup(), OpOptions{false, {}, {}});
}

}  // namespace

bool conv_runs_on_cudnn(const cpu::ConvParams& p) { return p.pad_top == p.pad_bottom && p.pad_left == p.pad_right; }

std::unique_ptr<CudaStep> make_cuda_step(const GraphNode& node, const PreparedGraph& p, const Fusion& f,
                                         cuda::ConvPrecision precision, cudaStream_t stream) {
  const std::string& t = node.op_type;
  const ConstantLookup constants = p.lookup();
  if (t == "Conv" || t == "ConvTranspose") {
    cpu::Activation act;
    if (auto it = f.activation.find(&node); it != f.activation.end()) act = it->second;
    const cpu::ConvLayer layer = conv_layer_of(node, constants, act);
    // cuDNN takes symmetric padding only: other convolutions run their CPU reference.
    if (conv_runs_on_cudnn(layer.params))
      return std::make_unique<ConvStep>(layer, t == "ConvTranspose",
                                        f.residual_of.count(&node) != 0, precision, stream);
    return std::make_unique<HostStep>(make_op(node, constants, OpOptions{false, act, {}}));  // never residual-fused
  }
  cpu::Activation act;
  if (t != "Conv" && t != "ConvTranspose" && activation_of(node, constants, act))
    return std::make_unique<ActivationStep>(std::move(act), stream);
  if (t == "Add") return std::make_unique<BinaryStep>(cpu::BinaryOp::Add, host_op(node, p));
  if (t == "Sub") return std::make_unique<BinaryStep>(cpu::BinaryOp::Sub, host_op(node, p));
  if (t == "Mul") return std::make_unique<BinaryStep>(cpu::BinaryOp::Mul, host_op(node, p));
  if (t == "Div") return std::make_unique<BinaryStep>(cpu::BinaryOp::Div, host_op(node, p));
  if (t == "DepthToSpace") {
    host_op(node, p);  // validates the attributes the same way the CPU backend does
    return std::make_unique<DepthToSpaceStep>(node.get_int("blocksize", 0), node.get_string("mode", "DCR") == "CRD"
                                                                                  ? cpu::DepthToSpaceMode::CRD
                                                                                  : cpu::DepthToSpaceMode::DCR);
  }
  if (t == "Concat") return std::make_unique<ConcatStep>(node.get_int("axis", 0), host_op(node, p));
  if (t == "Split")
    return std::make_unique<SplitStep>(node.get_int("axis", 0), IntList(node, 1, "split", constants), host_op(node, p));
  if (t == "Transpose") return std::make_unique<TransposeStep>(node.get_ints("perm", {}), host_op(node, p));
  if (t == "Resize") return std::make_unique<ResizeStep>(resize_target_of(node, constants));
  if (t == "GlobalAveragePool") return std::make_unique<GlobalAveragePoolStep>();
  if (t == "GridSample") return std::make_unique<GridSampleStep>(grid_sample_params_of(node));
  if (t == "Identity") return std::make_unique<IdentityStep>();
  return std::make_unique<HostStep>(host_op(node, p));
}

}  // namespace vsr
