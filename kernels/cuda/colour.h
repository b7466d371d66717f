// Colour conversion on the GPU, twin of kernels/cpu/colour (same formats, matrices, ranges, bit
// depths and chroma filters, through the same inline arithmetic in kernels/cpu/colour_layout.h).
// The frame's planes are device memory (a CUDA buffer, or staging the caller uploaded to); one
// kernel each way reads or writes them directly.
#pragma once
#include <cuda_runtime.h>

#include "vsr/frame.h"

namespace vsr::cuda {

// dst: 3 device planes of width*height floats (R, G, B) in [0,1].
void frame_to_planar_rgb(const Frame& frame, float* dst, cudaStream_t stream);

// src: 3 device planes; values clamped to [0,1] and rounded. Alpha of RGBA/BGRA output comes from
// `alpha_source` (device planes, any size, nearest neighbour) or is opaque without it.
void planar_rgb_to_frame(const float* src, const Frame& frame, const Frame* alpha_source, cudaStream_t stream);

}  // namespace vsr::cuda
