#include "graph_prep.h"

#include "vsr/error.h"

namespace vsr {
namespace {

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

std::string with_node_label(const GraphNode& n, const std::string& message) {
  const std::string label = n.label();
  return message.compare(0, label.size(), label) == 0 ? message : label + ": " + message;
}

const cpu::Tensor* PreparedGraph::constant(const std::string& name) const {
  if (auto it = folded.find(name); it != folded.end()) return &it->second;
  if (auto it = graph->constants.find(name); it != graph->constants.end()) return &it->second;
  return nullptr;
}

PreparedGraph prepare_graph(const Graph& g) {
  PreparedGraph p;
  p.graph = &g;
  const std::string where = "model '" + g.path + "'";
  // Topological order over the nodes that depend on the inputs; constant-only nodes are folded now.
  std::set<std::string> available = {g.input};
  if (!g.state_input.empty()) available.insert(g.state_input);
  std::vector<const GraphNode*> pending;
  for (const auto& n : g.nodes) pending.push_back(&n);
  const ConstantLookup constant = p.lookup();
  while (!pending.empty()) {
    bool progressed = false;
    for (auto it = pending.begin(); it != pending.end();) {
      const GraphNode& n = **it;
      bool ready = true, all_constant = true;
      for (const auto& in : n.inputs) {
        if (in.empty() || p.constant(in)) continue;
        all_constant = false;
        if (!available.count(in)) ready = false;
      }
      if (!ready) {
        ++it;
        continue;
      }
      if (n.op_type == "Constant") {
        p.folded[n.outputs.at(0)] = constant_value(n, where);
      } else if (all_constant) {
        std::vector<const cpu::Tensor*> ins;
        for (const auto& in : n.inputs) ins.push_back(in.empty() ? nullptr : p.constant(in));
        std::vector<cpu::Tensor*> outs;
        for (const auto& out : n.outputs) outs.push_back(&p.folded[out]);  // map nodes: stable addresses
        try {
          auto op = make_op(n, constant, {false, {}, {}});
          op->run(ins, outs);
        } catch (const Error& e) {
          throw Error(where + ": " + with_node_label(n, e.what()));
        }
      } else {
        p.order.push_back(&n);
        for (const auto& out : n.outputs) available.insert(out);
      }
      it = pending.erase(it);
      progressed = true;
    }
    if (!progressed) {
      const GraphNode& stuck = *pending.front();
      for (const auto& in : stuck.inputs)
        if (!in.empty() && !p.constant(in) && !available.count(in))
          throw Error(where + ": " + stuck.label() + " reads tensor '" + in + "' that no node produces");
      throw Error(where + ": the graph has a cycle at " + stuck.label());
    }
  }
  for (const std::string* out : {&g.output, &g.state_output})
    if (!out->empty() && !available.count(*out)) throw Error(where + ": no node produces the output '" + *out + "'");
  return p;
}

void fuse_activations(const PreparedGraph& p, Fusion& f) {
  const Graph& g = *p.graph;
  std::map<std::string, int> readers;
  for (const GraphNode* n : p.order)
    for (const auto& in : n->inputs) ++readers[in];
  const ConstantLookup constant = p.lookup();
  for (size_t i = 0; i + 1 < p.order.size(); ++i) {
    const GraphNode* conv = p.order[i];
    const bool is_conv = conv->op_type == "Conv" || conv->op_type == "ConvTranspose";
    if (!is_conv || conv->outputs.at(0) == g.output || conv->outputs[0] == g.state_output ||
        readers[conv->outputs[0]] != 1)
      continue;
    for (size_t j = i + 1; j < p.order.size(); ++j) {
      const GraphNode* act = p.order[j];
      if (act->inputs.empty() || act->inputs[0] != conv->outputs[0]) continue;
      cpu::Activation a;
      if (activation_of(*act, constant, a)) {
        f.activation[conv] = a;
        f.absorbed_activations.insert(act);
        f.renamed[act->outputs.at(0)] = conv->outputs[0];
      }
      break;
    }
  }
}

std::map<std::string, int> readers_after_fusion(const PreparedGraph& p, const Fusion& f) {
  const Graph& g = *p.graph;
  std::map<std::string, int> readers;
  // Chained and residual-fused nodes still read what they read (inside their step).
  for (const GraphNode* n : p.order) {
    if (f.absorbed_activations.count(n) || f.absorbed_adds.count(n)) continue;
    for (const auto& in : n->inputs) ++readers[f.resolve(in)];
  }
  for (const auto& [conv, residual] : f.residual_of) ++readers[residual];
  ++readers[f.resolve(g.output)];
  if (!g.state_output.empty()) ++readers[f.resolve(g.state_output)];
  return readers;
}

void fuse_residuals(const PreparedGraph& p, Fusion& f, const std::function<bool(const GraphNode&)>& may_fuse) {
  std::map<std::string, const GraphNode*> producer;
  std::map<const GraphNode*, size_t> position;
  for (size_t i = 0; i < p.order.size(); ++i) {
    position[p.order[i]] = i;
    if (f.absorbed(p.order[i])) continue;
    for (const auto& out : p.order[i]->outputs) producer[out] = p.order[i];
  }
  // Counted once: a fusion moves the Add's read of the residual into the Conv's step and hands the
  // Add's readers to the Conv's output, whose Conv is then taken.
  const std::map<std::string, int> readers = readers_after_fusion(p, f);
  for (const GraphNode* add : p.order) {
    if (add->op_type != "Add" || add->inputs.size() != 2 || f.absorbed(add)) continue;
    for (int k = 0; k < 2; ++k) {
      const std::string mine = f.resolve(add->inputs[k]), other = f.resolve(add->inputs[1 - k]);
      auto it = producer.find(mine);
      if (it == producer.end() || it->second->op_type != "Conv") continue;
      const GraphNode* conv = it->second;
      if (f.residual_of.count(conv) || readers.at(mine) != 1 || other.empty() || other == mine || p.constant(other))
        continue;
      if (may_fuse && !may_fuse(*conv)) continue;
      // A per-channel PRelu runs after the oneDNN primitive, so it would come after the sum.
      if (auto a = f.activation.find(conv); a != f.activation.end() && a->second.kind == cpu::ActivationKind::PRelu)
        continue;
      auto q = producer.find(other);  // none: a graph input
      if (q != producer.end() && position[q->second] > position[conv]) continue;
      f.residual_of[conv] = other;
      f.absorbed_adds.insert(add);
      f.renamed[add->outputs.at(0)] = mine;
      break;
    }
  }
}

std::vector<PlannedStep> plan_steps(const PreparedGraph& p, const Fusion& f,
                                    const std::function<const std::vector<std::string>*(const GraphNode*)>& inputs_of) {
  std::vector<PlannedStep> steps;
  for (const GraphNode* n : p.order) {
    if (f.absorbed(n)) continue;
    const std::vector<std::string>* other = inputs_of ? inputs_of(n) : nullptr;
    PlannedStep s{n, {other ? *other : n->inputs, n->outputs}};
    if (auto r = f.residual_of.find(n); r != f.residual_of.end()) s.tensors.inputs.push_back(r->second);
    for (auto& in : s.tensors.inputs) in = f.resolve(in);
    steps.push_back(std::move(s));
  }
  return steps;
}

SlotPlan assign_slots(const PreparedGraph& p, const Fusion& f, const std::vector<StepTensors>& steps) {
  const Graph& g = *p.graph;
  SlotPlan plan;
  std::map<std::string, int> remaining;
  for (const StepTensors& s : steps)
    for (const auto& in : s.inputs) ++remaining[in];
  ++remaining[f.resolve(g.output)];  // the outputs are read after the last step
  if (!g.state_output.empty()) ++remaining[f.resolve(g.state_output)];

  std::map<std::string, int> slot_of;
  std::vector<int> free_slots;
  auto take_slot = [&]() {
    if (!free_slots.empty()) {
      const int s = free_slots.back();
      free_slots.pop_back();
      return s;
    }
    return plan.slot_count++;
  };
  for (const std::string* in : {&g.input, &g.state_input}) {
    if (in->empty()) continue;
    plan.input_slot[*in] = slot_of[*in] = take_slot();
  }
  for (const StepTensors& s : steps) {
    std::vector<int> ins, outs;
    for (const auto& in : s.inputs) ins.push_back(in.empty() || p.constant(in) ? -1 : slot_of.at(in));
    // Take the output slots before releasing inputs: ops never run in place.
    for (const auto& out : s.outputs) {
      outs.push_back(take_slot());
      if (!out.empty()) slot_of[out] = outs.back();
    }
    for (const auto& in : s.inputs) {
      if (in.empty() || p.constant(in)) continue;
      if (--remaining[in] == 0 && !plan.input_slot.count(in)) free_slots.push_back(slot_of.at(in));
    }
    // Outputs nobody reads (a Split part a model ignores) give their slot back at once.
    for (size_t i = 0; i < s.outputs.size(); ++i) {
      auto it = remaining.find(s.outputs[i]);
      if (s.outputs[i].empty() || it == remaining.end() || it->second == 0) free_slots.push_back(outs[i]);
    }
    plan.step_inputs.push_back(std::move(ins));
    plan.step_outputs.push_back(std::move(outs));
  }
  plan.output_slot = slot_of.at(f.resolve(g.output));
  if (!g.state_output.empty()) plan.state_output_slot = slot_of.at(f.resolve(g.state_output));
  return plan;
}

}  // namespace vsr
