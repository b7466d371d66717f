#include "model_mutator.h"

#include <onnx/onnx_pb.h>

#include <limits>
#include <vector>

namespace vsr::fuzz {
namespace {

using Rng = std::mt19937;

size_t pick(Rng& rng, size_t n) { return n ? rng() % n : 0; }

int64_t interesting_int(Rng& rng) {
  static const int64_t values[] = {0,  1,  -1, 2,  3,  4,  16, 17, 63, 64, 65, 1000, 1024, 1025, 1 << 15, 1 << 16,
                                   int64_t(1) << 30, (int64_t(1) << 31) - 1, int64_t(1) << 31, int64_t(1) << 32,
                                   int64_t(1) << 40, int64_t(1) << 62, std::numeric_limits<int64_t>::max(),
                                   std::numeric_limits<int64_t>::min(), -2, -3, -1000};
  return values[pick(rng, sizeof values / sizeof values[0])];
}

float interesting_float(Rng& rng) {
  static const float values[] = {0.0f, -1.0f, 0.5f, 2.0f, 16.0f, 17.0f, 1e6f, 1e30f, -1e30f, 1e-30f,
                                 std::numeric_limits<float>::infinity(), std::numeric_limits<float>::quiet_NaN()};
  return values[pick(rng, sizeof values / sizeof values[0])];
}

const char* interesting_string(Rng& rng) {
  static const char* values[] = {"DCR", "CRD", "nearest", "linear", "cubic", "constant", "reflect", "edge",
                                 "SAME_UPPER", "SAME_LOWER", "VALID", "NOTSET", "half_pixel", "asymmetric",
                                 "align_corners", "pytorch_half_pixel", "floor", "ceil", "bilinear", "zeros",
                                 "border", "reflection", "", "bogus"};
  return values[pick(rng, sizeof values / sizeof values[0])];
}

const char* op_type(Rng& rng) {
  static const char* ops[] = {"Conv", "ConvTranspose", "DepthToSpace", "Relu", "PRelu", "LeakyRelu", "Sigmoid",
                              "Tanh", "Sqrt", "Clip", "Add", "Sub", "Mul", "Div", "Concat", "Split", "Slice", "Resize",
                              "GridSample", "GlobalAveragePool", "Pad", "Transpose", "Identity", "Constant",
                              "Reshape", "Squeeze", "Unsqueeze", "Expand", "Shape", "Gather", "ConstantOfShape",
                              "Range", "Cast", "Floor", "Ceil"};
  return ops[pick(rng, sizeof ops / sizeof ops[0])];
}

const char* attribute_name(Rng& rng) {
  static const char* names[] = {"kernel_shape", "pads", "strides", "dilations", "group", "output_padding",
                                "auto_pad", "blocksize", "mode", "axis", "axes", "perm", "split", "starts", "ends",
                                "value", "value_int", "value_ints", "value_float", "to", "allowzero",
                                "coordinate_transformation_mode", "nearest_mode", "cubic_coeff_a", "alpha",
                                "min", "max", "align_corners", "padding_mode", "start", "end"};
  return names[pick(rng, sizeof names / sizeof names[0])];
}

// Every tensor name the graph knows: its input, initializers and node outputs (never empty).
std::vector<std::string> tensor_names(const onnx::GraphProto& g) {
  std::vector<std::string> names;
  for (const auto& v : g.input()) names.push_back(v.name());
  for (const auto& t : g.initializer()) names.push_back(t.name());
  for (const auto& n : g.node())
    for (const auto& o : n.output()) names.push_back(o);
  if (names.empty()) names.push_back("x");  // callers index into it
  return names;
}

void set_attribute_value(onnx::AttributeProto* a, Rng& rng) {
  switch (pick(rng, 5)) {
    case 0: {
      const std::string name = a->name();
      a->Clear();
      a->set_name(name);
      a->set_type(onnx::AttributeProto::INT);
      a->set_i(interesting_int(rng));
      break;
    }
    case 1: {
      const std::string name = a->name();
      a->Clear();
      a->set_name(name);
      a->set_type(onnx::AttributeProto::INTS);
      const size_t n = pick(rng, 10);
      for (size_t i = 0; i < n; ++i) a->add_ints(pick(rng, 3) ? int64_t(pick(rng, 5)) - 1 : interesting_int(rng));
      break;
    }
    case 2:
      a->clear_i();
      a->clear_ints();
      a->set_type(onnx::AttributeProto::FLOAT);
      a->set_f(interesting_float(rng));
      break;
    case 3:
      a->clear_i();
      a->clear_ints();
      a->set_type(onnx::AttributeProto::STRING);
      a->set_s(interesting_string(rng));
      break;
    default:
      if (a->ints_size() > 0) a->set_ints(static_cast<int>(pick(rng, a->ints_size())), interesting_int(rng));
      else if (a->type() == onnx::AttributeProto::INT) a->set_i(interesting_int(rng));
      else a->set_f(interesting_float(rng));
      break;
  }
}

void mutate_tensor(onnx::TensorProto* t, Rng& rng) {
  switch (pick(rng, 6)) {
    case 0:
      if (t->dims_size() > 0) t->set_dims(static_cast<int>(pick(rng, t->dims_size())), interesting_int(rng));
      break;
    case 1:
      t->add_dims(pick(rng, 2) ? 1 : interesting_int(rng));
      break;
    case 2: {
      static const int types[] = {onnx::TensorProto::FLOAT, onnx::TensorProto::INT64, onnx::TensorProto::INT32,
                                  onnx::TensorProto::DOUBLE, onnx::TensorProto::UINT8, 0};
      t->set_data_type(types[pick(rng, 6)]);
      break;
    }
    case 3:
      if (t->has_raw_data()) t->mutable_raw_data()->resize(pick(rng, t->raw_data().size() + 9));
      break;
    case 4:  // an int64 value (a shape, axis, start or size) to something extreme
      if (t->int64_data_size() > 0) {
        t->set_int64_data(static_cast<int>(pick(rng, t->int64_data_size())), interesting_int(rng));
      } else if (t->data_type() == onnx::TensorProto::INT64 && t->raw_data().size() >= 8) {
        const int64_t v = interesting_int(rng);
        const size_t at = 8 * pick(rng, t->raw_data().size() / 8);
        t->mutable_raw_data()->replace(at, 8, reinterpret_cast<const char*>(&v), 8);
      } else if (t->data_type() == onnx::TensorProto::FLOAT && t->raw_data().size() >= 4) {
        const float v = interesting_float(rng);
        const size_t at = 4 * pick(rng, t->raw_data().size() / 4);
        t->mutable_raw_data()->replace(at, 4, reinterpret_cast<const char*>(&v), 4);
      }
      break;
    default:
      t->clear_dims();
      for (size_t i = pick(rng, 6); i > 0; --i) t->add_dims(int64_t(pick(rng, 4)));
      break;
  }
}

void mutate_once(onnx::ModelProto& m, Rng& rng) {
  onnx::GraphProto* g = m.mutable_graph();
  const int nodes = g->node_size();
  onnx::NodeProto* n = nodes ? g->mutable_node(static_cast<int>(pick(rng, nodes))) : nullptr;
  switch (pick(rng, 12)) {
    case 0:  // an attribute's value
      if (n && n->attribute_size())
        set_attribute_value(n->mutable_attribute(static_cast<int>(pick(rng, n->attribute_size()))), rng);
      break;
    case 1:  // a new attribute
      if (n) {
        auto* a = n->add_attribute();
        a->set_name(attribute_name(rng));
        set_attribute_value(a, rng);
      }
      break;
    case 2:  // an initializer's shape, type or data
      if (g->initializer_size())
        mutate_tensor(g->mutable_initializer(static_cast<int>(pick(rng, g->initializer_size()))), rng);
      break;
    case 3:  // the image input's shape
      if (g->input_size()) {
        auto* shape = g->mutable_input(0)->mutable_type()->mutable_tensor_type()->mutable_shape();
        if (shape->dim_size() && pick(rng, 4)) {
          auto* d = shape->mutable_dim(static_cast<int>(pick(rng, shape->dim_size())));
          if (pick(rng, 4)) d->set_dim_value(interesting_int(rng));
          else d->set_dim_param("sym");
        } else {
          shape->add_dim()->set_dim_value(1);
        }
      }
      break;
    case 4:  // rewire an input
      if (n && n->input_size()) {
        const auto names = tensor_names(*g);
        n->set_input(static_cast<int>(pick(rng, n->input_size())), pick(rng, 5) ? names[pick(rng, names.size())] : "");
      }
      break;
    case 5:  // another op type
      if (n) n->set_op_type(op_type(rng));
      break;
    case 6:  // an extra input (Concat amplification, optional inputs)
      if (n) {
        const auto names = tensor_names(*g);
        const std::string name = names[pick(rng, names.size())];
        for (size_t k = pick(rng, 2) ? 1 : 1 + pick(rng, 64); k > 0; --k) n->add_input(name);
      }
      break;
    case 7: {  // a new node reading an existing tensor, feeding a later node or the output
      const auto names = tensor_names(*g);
      onnx::NodeProto fresh;
      fresh.set_op_type(op_type(rng));
      fresh.set_name("fuzz_" + std::to_string(rng() % 1000));
      fresh.add_input(names[pick(rng, names.size())]);
      if (pick(rng, 2)) fresh.add_input(names[pick(rng, names.size())]);
      fresh.add_output(fresh.name() + "_out");
      if (pick(rng, 2)) {
        auto* a = fresh.add_attribute();
        a->set_name(attribute_name(rng));
        set_attribute_value(a, rng);
      }
      const bool feeds_node = n && n->input_size() && pick(rng, 2);
      if (feeds_node) {
        n->set_input(static_cast<int>(pick(rng, n->input_size())), fresh.output(0));
      } else if (g->output_size()) {
        g->mutable_output(0)->set_name(fresh.output(0));
      }
      *g->add_node() = fresh;
      if (feeds_node) {  // move it just before its reader: the checker wants topological order
        int reader = 0;
        while (&g->node(reader) != n) ++reader;
        for (int i = g->node_size() - 1; i > reader; --i) g->mutable_node()->SwapElements(i, i - 1);
      }
      break;
    }
    case 8:  // drop a node
      if (nodes) g->mutable_node()->DeleteSubrange(static_cast<int>(pick(rng, nodes)), 1);
      break;
    case 9:
      if (m.opset_import_size()) m.mutable_opset_import(0)->set_version(static_cast<int64_t>(pick(rng, 20)));
      break;
    case 10: {
      auto* p = m.add_metadata_props();
      static const char* keys[] = {"vsr.scale", "vsr.receptive_field", "vsr.colour", "vsr.temporal", "vsr.range"};
      p->set_key(keys[pick(rng, 5)]);
      p->set_value(pick(rng, 2) ? std::to_string(interesting_int(rng)) : std::string(interesting_string(rng)));
      break;
    }
    default:  // an extra output on a node (Split), or one removed
      if (n && pick(rng, 2)) n->add_output(n->name() + "_extra" + std::to_string(pick(rng, 4)));
      else if (n && n->output_size() > 1) n->mutable_output()->RemoveLast();
      break;
  }
}

}  // namespace

bool mutate_model(const std::string& bytes, std::mt19937& rng, std::string& out) {
  onnx::ModelProto m;
  if (!m.ParseFromString(bytes)) return false;
  for (size_t edits = 1 + pick(rng, 3); edits > 0; --edits) mutate_once(m, rng);
  return m.SerializeToString(&out);
}

}  // namespace vsr::fuzz
