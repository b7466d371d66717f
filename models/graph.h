// The model as the engine holds it after loading: nodes with parsed attributes and constant tensors,
// free of protobuf types so the plan and ops do not depend on libonnx.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "kernels/cpu/tensor.h"

namespace vsr {

struct NodeAttribute {
  int64_t i = 0;
  float f = 0.0f;
  std::string s;
  std::vector<int64_t> ints;
  std::vector<float> floats;
  cpu::Tensor tensor;  // TENSOR attributes (Constant's value)
};

struct GraphNode {
  std::string op_type;
  std::string name;
  std::vector<std::string> inputs;   // "" = optional input left out
  std::vector<std::string> outputs;
  std::map<std::string, NodeAttribute> attributes;

  bool has(const std::string& attr) const { return attributes.count(attr) != 0; }
  int64_t get_int(const std::string& attr, int64_t fallback) const;
  float get_float(const std::string& attr, float fallback) const;
  std::string get_string(const std::string& attr, const std::string& fallback) const;
  std::vector<int64_t> get_ints(const std::string& attr, const std::vector<int64_t>& fallback) const;
  // "node 'conv0' (Conv)": how errors name a node.
  std::string label() const;
};

struct Graph {
  std::string path;
  std::vector<GraphNode> nodes;
  std::map<std::string, cpu::Tensor> constants;  // initializers and Constant outputs
  std::string input;                             // the one non-constant graph input
  std::vector<int64_t> input_shape;              // -1 where symbolic
  std::string output;
  int64_t opset = 0;
  std::map<std::string, std::string> metadata;
};

// Reads and validates an ONNX file (opset <= 17, one image input, one output, supported ops only).
// Throws vsr::Error naming the file and, where relevant, the node or tensor.
Graph load_onnx_graph(const std::string& path);

}  // namespace vsr
