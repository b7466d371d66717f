#include "execution_plan.h"

#include <algorithm>
#include <map>
#include <set>

#include "vsr/error.h"

namespace vsr {

ExecutionPlan::ExecutionPlan(const Graph& g, bool use_onednn) : graph_(g) {
  const std::string where = "model '" + g.path + "'";
  auto constant = [&](const std::string& name) -> const cpu::Tensor* {
    if (auto it = folded_.find(name); it != folded_.end()) return &it->second;
    if (auto it = g.constants.find(name); it != g.constants.end()) return &it->second;
    return nullptr;
  };

  // Topological order over the nodes that depend on the input; constant-only nodes are folded now.
  std::set<std::string> available = {g.input};
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
        if (!n.has("value")) throw Error(where + ": " + n.label() + " has no tensor 'value' (only that form is supported)");
        folded_[n.outputs.at(0)] = n.attributes.at("value").tensor;
      } else if (all_constant) {
        std::vector<const cpu::Tensor*> ins;
        for (const auto& in : n.inputs) ins.push_back(in.empty() ? nullptr : constant(in));
        auto op = make_op(n, constant, {false, {}});
        op->run(ins, folded_[n.outputs.at(0)]);
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
  if (!available.count(g.output)) throw Error(where + ": no node produces the output '" + g.output + "'");

  // Readers per tensor, to decide fusion and when a slot can be reused.
  std::map<std::string, int> readers;
  for (const GraphNode* n : order)
    for (const auto& in : n->inputs) ++readers[in];

  // Fuse Conv -> activation when the activation is the conv output's only reader.
  std::map<const GraphNode*, cpu::Activation> fused_into;
  std::set<const GraphNode*> absorbed;
  std::map<std::string, std::string> renamed;  // activation output -> conv output it replaces
  for (size_t i = 0; i + 1 < order.size(); ++i) {
    const GraphNode* conv = order[i];
    if (conv->op_type != "Conv" || conv->outputs.at(0) == g.output || readers[conv->outputs[0]] != 1) continue;
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
  std::map<std::string, int> remaining;
  for (const GraphNode* n : order)
    if (!absorbed.count(n))
      for (const auto& in : n->inputs) ++remaining[resolve(in)];
  ++remaining[resolve(g.output)];  // the output is read after the last step

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
  for (const GraphNode* n : order) {
    if (absorbed.count(n)) continue;
    Step step{n, nullptr, {}, {}, -1};
    OpOptions opts{use_onednn, {}};
    if (auto it = fused_into.find(n); it != fused_into.end()) opts.fused = it->second;
    step.op = make_op(*n, constant, opts);
    for (const auto& raw : n->inputs) {
      const std::string in = resolve(raw);
      const cpu::Tensor* c = in.empty() ? nullptr : constant(in);
      step.constant_inputs.push_back(c);
      step.input_slots.push_back(c || in.empty() ? -1 : slot_of.at(in));
    }
    if (n->outputs.size() != 1) throw Error(where + ": " + n->label() + " has several outputs (not supported)");
    // Take the output slot before releasing inputs: ops never run in place.
    step.output_slot = take_slot();
    slot_of[n->outputs[0]] = step.output_slot;
    for (const auto& raw : n->inputs) {
      const std::string in = resolve(raw);
      if (in.empty() || constant(in)) continue;
      if (--remaining[in] == 0 && in != g.input) free_slots.push_back(slot_of.at(in));
    }
    steps_.push_back(std::move(step));
  }
  output_slot_ = slot_of.at(resolve(g.output));
}

const cpu::Tensor& ExecutionPlan::run(const cpu::Tensor& input) {
  slots_[input_slot_] = input;
  std::vector<const cpu::Tensor*> ins;
  for (auto& s : steps_) {
    ins.clear();
    for (size_t i = 0; i < s.input_slots.size(); ++i)
      ins.push_back(s.input_slots[i] >= 0 ? &slots_[s.input_slots[i]] : s.constant_inputs[i]);
    try {
      s.op->run(ins, slots_[s.output_slot]);
    } catch (const Error& e) {
      throw Error("model '" + graph_.path + "', " + s.node->label() + ": " + e.what());
    }
  }
  return slots_[output_slot_];
}

std::vector<std::string> ExecutionPlan::op_types() const {
  std::vector<std::string> types;
  for (const auto& s : steps_)
    if (std::find(types.begin(), types.end(), s.node->op_type) == types.end()) types.push_back(s.node->op_type);
  return types;
}

}  // namespace vsr
