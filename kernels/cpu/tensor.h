// The engine's internal tensor: a dense row-major float array with an NCHW-style shape. Integer
// tensors (shapes, sizes, axes, computed by Shape/Gather/... at run time or folded at load) are rare
// and small, so they ride along in `ints` with `is_int` set instead of having a type of their own.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace vsr::cpu {

struct Tensor {
  std::vector<int64_t> shape;
  std::vector<float> data;
  std::vector<int64_t> ints;  // set instead of `data` for INT64/INT32 constants
  bool is_int = false;

  int64_t numel() const {
    int64_t n = 1;
    for (int64_t d : shape) n *= d;
    return n;
  }
  int64_t dim(size_t i) const { return shape.at(i); }
  void resize(std::vector<int64_t> new_shape) {
    shape = std::move(new_shape);
    data.resize(static_cast<size_t>(numel()));
  }
};

std::string shape_string(const std::vector<int64_t>& shape);

}  // namespace vsr::cpu
