#include "execution_plan.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>

#include "kernels/cpu/conv_onednn.h"

#include "vsr/error.h"

namespace vsr {
namespace {

// Prefixes a node's label unless the message already names the node (builders name it themselves).
std::string with_label(const GraphNode& n, const std::string& message) {
  const std::string label = n.label();
  return message.compare(0, label.size(), label) == 0 ? message : label + ": " + message;
}

// A Constant node's value: the tensor form, or the scalar/list forms of opset 12+.
cpu::Tensor constant_value(const GraphNode& n, const std::string& where) {
  cpu::Tensor t;
  if (n.has("value")) return n.attributes.at("value").tensor;
  if (n.has("value_int") || n.has("value_ints")) {
    t.is_int = true;
    const bool scalar = n.has("value_int");
    t.ints = scalar ? std::vector<int64_t>{n.get_int("value_int", 0)} : n.get_ints("value_ints", {});
    if (!scalar) t.shape = {static_cast<int64_t>(t.ints.size())};
    return t;
  }
  if (n.has("value_float") || n.has("value_floats")) {
    const bool scalar = n.has("value_float");
    t.data = scalar ? std::vector<float>{n.get_float("value_float", 0.0f)} : n.attributes.at("value_floats").floats;
    if (!scalar) t.shape = {static_cast<int64_t>(t.data.size())};
    return t;
  }
  throw Error(where + ": " + n.label() + " has no value, value_int(s) or value_float(s) (other forms are not supported)");
}

}  // namespace

ExecutionPlan::ExecutionPlan(const Graph& g, bool use_onednn) : graph_(g) {
  const std::string where = "model '" + g.path + "'";
  auto constant = [&](const std::string& name) -> const cpu::Tensor* {
    if (auto it = folded_.find(name); it != folded_.end()) return &it->second;
    if (auto it = g.constants.find(name); it != g.constants.end()) return &it->second;
    return nullptr;
  };

  // Topological order over the nodes that depend on the input; constant-only nodes are folded now.
  std::set<std::string> available = {g.input};
  if (!g.state_input.empty()) available.insert(g.state_input);
  std::vector<const GraphNode*> pending;
  for (const auto& n : g.nodes) pending.push_back(&n);
  std::vector<const GraphNode*> order;
  while (!pending.empty()) {
    bool progressed = false;
    for (auto it = pending.begin(); it != pending.end();) {
      const GraphNode& n = **it;
      bool ready = true, all_constant = true;
      for (const auto& in : n.inputs) {
        if (in.empty() || constant(in)) continue;
        all_constant = false;
        if (!available.count(in)) ready = false;
      }
      if (!ready) {
        ++it;
        continue;
      }
      if (n.op_type == "Constant") {
        folded_[n.outputs.at(0)] = constant_value(n, where);
      } else if (all_constant) {
        std::vector<const cpu::Tensor*> ins;
        for (const auto& in : n.inputs) ins.push_back(in.empty() ? nullptr : constant(in));
        std::vector<cpu::Tensor*> outs;
        for (const auto& out : n.outputs) outs.push_back(&folded_[out]);  // map nodes: stable addresses
        try {
          auto op = make_op(n, constant, {false, {}, {}});
          op->run(ins, outs);
        } catch (const Error& e) {
          throw Error(where + ": " + with_label(n, e.what()));
        }
      } else {
        order.push_back(&n);
        for (const auto& out : n.outputs) available.insert(out);
      }
      it = pending.erase(it);
      progressed = true;
    }
    if (!progressed) {
      const GraphNode& stuck = *pending.front();
      for (const auto& in : stuck.inputs)
        if (!in.empty() && !constant(in) && !available.count(in))
          throw Error(where + ": " + stuck.label() + " reads tensor '" + in + "' that no node produces");
      throw Error(where + ": the graph has a cycle at " + stuck.label());
    }
  }
  for (const std::string* out : {&g.output, &g.state_output})
    if (!out->empty() && !available.count(*out)) throw Error(where + ": no node produces the output '" + *out + "'");

  // Readers per tensor, to decide fusion and when a slot can be reused.
  std::map<std::string, int> readers;
  for (const GraphNode* n : order)
    for (const auto& in : n->inputs) ++readers[in];

  // Fuse Conv/ConvTranspose -> activation when the activation is the output's only reader.
  std::map<const GraphNode*, cpu::Activation> fused_into;
  std::set<const GraphNode*> absorbed;
  std::map<std::string, std::string> renamed;  // activation output -> conv output it replaces
  for (size_t i = 0; i + 1 < order.size(); ++i) {
    const GraphNode* conv = order[i];
    const bool is_conv = conv->op_type == "Conv" || conv->op_type == "ConvTranspose";
    if (!is_conv || conv->outputs.at(0) == g.output || conv->outputs[0] == g.state_output ||
        readers[conv->outputs[0]] != 1)
      continue;
    for (size_t j = i + 1; j < order.size(); ++j) {
      const GraphNode* act = order[j];
      if (act->inputs.empty() || act->inputs[0] != conv->outputs[0]) continue;
      cpu::Activation a;
      if (activation_of(*act, constant, a)) {
        fused_into[conv] = a;
        absorbed.insert(act);
        renamed[act->outputs.at(0)] = conv->outputs[0];
        ++fused_;
      }
      break;
    }
  }
  auto resolve = [&](std::string name) {
    while (renamed.count(name)) name = renamed[name];
    return name;
  };
  // Chain oneDNN convolutions: a Conv whose (activated) output is read only by the next Conv runs
  // inside that Conv's op, so the tensor between them never leaves oneDNN's blocked layout.
  std::map<const GraphNode*, std::vector<FusedConv>> chain_before;
  std::map<const GraphNode*, std::string> residual_of;  // Conv -> the residual its fused Add adds
  if (use_onednn) {
    std::map<std::string, int> readers_after_fusion;
    std::map<std::string, const GraphNode*> producer;
    for (const GraphNode* n : order) {
      if (absorbed.count(n)) continue;
      for (const auto& in : n->inputs) ++readers_after_fusion[resolve(in)];
      for (const auto& out : n->outputs) producer[out] = n;
    }
    ++readers_after_fusion[resolve(g.output)];
    if (!g.state_output.empty()) ++readers_after_fusion[resolve(g.state_output)];
    for (const GraphNode* n : order) {
      // Only Conv consumers: chaining convolutions into a ConvTranspose measured slower (FSRCNN with
      // its 9x9 deconvolution at 960x540: 97-99 ms chained, 91-92 ms not; docs/BENCHMARKS.md).
      if (n->op_type != "Conv" || absorbed.count(n) || n->inputs.empty()) continue;
      const std::string in = resolve(n->inputs[0]);
      auto p = producer.find(in);
      if (p == producer.end() || p->second->op_type != "Conv" || readers_after_fusion[in] != 1) continue;
      const GraphNode* prev = p->second;
      cpu::Activation prev_act;
      if (auto f = fused_into.find(prev); f != fused_into.end()) prev_act = f->second;
      cpu::ConvParams prev_params;
      prev_params.activation = prev_act;
      if (!cpu::OnednnConv::chainable_inside(prev_params)) continue;
      std::vector<FusedConv> chain = std::move(chain_before[prev]);
      chain_before.erase(prev);
      chain.push_back({prev, prev_act});
      chain_before[n] = std::move(chain);
      absorbed.insert(prev);
      ++chained_;
    }
    // Residual Add: when only an Add reads a Conv's (activated) output and the Add's other operand
    // exists before the Conv runs, the Conv adds it inside oneDNN (sum post-op) and the Add goes.
    std::map<const GraphNode*, size_t> position;
    for (size_t i = 0; i < order.size(); ++i) position[order[i]] = i;
    for (const GraphNode* add : order) {
      if (add->op_type != "Add" || add->inputs.size() != 2) continue;
      for (int k = 0; k < 2; ++k) {
        const std::string mine = resolve(add->inputs[k]), other = resolve(add->inputs[1 - k]);
        auto p = producer.find(mine);
        if (p == producer.end() || p->second->op_type != "Conv" || absorbed.count(p->second)) continue;
        const GraphNode* conv = p->second;
        if (residual_of.count(conv) || readers_after_fusion[mine] != 1 || other.empty() || other == mine ||
            constant(other))
          continue;
        // A per-channel PRelu runs after the oneDNN primitive, so it would come after the sum.
        if (auto f = fused_into.find(conv); f != fused_into.end() && f->second.kind == cpu::ActivationKind::PRelu)
          continue;
        auto q = producer.find(other);  // none: a graph input
        if (q != producer.end() && position[q->second] > position[conv]) continue;
        residual_of[conv] = other;
        absorbed.insert(add);
        renamed[add->outputs.at(0)] = mine;
        ++residual_adds_;
        break;
      }
    }
  }
  // The inputs a step reads: a chained Conv reads its chain's first input; a Conv with a fused
  // residual Add reads the residual last.
  auto step_inputs = [&](const GraphNode* n) {
    auto it = chain_before.find(n);
    std::vector<std::string> ins = it == chain_before.end() ? n->inputs : it->second.front().node->inputs;
    if (auto r = residual_of.find(n); r != residual_of.end()) ins.push_back(r->second);
    return ins;
  };

  std::map<std::string, int> remaining;
  for (const GraphNode* n : order)
    if (!absorbed.count(n))
      for (const auto& in : step_inputs(n)) ++remaining[resolve(in)];
  ++remaining[resolve(g.output)];  // the outputs are read after the last step
  if (!g.state_output.empty()) ++remaining[resolve(g.state_output)];

  // Slot assignment with reuse: a tensor's slot returns to the free list after its last reader.
  std::map<std::string, int> slot_of;
  std::vector<int> free_slots;
  auto take_slot = [&]() {
    if (!free_slots.empty()) {
      int s = free_slots.back();
      free_slots.pop_back();
      return s;
    }
    slots_.emplace_back();
    return static_cast<int>(slots_.size()) - 1;
  };
  input_slot_ = take_slot();
  slot_of[g.input] = input_slot_;
  if (!g.state_input.empty()) {
    state_input_slot_ = take_slot();
    slot_of[g.state_input] = state_input_slot_;
  }
  for (const GraphNode* n : order) {
    if (absorbed.count(n)) continue;
    Step step{n, nullptr, {}, {}, {}};
    OpOptions opts{use_onednn, {}, {}};
    if (auto it = fused_into.find(n); it != fused_into.end()) opts.fused = it->second;
    if (auto it = chain_before.find(n); it != chain_before.end()) opts.chain_before = it->second;
    opts.residual_add = residual_of.count(n) != 0;
    try {
      step.op = make_op(*n, constant, opts);
    } catch (const Error& e) {
      throw Error(where + ": " + with_label(*n, e.what()));
    }
    for (const auto& raw : step_inputs(n)) {
      const std::string in = resolve(raw);
      const cpu::Tensor* c = in.empty() ? nullptr : constant(in);
      step.constant_inputs.push_back(c);
      step.input_slots.push_back(c || in.empty() ? -1 : slot_of.at(in));
    }
    // Take the output slots before releasing inputs: ops never run in place.
    for (const auto& out : n->outputs) {
      step.output_slots.push_back(take_slot());
      if (!out.empty()) slot_of[out] = step.output_slots.back();
    }
    for (const auto& raw : step_inputs(n)) {
      const std::string in = resolve(raw);
      if (in.empty() || constant(in)) continue;
      if (--remaining[in] == 0 && in != g.input && in != g.state_input) free_slots.push_back(slot_of.at(in));
    }
    // Outputs nobody reads (a Split part a model ignores) give their slot back at once.
    for (size_t i = 0; i < n->outputs.size(); ++i) {
      auto it = remaining.find(n->outputs[i]);
      if (n->outputs[i].empty() || it == remaining.end() || it->second == 0) free_slots.push_back(step.output_slots[i]);
    }
    steps_.push_back(std::move(step));
  }
  output_slot_ = slot_of.at(resolve(g.output));
  if (!g.state_output.empty()) state_output_slot_ = slot_of.at(resolve(g.state_output));
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
      throw Error("model '" + graph_.path + "', " + with_label(*s.node, e.what()));
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

std::vector<std::string> ExecutionPlan::op_types() const {
  std::vector<std::string> types;
  for (const auto& s : steps_)
    if (std::find(types.begin(), types.end(), s.node->op_type) == types.end()) types.push_back(s.node->op_type);
  return types;
}

}  // namespace vsr
