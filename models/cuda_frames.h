// Frames between ordinary (host) memory and the GPU, each plane exactly once each way per frame,
// through pinned staging: the host rows are packed into page-locked memory (the only host copy) and
// DMA'd to compact device planes, and the reverse for the output. The device views are Frames whose
// plane pointers are device memory, for the colour kernels.
#pragma once
#include <cuda_runtime.h>

#include "kernels/cuda/cuda_runtime.h"
#include "vsr/frame.h"

namespace vsr {

class FrameStaging {
 public:
  // Copies `host`'s planes to the device (asynchronously on `stream`) and returns the device view.
  const Frame& upload(const Frame& host, cudaStream_t stream);
  // Device planes shaped like `host` (contents undefined), for a kernel to write.
  const Frame& device_like(const Frame& host);
  // Copies the device view's planes into `host` (waits for the stream).
  void download(const Frame& host, cudaStream_t stream);

 private:
  void shape_like(const Frame& host);
  cuda::DeviceArray<uint8_t> device_[3];
  cuda::PinnedBuffer pinned_[3];
  Frame view_;
};

}  // namespace vsr
