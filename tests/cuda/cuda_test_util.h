// What the CUDA twin tests share: skipping (with the reason) where no GPU is, moving tensors
// between host and device, and outputs with guard bands that catch a kernel writing outside them.
#pragma once
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <string>
#include <type_traits>
#include <vector>

#include "kernels/cpu/tensor.h"
#include "kernels/cuda/cuda_runtime.h"

// A GPU test may skip only when no GPU is present, and says so.
#define VSR_REQUIRE_GPU()                                                   \
  do {                                                                      \
    std::string vsr_gpu_why;                                                \
    if (!vsr::cuda::device_available(&vsr_gpu_why))                         \
      GTEST_SKIP() << "no usable GPU, CUDA test skipped: " << vsr_gpu_why;  \
  } while (0)

namespace cuda_test {

// A file of the source tree: relative to the working directory (the GPU machine runs the tests from
// the copy's root) or to the tree this was built from.
inline std::string source_file(const std::string& relative) {
  if (std::filesystem::exists(relative)) return relative;
  return std::string(VSR_SOURCE_DIR) + "/" + relative;
}

inline vsr::cuda::DeviceArray<float> to_device(const vsr::cpu::Tensor& t, cudaStream_t s) {
  vsr::cuda::DeviceArray<float> d;
  d.upload(t.data, s);
  return d;
}

// A device buffer with guard bands: kGuard elements before and after the body, holding a sentinel. A
// kernel that writes outside the body it was given changes them, and body() fails the test saying
// so. A body made for an output holds the sentinel too (a huge float: never a kernel's result), so an
// element the kernel forgot to write shows in the comparison with the reference.
template <typename T>
class Guarded {
 public:
  static constexpr size_t kGuard = 4096;

  Guarded(size_t count, cudaStream_t s) : count_(count) {
    buffer_.upload(std::vector<T>(count + 2 * kGuard, sentinel()), s);
  }
  Guarded(const std::vector<T>& body, cudaStream_t s) : count_(body.size()) {
    std::vector<T> all(count_ + 2 * kGuard, sentinel());
    std::copy(body.begin(), body.end(), all.begin() + kGuard);
    buffer_.upload(all, s);
  }
  T* data() const { return buffer_.data() + kGuard; }

  // The body, after checking both bands; `what` names the call in a failure.
  std::vector<T> body(cudaStream_t s, const std::string& what) const {
    const std::vector<T> all = buffer_.download(count_ + 2 * kGuard, s);
    for (size_t i = 0; i < kGuard; ++i)
      if (!is_sentinel(all[i])) {
        ADD_FAILURE() << what << ": wrote " << kGuard - i << " elements before the start of its output";
        break;
      }
    for (size_t i = 0; i < kGuard; ++i)
      if (!is_sentinel(all[kGuard + count_ + i])) {
        ADD_FAILURE() << what << ": wrote element " << i << " past the end of its output (" << count_ << " elements)";
        break;
      }
    return std::vector<T>(all.begin() + kGuard, all.begin() + kGuard + count_);
  }

 private:
  static T sentinel() {
    if constexpr (std::is_floating_point_v<T>)
      return T(-1.25e30);
    else
      return T(0xA5);
  }
  static bool is_sentinel(T v) {
    const T s = sentinel();
    return std::memcmp(&v, &s, sizeof(T)) == 0;
  }
  size_t count_;
  vsr::cuda::DeviceArray<T> buffer_;
};

// A guarded float output as a tensor of `shape` (checked as body() checks).
inline vsr::cpu::Tensor guarded_tensor(const Guarded<float>& g, std::vector<int64_t> shape, cudaStream_t s,
                                       const std::string& what) {
  vsr::cpu::Tensor t;
  t.shape = std::move(shape);
  t.data = g.body(s, what);
  return t;
}

}  // namespace cuda_test
