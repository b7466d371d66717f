#include "execution_plan.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>

#include "kernels/cpu/conv_onednn.h"

#include "vsr/error.h"

namespace vsr {

ExecutionPlan::ExecutionPlan(const Graph& g, bool use_onednn) : graph_(g), prepared_(prepare_graph(g)) {
  const std::string where = "model '" + g.path + "'";
  const PreparedGraph& p = prepared_;
  const ConstantLookup constant = p.lookup();
  Fusion f;
  fuse_activations(p, f);
  fused_ = static_cast<int>(f.activation.size());

  // Chain oneDNN convolutions: a Conv whose (activated) output is read only by the next Conv runs
  // inside that Conv's op, so the tensor between them never leaves oneDNN's blocked layout.
  std::map<const GraphNode*, std::vector<FusedConv>> chain_before;
  if (use_onednn) {
    const std::map<std::string, int> readers = readers_after_fusion(p, f);
    std::map<std::string, const GraphNode*> producer;
    for (const GraphNode* n : p.order)
      if (!f.absorbed(n))
        for (const auto& out : n->outputs) producer[out] = n;
    for (const GraphNode* n : p.order) {
      // Only Conv consumers: chaining convolutions into a ConvTranspose measured slower (FSRCNN with
      // its 9x9 deconvolution at 960x540: 97-99 ms chained, 91-92 ms not; docs/BENCHMARKS.md).
      if (n->op_type != "Conv" || f.absorbed(n) || n->inputs.empty()) continue;
      const std::string in = f.resolve(n->inputs[0]);
      auto it = producer.find(in);
      if (it == producer.end() || it->second->op_type != "Conv" || readers.at(in) != 1) continue;
      const GraphNode* prev = it->second;
      cpu::Activation prev_act;
      if (auto a = f.activation.find(prev); a != f.activation.end()) prev_act = a->second;
      cpu::ConvParams prev_params;
      prev_params.activation = prev_act;
      if (!cpu::OnednnConv::chainable_inside(prev_params)) continue;
      std::vector<FusedConv> chain = std::move(chain_before[prev]);
      chain_before.erase(prev);
      chain.push_back({prev, prev_act});
      chain_before[n] = std::move(chain);
      f.chained.insert(prev);
      ++chained_;
    }
    fuse_residuals(p, f);
    residual_adds_ = static_cast<int>(f.residual_of.size());
  }

  // A chained Conv reads its chain's first input.
  const std::vector<PlannedStep> planned = plan_steps(p, f, [&](const GraphNode* n) -> const std::vector<std::string>* {
    auto chain = chain_before.find(n);
    return chain == chain_before.end() ? nullptr : &chain->second.front().node->inputs;
  });
  std::vector<StepTensors> tensors;
  for (const PlannedStep& s : planned) tensors.push_back(s.tensors);
  const SlotPlan slots = assign_slots(p, f, tensors);
  slots_.resize(static_cast<size_t>(slots.slot_count));
  input_slot_ = slots.input_slot.at(g.input);
  if (!g.state_input.empty()) state_input_slot_ = slots.input_slot.at(g.state_input);
  output_slot_ = slots.output_slot;
  state_output_slot_ = slots.state_output_slot;
  for (size_t i = 0; i < planned.size(); ++i) {
    const GraphNode* n = planned[i].node;
    Step step{n, nullptr, slots.step_inputs[i], {}, slots.step_outputs[i]};
    OpOptions opts{use_onednn, {}, {}};
    if (auto it = f.activation.find(n); it != f.activation.end()) opts.fused = it->second;
    if (auto it = chain_before.find(n); it != chain_before.end()) opts.chain_before = it->second;
    opts.residual_add = f.residual_of.count(n) != 0;
    try {
      step.op = make_op(*n, constant, opts);
    } catch (const Error& e) {
      throw Error(where + ": " + with_node_label(*n, e.what()));
    }
    for (const auto& in : tensors[i].inputs) step.constant_inputs.push_back(in.empty() ? nullptr : p.constant(in));
    steps_.push_back(std::move(step));
  }
}

const cpu::Tensor& ExecutionPlan::run(const cpu::Tensor& input, const cpu::Tensor* state) {
  if ((state != nullptr) != (state_input_slot_ >= 0))
    throw Error("model '" + graph_.path + "': " +
                (state ? std::string("is not recurrent but was given a state") : "is recurrent and needs its state input '" + graph_.state_input + "'"));
  slots_[input_slot_] = input;
  if (state) slots_[state_input_slot_] = *state;
  std::vector<const cpu::Tensor*>& ins = step_inputs_;
  std::vector<cpu::Tensor*>& outs = step_outputs_;
  for (auto& s : steps_) {
    ins.clear();
    for (size_t i = 0; i < s.input_slots.size(); ++i)
      ins.push_back(s.input_slots[i] >= 0 ? &slots_[s.input_slots[i]] : s.constant_inputs[i]);
    outs.clear();
    for (int slot : s.output_slots) {
      // A reused slot may hold an int64 shape tensor from an earlier step: hand it over as float.
      cpu::Tensor& t = slots_[slot];
      t.is_int = false;
      t.ints.clear();
      outs.push_back(&t);
    }
    const auto t0 = profiling_ ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point{};
    try {
      if (outs.size() == 1)
        s.op->run(ins, *outs[0]);
      else
        s.op->run(ins, outs);
      if (profiling_)
        step_ms_[&s - steps_.data()] +=
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    } catch (const Error& e) {
      throw Error("model '" + graph_.path + "', " + with_node_label(*s.node, e.what()));
    }
  }
  return slots_[output_slot_];
}

void ExecutionPlan::set_profiling(bool on) {
  profiling_ = on;
  step_ms_.assign(steps_.size(), 0.0);
}

std::vector<std::pair<std::string, double>> ExecutionPlan::profile() const {
  std::vector<std::pair<std::string, double>> out;
  for (size_t i = 0; i < step_ms_.size(); ++i) out.emplace_back(steps_[i].node->label(), step_ms_[i]);
  return out;
}

std::string ExecutionPlan::step_summary() const {
  return std::to_string(steps_.size()) + " (" + std::to_string(fused_) + " activations fused, " + std::to_string(chained_) +
         " convolutions chained, " + std::to_string(residual_adds_) + " residual adds fused), buffers: " +
         std::to_string(slots_.size());
}

std::vector<std::string> ExecutionPlan::op_types() const {
  std::vector<std::string> types;
  for (const auto& s : steps_)
    if (std::find(types.begin(), types.end(), s.node->op_type) == types.end()) types.push_back(s.node->op_type);
  return types;
}

}  // namespace vsr
