// What the CUDA twin tests share: skipping (with the reason) where no GPU is, and moving tensors
// between host and device.
#pragma once
#include <gtest/gtest.h>

#include <string>
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

inline vsr::cuda::DeviceArray<float> to_device(const vsr::cpu::Tensor& t, cudaStream_t s) {
  vsr::cuda::DeviceArray<float> d;
  d.upload(t.data, s);
  return d;
}

inline vsr::cpu::Tensor to_host(const vsr::cuda::DeviceArray<float>& d, std::vector<int64_t> shape, cudaStream_t s) {
  vsr::cpu::Tensor t;
  t.shape = std::move(shape);
  t.data = d.download(static_cast<size_t>(t.numel()), s);
  return t;
}

}  // namespace cuda_test
