// The CUDA network: graph_prep's order, fusions and slots, each step a CudaStep on one stream, the
// tensors between steps in device memory (slots keep their capacity between frames). Host tensors go
// in and come out (one upload of the input, one download of the output per run), so the engine's
// tiling, multi-frame stacking and colour code serve both backends.
#include "cuda_network.h"

#include <algorithm>
#include <chrono>
#include <map>

#include "cuda_frames.h"
#include "cuda_steps.h"
#include "kernels/cuda/colour.h"
#include "kernels/cuda/elementwise.h"
#include "ops_common.h"
#include "vsr/error.h"

namespace vsr {
namespace {

class CudaNetwork : public Network {
 public:
  CudaNetwork(const Graph& g, const EngineOptions& options) : graph_(g), prepared_(prepare_graph(g)) {
    int devices = 0;
    cuda::check(cudaGetDeviceCount(&devices), "cudaGetDeviceCount");
    if (options.device_id >= devices)
      throw Error("model '" + g.path + "': CUDA device " + std::to_string(options.device_id) + " does not exist (" +
                  std::to_string(devices) + " found)");
    cuda::check(cudaSetDevice(options.device_id), "cudaSetDevice");
    stream_ = std::make_unique<cuda::Stream>();
    precision_ = options.precision == "fp32" ? cuda::ConvPrecision::Fp32 : cuda::ConvPrecision::Fp16;
    const PreparedGraph& p = prepared_;
    fuse_activations(p, fusion_);
    fuse_residuals(p, fusion_, [&](const GraphNode& n) {
      cpu::Activation none;
      return conv_runs_on_cudnn(conv_layer_of(n, p.lookup(), none).params);
    });
    const std::vector<PlannedStep> planned = plan_steps(p, fusion_);
    std::vector<StepTensors> tensors;
    for (const PlannedStep& s : planned) {
      nodes_.push_back(s.node);
      tensors.push_back(s.tensors);
    }
    const SlotPlan slots = assign_slots(p, fusion_, tensors);
    slots_.resize(static_cast<size_t>(slots.slot_count));
    input_slot_ = slots.input_slot.at(g.input);
    if (!g.state_input.empty()) state_input_slot_ = slots.input_slot.at(g.state_input);
    output_slot_ = slots.output_slot;
    state_output_slot_ = slots.state_output_slot;
    const std::string where = "model '" + g.path + "'";
    for (size_t i = 0; i < nodes_.size(); ++i) {
      Step step;
      step.node = nodes_[i];
      step.input_slots = slots.step_inputs[i];
      step.output_slots = slots.step_outputs[i];
      for (const auto& in : tensors[i].inputs) step.constants.push_back(in.empty() ? nullptr : device_constant(in));
      try {
        step.work = make_cuda_step(*nodes_[i], p, fusion_, precision_, stream_->get());
      } catch (const Error& e) {
        throw Error(where + ": " + with_node_label(*nodes_[i], e.what()));
      }
      if (!step.work->on_device()) host_steps_.push_back(nodes_[i]->label());
      steps_.push_back(std::move(step));
    }
  }

  ~CudaNetwork() override {
    if (graph_exec_) cudaGraphExecDestroy(graph_exec_);
  }

  const cpu::Tensor& run(const cpu::Tensor& input, const cpu::Tensor* state) override {
    if ((state != nullptr) != (state_input_slot_ >= 0))
      throw Error("model '" + graph_.path + "': " +
                  (state ? std::string("is not recurrent but was given a state")
                         : "is recurrent and needs its state input '" + graph_.state_input + "'"));
    cudaStream_t s = stream_->get();
    upload(input, slots_[input_slot_], s);
    if (state) upload(*state, slots_[state_input_slot_], s);
    run_steps(s);
    download(slots_[output_slot_], output_, s);
    if (state_output_slot_ >= 0) download(slots_[state_output_slot_], state_output_, s);
    return output_;
  }

  // One upload of the frame's own planes, colour conversion, network and conversion back on the
  // device, one download of the output planes: no float tensor crosses the bus.
  bool run_frame(const Frame& in, const Frame& out, float range_scale, float range_offset) override {
    if (state_input_slot_ >= 0) return false;  // recurrent: the engine carries the state
    cudaStream_t s = stream_->get();
    const Frame& in_view = in.on_device ? in : in_staging_.upload(in, s);
    const Frame& out_view = out.on_device ? out : out_staging_.device_like(out);
    DeviceTensor& x = slots_[input_slot_];
    cuda::frame_to_planar_rgb(in_view, x.resize({1, 3, in.height, in.width}), s);
    cuda::affine(x.data.data(), x.numel(), range_scale, range_offset, s);
    run_steps(s);
    DeviceTensor& y = slots_[output_slot_];
    if (y.is_int || y.shape != std::vector<int64_t>{1, 3, out.height, out.width})
      throw Error("model '" + graph_.path + "': output " + cpu::shape_string(y.shape) + " does not fit a " +
                  std::to_string(out.width) + "x" + std::to_string(out.height) + " RGB frame");
    cuda::affine(y.data.data(), y.numel(), 1.0f / range_scale, -range_offset / range_scale, s);
    cuda::planar_rgb_to_frame(y.data.data(), out_view, &in_view, s);
    if (out.on_device)
      stream_->synchronize();  // GStreamer 1.22's CUDA memory carries no stream: finish before handing it on
    else
      out_staging_.download(out, s);
    return true;
  }

  // The per-frame launch sequence as a CUDA graph: the first run at a new shape runs step by step
  // (allocating, choosing algorithms, building tables), the second is captured, and every later run
  // at that shape is one graph launch. Networks with host steps (which synchronise) run step by step.
  void run_steps(cudaStream_t s) {
    std::vector<std::vector<int64_t>> shapes = {slots_[input_slot_].shape};
    if (state_input_slot_ >= 0) shapes.push_back(slots_[state_input_slot_].shape);
    if (!host_steps_.empty() || profiling_ || !graphs_work_) return run_each_step(s);
    if (graph_exec_ && shapes == graph_shapes_) {
      cuda::check(cudaGraphLaunch(graph_exec_, s), "cudaGraphLaunch");
      return;
    }
    if (shapes != last_shapes_) {
      last_shapes_ = shapes;
      return run_each_step(s);
    }
    cuda::check(cudaStreamBeginCapture(s, cudaStreamCaptureModeRelaxed), "cudaStreamBeginCapture");
    cudaGraph_t graph = nullptr;
    bool captured = true;
    try {
      run_each_step(s);
    } catch (const Error&) {
      captured = false;  // a step that cannot be captured (it synchronises): no graphs for this network
    }
    const cudaError_t ended = cudaStreamEndCapture(s, &graph);
    if (!captured || ended != cudaSuccess) {
      cudaGetLastError();
      if (graph) cudaGraphDestroy(graph);
      graphs_work_ = false;
      return run_each_step(s);  // a genuine step error surfaces here
    }
    if (graph_exec_) cudaGraphExecDestroy(graph_exec_);
    graph_exec_ = nullptr;
    const cudaError_t made = cudaGraphInstantiate(&graph_exec_, graph, 0);
    cudaGraphDestroy(graph);
    cuda::check(made, "cudaGraphInstantiate");
    graph_shapes_ = shapes;
    cuda::check(cudaGraphLaunch(graph_exec_, s), "cudaGraphLaunch");  // the capture ran nothing
  }

  void run_each_step(cudaStream_t s) {
    for (Step& step : steps_) {
      ins_.clear();
      for (size_t i = 0; i < step.input_slots.size(); ++i)
        ins_.push_back(step.input_slots[i] >= 0 ? &slots_[step.input_slots[i]] : step.constants[i]);
      outs_.clear();
      for (int slot : step.output_slots) outs_.push_back(&slots_[slot]);
      const auto t0 = std::chrono::steady_clock::now();
      try {
        step.work->run(ins_, outs_, s);
        if (profiling_) {
          stream_->synchronize();
          step_ms_[&step - steps_.data()] +=
              std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        }
      } catch (const Error& e) {
        throw Error("model '" + graph_.path + "', " + with_node_label(*step.node, e.what()));
      }
    }
  }

  const cpu::Tensor& state_output() const override { return state_output_; }
  std::string backend() const override { return "cuda"; }
  std::string precision() const override { return precision_ == cuda::ConvPrecision::Fp16 ? "fp16" : "fp32"; }
  std::string step_summary() const override {
    std::string s = std::to_string(steps_.size()) + " (" + std::to_string(fusion_.activation.size()) +
                    " activations fused, " + std::to_string(fusion_.residual_of.size()) +
                    " residual adds fused), buffers: " + std::to_string(slots_.size());
    s += host_steps_.empty() ? "; replayed as a CUDA graph" : "";
    if (!host_steps_.empty()) {
      s += "; on the host (no CUDA kernel yet, so no CUDA graph):";
      for (const auto& l : host_steps_) s += " " + l;
    }
    return s;
  }
  std::vector<std::string> op_types() const override {
    std::vector<std::string> types;
    for (const Step& s : steps_)
      if (std::find(types.begin(), types.end(), s.node->op_type) == types.end()) types.push_back(s.node->op_type);
    return types;
  }
  size_t working_bytes() const override {
    size_t bytes = 0;
    for (const DeviceTensor& t : slots_) bytes += t.data.capacity() * sizeof(float);
    return bytes;
  }
  // At most 80% of the memory free on the device now (other processes, the pipeline's own buffers).
  double memory_budget_bytes(double requested) const override {
    size_t free = 0, total = 0;
    if (cudaMemGetInfo(&free, &total) != cudaSuccess) {
      cudaGetLastError();
      return requested;
    }
    return std::min(requested, 0.8 * static_cast<double>(free));
  }
  void set_profiling(bool on) override {
    profiling_ = on;
    step_ms_.assign(steps_.size(), 0.0);
  }
  std::vector<std::pair<std::string, double>> profile() const override {
    std::vector<std::pair<std::string, double>> out;
    for (size_t i = 0; i < step_ms_.size(); ++i) out.emplace_back(steps_[i].node->label(), step_ms_[i]);
    return out;
  }

 private:
  struct Step {
    const GraphNode* node = nullptr;
    std::unique_ptr<CudaStep> work;
    std::vector<int> input_slots;                  // -1: constant (see constants) or omitted
    std::vector<const DeviceTensor*> constants;
    std::vector<int> output_slots;
  };

  // A constant on the device (float) or the host (int64), uploaded once.
  const DeviceTensor* device_constant(const std::string& name) {
    const cpu::Tensor* c = prepared_.constant(name);
    if (!c) return nullptr;
    auto [it, fresh] = constants_.try_emplace(name);
    DeviceTensor& d = it->second;
    if (fresh) {
      d.shape = c->shape;
      d.is_int = c->is_int;
      if (c->is_int) {
        d.ints = c->ints;
      } else {
        d.data.upload(c->data, stream_->get());
        stream_->synchronize();
      }
    }
    return &d;
  }

  static void upload(const cpu::Tensor& h, DeviceTensor& d, cudaStream_t s) {
    d.resize(h.shape);
    d.data.upload(h.data.data(), h.data.size(), s);
  }
  static void download(const DeviceTensor& d, cpu::Tensor& h, cudaStream_t s) {
    if (d.is_int) throw Error("the network's output is an int64 tensor, not an image");
    h.is_int = false;
    h.ints.clear();
    h.shape = d.shape;
    h.data = d.data.download(static_cast<size_t>(d.numel()), s);  // waits for the stream
  }

  const Graph& graph_;
  PreparedGraph prepared_;
  Fusion fusion_;
  std::unique_ptr<cuda::Stream> stream_;
  cuda::ConvPrecision precision_ = cuda::ConvPrecision::Fp16;
  std::map<std::string, DeviceTensor> constants_;  // map nodes: stable addresses
  std::vector<const GraphNode*> nodes_;
  std::vector<Step> steps_;
  std::vector<DeviceTensor> slots_;
  std::vector<std::string> host_steps_;
  int input_slot_ = -1, state_input_slot_ = -1, output_slot_ = -1, state_output_slot_ = -1;
  DeviceInputs ins_;
  DeviceOutputs outs_;
  FrameStaging in_staging_, out_staging_;
  cpu::Tensor output_, state_output_;
  bool profiling_ = false;
  std::vector<double> step_ms_;
  cudaGraphExec_t graph_exec_ = nullptr;
  bool graphs_work_ = true;
  std::vector<std::vector<int64_t>> graph_shapes_, last_shapes_;
};

}  // namespace

std::unique_ptr<Network> make_cuda_network(const Graph& g, const EngineOptions& options) {
  return std::make_unique<CudaNetwork>(g, options);
}

}  // namespace vsr
