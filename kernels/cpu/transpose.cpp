#include "transpose.h"

#include <omp.h>

#include "tensor_elements.h"
#include "vsr/error.h"

namespace vsr::cpu {

TransposePlan transpose_plan(const std::vector<int64_t>& x_shape, const std::vector<int64_t>& perm_in) {
  const size_t rank = x_shape.size();
  std::vector<int64_t> perm = perm_in;
  if (perm.empty())
    for (size_t i = 0; i < rank; ++i) perm.push_back(static_cast<int64_t>(rank - 1 - i));
  if (perm.size() != rank)
    throw Error("Transpose: perm has " + std::to_string(perm.size()) + " entries for input " + shape_string(x_shape));
  std::vector<bool> used(rank, false);
  for (int64_t p : perm) {
    if (p < 0 || p >= static_cast<int64_t>(rank) || used[p])
      throw Error("Transpose: perm is not a permutation of 0.." + std::to_string(int64_t(rank) - 1));
    used[p] = true;
  }
  std::vector<int64_t> in_stride(rank, 1);
  for (size_t d = rank; d-- > 1;) in_stride[d - 1] = in_stride[d] * x_shape[d];
  TransposePlan plan{std::vector<int64_t>(rank), std::vector<int64_t>(rank)};
  for (size_t i = 0; i < rank; ++i) {
    plan.shape[i] = x_shape[perm[i]];
    plan.stride[i] = in_stride[perm[i]];
  }
  return plan;
}

void transpose(const Tensor& x, const std::vector<int64_t>& perm, Tensor& y) {
  const size_t rank = x.shape.size();
  const TransposePlan plan = transpose_plan(x.shape, perm);
  const std::vector<int64_t>& shape = plan.shape;
  const std::vector<int64_t>& stride = plan.stride;
  visit_elements(x, [&](auto tag) {
    using T = decltype(tag);
    const std::vector<T>& src = elements<T>(x);
    std::vector<T>& dst = shape_as<T>(y, shape);
    if (dst.empty()) return;
    if (rank == 0) {
      dst[0] = src[0];
      return;
    }
    const size_t last = rank - 1;
    const int64_t inner = shape[last], inner_stride = stride[last];
    const int64_t rows = static_cast<int64_t>(dst.size()) / inner;
    // Each thread takes a run of rows: the input offset of its first row by division, then counted on
    // like an odometer (a flow field's N x 2 x H x W -> N x H x W x 2 has H*W rows of 2 values, where
    // dividing per row would cost more than the copy).
#pragma omp parallel if (rows > 64)
    {
      const int64_t threads = omp_get_num_threads(), t = omp_get_thread_num();
      const int64_t begin = rows * t / threads, end = rows * (t + 1) / threads;
      std::vector<int64_t> idx(last, 0);
      int64_t rem = begin, offset = 0;
      for (size_t d = last; d-- > 0;) {
        idx[d] = rem % shape[d];
        offset += idx[d] * stride[d];
        rem /= shape[d];
      }
      for (int64_t r = begin; r < end; ++r) {
        T* out = dst.data() + r * inner;
        for (int64_t i = 0; i < inner; ++i) out[i] = src[offset + i * inner_stride];
        for (size_t d = last; d-- > 0;) {
          offset += stride[d];
          if (++idx[d] < shape[d]) break;
          offset -= stride[d] * shape[d];
          idx[d] = 0;
        }
      }
    }
  });
}

}  // namespace vsr::cpu
