// The model as the engine holds it after loading: nodes with parsed attributes and constant tensors,
// free of protobuf types so the plan and ops do not depend on libonnx.
#pragma once
#include <cstddef>
#include <cstdint>
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
  // Recurrent models (vsr.temporal=recurrent) carry a state from one frame to the next: a second
  // graph input read with the frame and a second output that becomes the next frame's state.
  // Empty for every other model.
  std::string state_input;
  std::vector<int64_t> state_input_shape;
  std::string state_output;
  int64_t opset = 0;
  std::map<std::string, std::string> metadata;
};

// What a model file may ask for. A file beyond these is corrupt or hostile: it is refused at load
// with a message naming the file and the node or tensor, before anything is allocated for it.
// Shapes computed at run time are bounded by kernels/cpu/tensor_limits.h (rank, dimension) and
// kMaxElements (element count) in kernels/cpu/tensor_elements.h.
namespace model_limits {
constexpr int64_t kMaxFileBytes = 2147483647;          // 2 GiB - 1: protobuf's own parse limit
constexpr int64_t kMaxConstantBytes = int64_t(1) << 31;  // initializers + Constant values, decoded
constexpr int64_t kMaxNodes = 65536;                    // RRDBNet-23 is ~1.5k; the plan's sort is quadratic
constexpr int64_t kMaxProbeValues = int64_t(1) << 26;   // C x H x W of a static input (the load probe's size)
constexpr int64_t kMaxKernelSide = 64;                  // Conv/ConvTranspose kernel height and width
constexpr int64_t kMaxStride = 64;                      // Conv strides and dilations
constexpr int64_t kMaxConvPad = 1024;                   // Conv/ConvTranspose pads per side
constexpr int64_t kMaxUpscale = 16;                     // DepthToSpace blocksize, Resize scales, ConvTranspose strides
constexpr int64_t kMaxScaleMetadata = 64;               // vsr.scale
constexpr int64_t kMaxReceptiveField = 65536;           // vsr.receptive_field (tile overlap)
}  // namespace model_limits

// Reads and validates an ONNX file (opset <= 17, one image input and one output -- two of each for
// recurrent models --, supported ops only).
// Throws vsr::Error naming the file and, where relevant, the node or tensor.
Graph load_onnx_graph(const std::string& path);
// The same from bytes in memory (a fuzzer's input, an embedded model); `name` stands in for the
// path in messages and in Graph::path.
Graph load_onnx_graph_from_memory(const void* data, size_t size, const std::string& name);

}  // namespace vsr
