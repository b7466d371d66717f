// ONNX file -> vsr::Graph, through Debian's libonnx (protobuf). Everything a later frame could trip
// over is checked here, so a bad model fails at load with the node or tensor named. The file is
// untrusted: every size, count and dimension it states is bounded (model_limits in graph.h) before
// anything is allocated from it.
#include <onnx/checker.h>
#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>

#include "graph.h"
#include "kernels/cpu/tensor_limits.h"
#include "op_registry.h"
#include "vsr/error.h"

namespace vsr {
namespace {

namespace limits = model_limits;

// A name from the file, quoted and cut short: a hostile file may use megabyte names.
std::string in_quotes(const std::string& name) {
  constexpr size_t kShown = 120;
  return "'" + (name.size() <= kShown ? name : name.substr(0, kShown) + "...") + "'";
}

// Adds a tensor's decoded size to the running total of constant bytes; throws past the limit.
void charge_constant_bytes(int64_t bytes, int64_t& total, const std::string& what) {
  total += bytes;  // bytes <= 8 * kMaxElements and total <= kMaxConstantBytes before: no overflow
  if (total > limits::kMaxConstantBytes)
    throw Error(what + " brings the model's constants to " + std::to_string(total) +
                " bytes; vsr refuses models whose constants exceed 2 GiB");
}

cpu::Tensor to_tensor(const onnx::TensorProto& t, const std::string& where, int64_t& constant_bytes) {
  const std::string what = where + ": tensor " + in_quotes(t.name());
  if (t.data_location() == onnx::TensorProto::EXTERNAL)
    throw Error(what + " keeps its data in an external file; vsr reads self-contained models only");
  cpu::Tensor out;
  out.shape.assign(t.dims().begin(), t.dims().end());
  // Rank, every dimension and the element count are bounded before any allocation.
  const int64_t n64 = cpu::checked_shape(out.shape, what);
  const size_t n = static_cast<size_t>(n64);
  switch (t.data_type()) {
    case onnx::TensorProto::FLOAT:
      charge_constant_bytes(n64 * 4, constant_bytes, what);
      if (t.has_raw_data()) {
        if (t.raw_data().size() != n * sizeof(float))
          throw Error(what + " holds " + std::to_string(t.raw_data().size()) + " bytes, its shape " +
                      cpu::shape_string(out.shape) + " needs " + std::to_string(n * sizeof(float)));
        out.data.resize(n);
        if (n) std::memcpy(out.data.data(), t.raw_data().data(), n * sizeof(float));
      } else {
        if (static_cast<size_t>(t.float_data_size()) != n)
          throw Error(what + " has " + std::to_string(t.float_data_size()) + " values, its shape " +
                      cpu::shape_string(out.shape) + " needs " + std::to_string(n));
        out.data.assign(t.float_data().begin(), t.float_data().end());
      }
      break;
    case onnx::TensorProto::INT64:
    case onnx::TensorProto::INT32: {
      charge_constant_bytes(n64 * 8, constant_bytes, what);
      const bool wide = t.data_type() == onnx::TensorProto::INT64;
      const size_t stored = t.has_raw_data() ? t.raw_data().size() / (wide ? 8 : 4)
                                             : static_cast<size_t>(wide ? t.int64_data_size() : t.int32_data_size());
      if (stored != n || (t.has_raw_data() && t.raw_data().size() % (wide ? 8 : 4) != 0))
        throw Error(what + " (" + (wide ? "int64" : "int32") + ") holds " +
                    (t.has_raw_data() ? std::to_string(t.raw_data().size()) + " bytes"
                                      : std::to_string(stored) + " values") +
                    ", its shape " + cpu::shape_string(out.shape) + " needs " + std::to_string(n) + " values");
      out.is_int = true;
      out.ints.resize(n);
      if (t.has_raw_data()) {
        for (size_t i = 0; i < n; ++i) {
          if (wide) {
            std::memcpy(&out.ints[i], t.raw_data().data() + i * 8, 8);
          } else {
            int32_t v;
            std::memcpy(&v, t.raw_data().data() + i * 4, 4);
            out.ints[i] = v;
          }
        }
      } else if (wide) {
        out.ints.assign(t.int64_data().begin(), t.int64_data().end());
      } else {
        out.ints.assign(t.int32_data().begin(), t.int32_data().end());
      }
      break;
    }
    default:
      throw Error(what + " has data type " + std::to_string(t.data_type()) +
                  " (only float32, int64 and int32 are supported)");
  }
  return out;
}

NodeAttribute to_attribute(const onnx::AttributeProto& a, const std::string& where, int64_t& constant_bytes) {
  NodeAttribute out;
  out.i = a.i();
  out.f = a.f();
  out.s = a.s();
  out.ints.assign(a.ints().begin(), a.ints().end());
  out.floats.assign(a.floats().begin(), a.floats().end());
  if (a.has_t()) out.tensor = to_tensor(a.t(), where + ", attribute " + in_quotes(a.name()), constant_bytes);
  return out;
}

// The image input's shape, -1 where symbolic. Fixed dimensions must be positive and sane: the
// engine's load-time probe runs at the fixed size.
std::vector<int64_t> input_shape(const onnx::ValueInfoProto& v, const std::string& where) {
  std::vector<int64_t> shape;
  if (!v.type().has_tensor_type() || !v.type().tensor_type().has_shape()) return shape;
  const auto& dims = v.type().tensor_type().shape().dim();
  if (static_cast<size_t>(dims.size()) > cpu::kMaxRank)
    throw Error(where + ": input " + in_quotes(v.name()) + " has rank " + std::to_string(dims.size()) +
                "; it must be 4-D NCHW");
  for (const auto& d : dims) {
    if (!d.has_dim_value()) {
      shape.push_back(-1);
      continue;
    }
    const int64_t value = d.dim_value();
    if (value < 1 || value > cpu::kMaxDimension)
      throw Error(where + ": input " + in_quotes(v.name()) + " declares dimension " + std::to_string(shape.size()) +
                  " as " + std::to_string(value) + " (a fixed dimension must be 1 to 2^31)");
    shape.push_back(value);
  }
  return shape;
}

// The probe Engine::open runs is 1 x C x H x W at the input's fixed size (16 where H or W is
// symbolic): a file must not be able to make that allocate gigabytes.
void check_probe_size(const Graph& g, const std::string& where) {
  const auto& s = g.input_shape;
  int64_t values = 1;
  bool too_big = false;
  for (int64_t d : {s[1], s[2] > 0 ? s[2] : 16, s[3] > 0 ? s[3] : 16}) {
    d = std::max<int64_t>(d, 1);  // symbolic C: the engine reports it
    too_big = too_big || values > limits::kMaxProbeValues / d;
    if (!too_big) values *= d;
  }
  if (too_big)
    throw Error(where + ": input " + in_quotes(g.input) + " has the fixed shape " + cpu::shape_string(s) +
                "; vsr refuses fixed input sizes over 2^26 values (C x H x W)");
}

// Checks an integer metadata value the engine uses for sizes (the engine itself reports a value
// that is not an integer).
void check_metadata_range(const Graph& g, const std::string& key, int64_t lo, int64_t hi, const std::string& where) {
  auto it = g.metadata.find(key);
  if (it == g.metadata.end()) return;
  long long v = 0;
  try {
    v = std::stoll(it->second);
  } catch (const std::exception&) {
    return;
  }
  if (v < lo || v > hi)
    throw Error(where + ": metadata " + key + "=" + in_quotes(it->second) + " is out of range (" + std::to_string(lo) +
                " to " + std::to_string(hi) + ")");
}

// Which tensors hold int64 values at run time, following the ops' own rules: Shape produces int64,
// Cast and Constant say, data movement and arithmetic keep their first input's type, image ops
// produce float. The engine hands the output to frames as floats, so an int64 output is refused.
void check_output_is_float(const Graph& g, const std::string& where) {
  static const std::set<std::string> keeps_type = {"Identity", "Reshape", "Squeeze", "Unsqueeze", "Expand",
                                                   "Transpose", "Concat", "Slice", "Split", "Gather",
                                                   "Add", "Sub", "Mul", "Div", "Range"};
  std::map<std::string, bool> is_int;
  for (const auto& [name, t] : g.constants) is_int[name] = t.is_int;
  auto int_tensor = [&](const std::string& name) {
    auto it = is_int.find(name);
    return it != is_int.end() && it->second;
  };
  const GraphNode* producer = nullptr;
  for (const GraphNode& n : g.nodes) {  // ONNX (and the checker) require topological order
    bool out_int = false;
    if (n.op_type == "Shape") {
      out_int = true;
    } else if (n.op_type == "Cast") {
      const int64_t to = n.get_int("to", 1);
      out_int = to == 6 || to == 7;
    } else if (n.op_type == "Constant") {
      out_int = n.has("value") ? n.attributes.at("value").tensor.is_int : n.has("value_int") || n.has("value_ints");
    } else if (n.op_type == "ConstantOfShape") {
      out_int = n.has("value") && n.attributes.at("value").tensor.is_int;
    } else if (keeps_type.count(n.op_type)) {
      out_int = !n.inputs.empty() && int_tensor(n.inputs[0]);
    }
    for (const auto& out : n.outputs) {
      is_int[out] = out_int;
      if (out == g.output) producer = &n;
    }
  }
  if (int_tensor(g.output))
    throw Error(where + ": output " + in_quotes(g.output) + " is an int64 tensor" +
                (producer ? " (from " + producer->label() + ")" : std::string()) + "; vsr needs a float image");
}

Graph graph_from_model(const onnx::ModelProto& model, const std::string& path) {
  const std::string where = "model '" + path + "'";
  const auto& graph = model.graph();
  if (graph.node_size() > limits::kMaxNodes)
    throw Error(where + " has " + std::to_string(graph.node_size()) + " nodes; vsr refuses graphs over " +
                std::to_string(limits::kMaxNodes));
  // Initializers first: their shapes are bounded here before libonnx's checker multiplies them out.
  Graph g;
  g.path = path;
  int64_t constant_bytes = 0;
  for (const auto& t : graph.initializer()) g.constants[t.name()] = to_tensor(t, where, constant_bytes);
  try {
    onnx::checker::check_model(model);
  } catch (const std::exception& e) {
    throw Error(where + " failed ONNX validation: " + e.what());
  }

  for (const auto& op : model.opset_import())
    if (op.domain().empty() || op.domain() == "ai.onnx") g.opset = op.version();
  if (g.opset > 17) throw Error(where + " uses opset " + std::to_string(g.opset) + "; vsr supports up to 17");
  if (g.opset < 1) throw Error(where + " imports no ai.onnx opset (version " + std::to_string(g.opset) + ")");
  for (const auto& p : model.metadata_props()) g.metadata[p.key()] = p.value();
  check_metadata_range(g, "vsr.scale", 1, limits::kMaxScaleMetadata, where);
  check_metadata_range(g, "vsr.receptive_field", 0, limits::kMaxReceptiveField, where);

  std::vector<const onnx::ValueInfoProto*> inputs;
  for (const auto& v : graph.input())
    if (!g.constants.count(v.name())) inputs.push_back(&v);  // old exporters list initializers as inputs too
  const bool recurrent = g.metadata.count("vsr.temporal") && g.metadata.at("vsr.temporal") == "recurrent";
  const size_t streams = recurrent ? 2 : 1;
  if (inputs.size() != streams)
    throw Error(where + " has " + std::to_string(inputs.size()) + " non-constant inputs; " +
                (recurrent ? "recurrent models take exactly two (the frame and the state)"
                           : "single-frame models take exactly one (recurrent ones declare vsr.temporal=recurrent)"));
  if (static_cast<size_t>(graph.output_size()) != streams)
    throw Error(where + " has " + std::to_string(graph.output_size()) + " outputs; expected " +
                (recurrent ? "two (the image and the next state)" : "one image"));
  // The frame and the image come first unless vsr.state_input / vsr.state_output name the state.
  int state_in = 1, state_out = 1;
  if (recurrent) {
    auto pick = [&](const std::string& key, auto name_at, int& index) {
      auto it = g.metadata.find(key);
      if (it == g.metadata.end()) return;
      for (index = 0; index < 2 && name_at(index) != it->second; ++index) {
      }
      if (index == 2) throw Error(where + ": metadata " + key + "=" + in_quotes(it->second) + " names no graph " +
                                  (key == "vsr.state_input" ? "input" : "output"));
    };
    pick("vsr.state_input", [&](int i) { return inputs[i]->name(); }, state_in);
    pick("vsr.state_output", [&](int i) { return graph.output(i).name(); }, state_out);
  }
  const int frame_in = recurrent ? 1 - state_in : 0, image_out = recurrent ? 1 - state_out : 0;
  g.input = inputs[frame_in]->name();
  g.input_shape = input_shape(*inputs[frame_in], where);
  if (g.input_shape.size() != 4)
    throw Error(where + ": input " + in_quotes(g.input) + " must be 4-D NCHW, its shape is " +
                cpu::shape_string(g.input_shape));
  check_probe_size(g, where);
  g.output = graph.output(image_out).name();
  if (recurrent) {
    g.state_input = inputs[state_in]->name();
    g.state_input_shape = input_shape(*inputs[state_in], where);
    g.state_output = graph.output(state_out).name();
    const auto& s = g.state_input_shape;
    if (s.size() != 4 || s[1] < 1 || s[1] > 1024)
      throw Error(where + ": state input " + in_quotes(g.state_input) + " must be 4-D NCHW with 1 to 1024 fixed channels, its shape is " +
                  cpu::shape_string(s));
    if (g.state_output == g.output) throw Error(where + ": the image and the state are the same output " + in_quotes(g.output));
  }

  int unnamed = 0;
  for (const auto& n : graph.node()) {
    GraphNode node;
    node.op_type = n.op_type();
    node.name = n.name().empty() ? n.op_type() + "_" + std::to_string(unnamed++) : n.name();
    if (!n.domain().empty() && n.domain() != "ai.onnx")
      throw Error(where + ": " + node.label() + " is in domain " + in_quotes(n.domain()) + ", which vsr does not run");
    if (!is_supported_op(node.op_type))
      throw Error(where + ": unsupported op " + in_quotes(node.op_type) + " at " + node.label());
    node.inputs.assign(n.input().begin(), n.input().end());
    node.outputs.assign(n.output().begin(), n.output().end());
    for (const auto& a : n.attribute())
      node.attributes[a.name()] = to_attribute(a, where + ", " + node.label(), constant_bytes);
    g.nodes.push_back(std::move(node));
  }
  check_output_is_float(g, where);
  return g;
}

// The file's bytes, refusing directories and anything over kMaxFileBytes before reading it all.
std::string read_model_file(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw Error("model '" + path + "' is a directory, not an ONNX file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("cannot open model '" + path + "'");
  std::string bytes;
  const auto size = std::filesystem::file_size(path, ec);
  if (!ec) {
    if (size > static_cast<uintmax_t>(limits::kMaxFileBytes))
      throw Error("model '" + path + "' is " + std::to_string(size) + " bytes; vsr refuses model files over 2 GiB");
    bytes.reserve(static_cast<size_t>(size));
  }
  char chunk[1 << 16];
  while (in.read(chunk, sizeof chunk) || in.gcount() > 0) {  // bounded even where the size is unknown (a pipe)
    if (bytes.size() + static_cast<size_t>(in.gcount()) > static_cast<size_t>(limits::kMaxFileBytes))
      throw Error("model '" + path + "' is larger than 2 GiB; vsr refuses model files over 2 GiB");
    bytes.append(chunk, static_cast<size_t>(in.gcount()));
  }
  if (in.bad()) throw Error("cannot read model '" + path + "'");
  return bytes;
}

}  // namespace

Graph load_onnx_graph_from_memory(const void* data, size_t size, const std::string& name) {
  if (size == 0) throw Error("model '" + name + "' is empty (0 bytes)");
  if (size > static_cast<size_t>(limits::kMaxFileBytes))
    throw Error("model '" + name + "' is " + std::to_string(size) + " bytes; vsr refuses model files over 2 GiB");
  onnx::ModelProto model;
  if (!model.ParseFromArray(data, static_cast<int>(size)))
    throw Error("'" + name + "' is not a valid ONNX model (protobuf parse failed: truncated or corrupt)");
  return graph_from_model(model, name);
}

Graph load_onnx_graph(const std::string& path) {
  const std::string bytes = read_model_file(path);
  return load_onnx_graph_from_memory(bytes.data(), bytes.size(), path);
}

}  // namespace vsr
