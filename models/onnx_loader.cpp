// ONNX file -> vsr::Graph, through Debian's libonnx (protobuf). Everything a later frame could trip
// over is checked here, so a bad model fails at load with the node or tensor named.
#include <onnx/checker.h>
#include <onnx/onnx_pb.h>

#include <cstring>
#include <fstream>
#include <set>

#include "graph.h"
#include "op_registry.h"
#include "vsr/error.h"

namespace vsr {
namespace {

cpu::Tensor to_tensor(const onnx::TensorProto& t, const std::string& where) {
  cpu::Tensor out;
  out.shape.assign(t.dims().begin(), t.dims().end());
  const size_t n = static_cast<size_t>(out.numel());
  switch (t.data_type()) {
    case onnx::TensorProto::FLOAT:
      out.data.resize(n);
      if (t.has_raw_data()) {
        if (t.raw_data().size() != n * sizeof(float))
          throw Error(where + ": tensor '" + t.name() + "' holds " + std::to_string(t.raw_data().size()) +
                      " bytes, its shape " + cpu::shape_string(out.shape) + " needs " + std::to_string(n * 4));
        std::memcpy(out.data.data(), t.raw_data().data(), n * sizeof(float));
      } else {
        if (static_cast<size_t>(t.float_data_size()) != n)
          throw Error(where + ": tensor '" + t.name() + "' has " + std::to_string(t.float_data_size()) +
                      " values, its shape " + cpu::shape_string(out.shape) + " needs " + std::to_string(n));
        out.data.assign(t.float_data().begin(), t.float_data().end());
      }
      break;
    case onnx::TensorProto::INT64:
    case onnx::TensorProto::INT32:
      out.is_int = true;
      out.ints.resize(n);
      if (t.has_raw_data()) {
        const size_t width = t.data_type() == onnx::TensorProto::INT64 ? 8 : 4;
        if (t.raw_data().size() != n * width)
          throw Error(where + ": integer tensor '" + t.name() + "' has the wrong byte size");
        for (size_t i = 0; i < n; ++i) {
          if (width == 8) {
            std::memcpy(&out.ints[i], t.raw_data().data() + i * 8, 8);
          } else {
            int32_t v;
            std::memcpy(&v, t.raw_data().data() + i * 4, 4);
            out.ints[i] = v;
          }
        }
      } else if (t.data_type() == onnx::TensorProto::INT64) {
        out.ints.assign(t.int64_data().begin(), t.int64_data().end());
      } else {
        out.ints.assign(t.int32_data().begin(), t.int32_data().end());
      }
      if (out.ints.size() != n) throw Error(where + ": integer tensor '" + t.name() + "' has the wrong value count");
      break;
    default:
      throw Error(where + ": tensor '" + t.name() + "' has data type " + std::to_string(t.data_type()) +
                  " (only float32, int64 and int32 are supported)");
  }
  return out;
}

NodeAttribute to_attribute(const onnx::AttributeProto& a, const std::string& where) {
  NodeAttribute out;
  out.i = a.i();
  out.f = a.f();
  out.s = a.s();
  out.ints.assign(a.ints().begin(), a.ints().end());
  out.floats.assign(a.floats().begin(), a.floats().end());
  if (a.has_t()) out.tensor = to_tensor(a.t(), where);
  return out;
}

std::vector<int64_t> value_shape(const onnx::ValueInfoProto& v) {
  std::vector<int64_t> shape;
  if (!v.type().has_tensor_type() || !v.type().tensor_type().has_shape()) return shape;
  for (const auto& d : v.type().tensor_type().shape().dim()) shape.push_back(d.has_dim_value() ? d.dim_value() : -1);
  return shape;
}

}  // namespace

Graph load_onnx_graph(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("cannot open model '" + path + "'");
  onnx::ModelProto model;
  if (!model.ParseFromIstream(&in)) throw Error("'" + path + "' is not a valid ONNX model (protobuf parse failed)");
  try {
    onnx::checker::check_model(model);
  } catch (const std::exception& e) {
    throw Error("model '" + path + "' failed ONNX validation: " + e.what());
  }

  Graph g;
  g.path = path;
  for (const auto& op : model.opset_import())
    if (op.domain().empty() || op.domain() == "ai.onnx") g.opset = op.version();
  if (g.opset > 17) throw Error("model '" + path + "' uses opset " + std::to_string(g.opset) + "; vsr supports up to 17");
  for (const auto& p : model.metadata_props()) g.metadata[p.key()] = p.value();

  const auto& graph = model.graph();
  for (const auto& t : graph.initializer()) g.constants[t.name()] = to_tensor(t, "model '" + path + "'");

  std::vector<std::string> inputs;
  for (const auto& v : graph.input()) {
    if (g.constants.count(v.name())) continue;  // old exporters list initializers as inputs too
    inputs.push_back(v.name());
    g.input_shape = value_shape(v);
  }
  if (inputs.size() != 1)
    throw Error("model '" + path + "' has " + std::to_string(inputs.size()) +
                " image inputs; single-frame models take exactly one");
  g.input = inputs[0];
  if (g.input_shape.size() != 4)
    throw Error("model '" + path + "': input '" + g.input + "' must be 4-D NCHW, its shape is " +
                cpu::shape_string(g.input_shape));
  if (graph.output_size() != 1)
    throw Error("model '" + path + "' has " + std::to_string(graph.output_size()) + " outputs; expected one image");
  g.output = graph.output(0).name();

  int unnamed = 0;
  for (const auto& n : graph.node()) {
    GraphNode node;
    node.op_type = n.op_type();
    node.name = n.name().empty() ? n.op_type() + "_" + std::to_string(unnamed++) : n.name();
    if (!n.domain().empty() && n.domain() != "ai.onnx")
      throw Error("model '" + path + "': " + node.label() + " is in domain '" + n.domain() + "', which vsr does not run");
    if (!is_supported_op(node.op_type))
      throw Error("model '" + path + "': unsupported op " + node.op_type + " at node '" + node.name + "'");
    node.inputs.assign(n.input().begin(), n.input().end());
    node.outputs.assign(n.output().begin(), n.output().end());
    for (const auto& a : n.attribute())
      node.attributes[a.name()] = to_attribute(a, "model '" + path + "', " + node.label());
    g.nodes.push_back(std::move(node));
  }
  return g;
}

}  // namespace vsr
