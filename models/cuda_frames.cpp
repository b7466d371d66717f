#include "cuda_frames.h"

#include <cstring>

#include "kernels/cpu/colour_layout.h"

namespace vsr {

void FrameStaging::shape_like(const Frame& host) {
  view_ = host;
  view_.on_device = true;
  for (int p = 0; p < 3; ++p) view_.planes[p] = {};
  for (int p = 0; p < plane_count(host.format); ++p) {
    const PlaneExtent e = plane_extent(host.format, host.width, host.height, p);
    const size_t bytes = static_cast<size_t>(e.row_bytes) * e.rows;
    device_[p].reserve(bytes);
    pinned_[p].reserve(bytes);
    view_.planes[p] = {device_[p].data(), e.row_bytes};  // compact rows on the device
  }
}

const Frame& FrameStaging::device_like(const Frame& host) {
  shape_like(host);
  return view_;
}

const Frame& FrameStaging::upload(const Frame& host, cudaStream_t stream) {
  cpu::check_frame(host);  // every plane present, strides no shorter than rows: before reading them
  shape_like(host);
  for (int p = 0; p < plane_count(host.format); ++p) {
    const PlaneExtent e = plane_extent(host.format, host.width, host.height, p);
    uint8_t* staged = pinned_[p].data();
    for (int y = 0; y < e.rows; ++y)
      std::memcpy(staged + static_cast<size_t>(y) * e.row_bytes, host.planes[p].data + static_cast<ptrdiff_t>(y) * host.planes[p].stride,
                  static_cast<size_t>(e.row_bytes));
    cuda::check(cudaMemcpyAsync(device_[p].data(), staged, static_cast<size_t>(e.row_bytes) * e.rows,
                                cudaMemcpyHostToDevice, stream),
                "frame upload");
  }
  return view_;
}

void FrameStaging::download(const Frame& host, cudaStream_t stream) {
  cpu::check_frame(host);
  for (int p = 0; p < plane_count(host.format); ++p) {
    const PlaneExtent e = plane_extent(host.format, host.width, host.height, p);
    cuda::check(cudaMemcpyAsync(pinned_[p].data(), device_[p].data(), static_cast<size_t>(e.row_bytes) * e.rows,
                                cudaMemcpyDeviceToHost, stream),
                "frame download");
  }
  cuda::check(cudaStreamSynchronize(stream), "frame download (synchronize)");
  for (int p = 0; p < plane_count(host.format); ++p) {
    const PlaneExtent e = plane_extent(host.format, host.width, host.height, p);
    for (int y = 0; y < e.rows; ++y)
      std::memcpy(host.planes[p].data + static_cast<ptrdiff_t>(y) * host.planes[p].stride,
                  pinned_[p].data() + static_cast<size_t>(y) * e.row_bytes, static_cast<size_t>(e.row_bytes));
  }
}

}  // namespace vsr
