#include "cuda_runtime.h"

#include "vsr/error.h"

namespace vsr::cuda {

void check(cudaError_t status, const char* what) {
  if (status == cudaSuccess) return;
  cudaGetLastError();  // clear a sticky launch error so the next call reports its own
  throw Error(std::string(what) + ": " + cudaGetErrorName(status) + " (" + cudaGetErrorString(status) + ")");
}

bool device_available(std::string* why) {
  int count = 0;
  const cudaError_t status = cudaGetDeviceCount(&count);
  if (status != cudaSuccess) {
    cudaGetLastError();
    if (why) *why = std::string("CUDA reports ") + cudaGetErrorName(status) + ": " + cudaGetErrorString(status);
    return false;
  }
  if (count == 0) {
    if (why) *why = "CUDA sees no GPU";
    return false;
  }
  return true;
}

}  // namespace vsr::cuda
