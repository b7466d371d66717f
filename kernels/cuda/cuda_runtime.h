// The CUDA runtime as the kernels use it: errors turned into vsr::Error naming the call, whether a
// usable device exists (and why not), device memory that frees itself, and one stream per owner.
// Internal to kernels/ and models/ (public headers never carry CUDA types).
#pragma once
#include <cuda_runtime.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace vsr::cuda {

// Throws vsr::Error("<what>: <CUDA error name and text>") unless status is cudaSuccess.
void check(cudaError_t status, const char* what);

// Whether kernels can run here. Without a driver or GPU, `why` says what CUDA reported.
bool device_available(std::string* why = nullptr);

// Device memory for `count` elements of T; grows (never shrinks) on reserve. Move-only.
template <typename T>
class DeviceArray {
 public:
  DeviceArray() = default;
  explicit DeviceArray(size_t count) { reserve(count); }
  ~DeviceArray() { release(); }
  DeviceArray(const DeviceArray&) = delete;
  DeviceArray& operator=(const DeviceArray&) = delete;
  DeviceArray(DeviceArray&& o) noexcept : data_(o.data_), capacity_(o.capacity_) { o.data_ = nullptr, o.capacity_ = 0; }
  DeviceArray& operator=(DeviceArray&& o) noexcept {
    if (this != &o) {
      release();
      data_ = o.data_, capacity_ = o.capacity_;
      o.data_ = nullptr, o.capacity_ = 0;
    }
    return *this;
  }

  void reserve(size_t count) {
    if (count <= capacity_) return;
    release();
    void* p = nullptr;
    check(cudaMalloc(&p, count * sizeof(T)), "cudaMalloc");
    data_ = static_cast<T*>(p);
    capacity_ = count;
  }
  T* data() const { return data_; }
  size_t capacity() const { return capacity_; }

  void upload(const T* host, size_t count, cudaStream_t stream) {
    reserve(count);
    check(cudaMemcpyAsync(data_, host, count * sizeof(T), cudaMemcpyHostToDevice, stream), "upload");
  }
  void upload(const std::vector<T>& host, cudaStream_t stream) { upload(host.data(), host.size(), stream); }
  // Waits for the stream: the values are on the host when this returns.
  std::vector<T> download(size_t count, cudaStream_t stream) const {
    std::vector<T> host(count);
    check(cudaMemcpyAsync(host.data(), data_, count * sizeof(T), cudaMemcpyDeviceToHost, stream), "download");
    check(cudaStreamSynchronize(stream), "download (synchronize)");
    return host;
  }

 private:
  void release() {
    if (data_) cudaFree(data_);
    data_ = nullptr;
    capacity_ = 0;
  }
  T* data_ = nullptr;
  size_t capacity_ = 0;
};

// Page-locked host memory (cudaHostAlloc): the staging copies between frames in ordinary memory and
// the device go through it, so the transfers are real asynchronous DMA. Grows on reserve; move-only.
class PinnedBuffer {
 public:
  PinnedBuffer() = default;
  ~PinnedBuffer() {
    if (data_) cudaFreeHost(data_);
  }
  PinnedBuffer(const PinnedBuffer&) = delete;
  PinnedBuffer& operator=(const PinnedBuffer&) = delete;
  PinnedBuffer(PinnedBuffer&& o) noexcept : data_(o.data_), size_(o.size_) { o.data_ = nullptr, o.size_ = 0; }
  void reserve(size_t bytes) {
    if (bytes <= size_) return;
    if (data_) cudaFreeHost(data_);
    data_ = nullptr;
    size_ = 0;
    void* p = nullptr;
    check(cudaHostAlloc(&p, bytes, cudaHostAllocDefault), "cudaHostAlloc");
    data_ = static_cast<uint8_t*>(p);
    size_ = bytes;
  }
  uint8_t* data() const { return data_; }

 private:
  uint8_t* data_ = nullptr;
  size_t size_ = 0;
};

// A non-blocking stream owned by one engine or test.
class Stream {
 public:
  Stream() { check(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking), "cudaStreamCreate"); }
  ~Stream() {
    if (stream_) cudaStreamDestroy(stream_);
  }
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;
  cudaStream_t get() const { return stream_; }
  void synchronize() const { check(cudaStreamSynchronize(stream_), "cudaStreamSynchronize"); }

 private:
  cudaStream_t stream_ = nullptr;
};

// Grid size for one thread per element, 256 threads a block.
inline unsigned blocks_for(size_t count) { return static_cast<unsigned>((count + 255) / 256); }
constexpr unsigned kThreads = 256;

}  // namespace vsr::cuda
