#include "graph.h"

namespace vsr {

int64_t GraphNode::get_int(const std::string& a, int64_t fallback) const {
  auto it = attributes.find(a);
  return it == attributes.end() ? fallback : it->second.i;
}

float GraphNode::get_float(const std::string& a, float fallback) const {
  auto it = attributes.find(a);
  return it == attributes.end() ? fallback : it->second.f;
}

std::string GraphNode::get_string(const std::string& a, const std::string& fallback) const {
  auto it = attributes.find(a);
  return it == attributes.end() ? fallback : it->second.s;
}

std::vector<int64_t> GraphNode::get_ints(const std::string& a, const std::vector<int64_t>& fallback) const {
  auto it = attributes.find(a);
  return it == attributes.end() ? fallback : it->second.ints;
}

std::string GraphNode::label() const {
  // A hostile file may name a node with megabytes; every error message repeats the label.
  constexpr size_t kShown = 120;
  const auto cut = [](const std::string& s) { return s.size() <= kShown ? s : s.substr(0, kShown) + "..."; };
  return "node '" + cut(name) + "' (" + cut(op_type) + ")";
}

}  // namespace vsr
