// vsrupscale's zero-copy GPU path (builds with gst-cuda and CUDA only): memory:CUDAMemory caps on both
// pads, a GstCudaContext shared with the neighbours (cudaupload, nvh264dec, nvh264enc, ...) through
// gst-cuda's context helpers, CUDA buffer pools both ways, and the engine's CUDA objects created and
// run with that context current, so the frames never leave GPU memory. Elsewhere every function here
// is a no-op and the caps are system memory only.
#pragma once
#include <gst/base/gstbasetransform.h>
#include <gst/video/video.h>

#include "gstvsrupscale_private.h"

// The caps feature both pads may carry (empty string when not built in).
const char* vsr_cuda_caps_feature();
// Whether this build has the CUDA memory path.
bool vsr_cuda_memory_built();

// Gets (from a neighbour) or makes the element's GstCudaContext for `device_id`. Returns false,
// after a debug line, where no CUDA driver or device is usable. Call without the lock.
bool vsr_cuda_ensure_context(GstVsrUpscale* self, int device_id);
void vsr_cuda_release_context(GstVsrUpscale* self);
// Context sharing: the element's set_context and the context query on its pads.
void vsr_cuda_set_context(GstVsrUpscale* self, GstContext* context, int device_id);
bool vsr_cuda_handle_context_query(GstVsrUpscale* self, GstQuery* query);

// Pushes the element's CUDA context for the scope (nothing when there is none).
class CudaContextScope {
 public:
  explicit CudaContextScope(GstVsrUpscale* self);
  ~CudaContextScope();
  CudaContextScope(const CudaContextScope&) = delete;
  CudaContextScope& operator=(const CudaContextScope&) = delete;

 private:
  bool pushed_ = false;
};

// The map flag that gives CUDA device pointers for CUDA memory (0 when not built in).
GstMapFlags vsr_cuda_map_flag();
// Whether negotiated caps are CUDA memory.
bool vsr_caps_are_cuda_memory(GstCaps* caps);
// Drops the CUDA memory structures of `caps` (in place on a writable copy): for an engine on the CPU.
GstCaps* vsr_caps_without_cuda_memory(GstCaps* caps);

// Allocation: a CUDA buffer pool proposed upstream / used downstream when the caps are CUDA memory.
// Return false to let the parent class decide (system memory).
bool vsr_cuda_propose_allocation(GstVsrUpscale* self, GstQuery* query);
bool vsr_cuda_decide_allocation(GstVsrUpscale* self, GstQuery* query);
