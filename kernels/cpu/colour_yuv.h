// Internal to the colour kernels: the YUV and grey halves of frame_to_planar_rgb/planar_rgb_to_frame,
// and the stored chroma the luma path resamples.
#pragma once
#include <vector>

#include "vsr/frame.h"

namespace vsr::cpu {

// Cb and Cr planes (normalised, see Ycc) at a frame's chroma resolution.
struct ChromaPlanes {
  int width = 0, height = 0;
  int subsampling = 1;  // luma pixels per chroma sample along each axis
  std::vector<float> cb, cr;
};

// The chroma of a YUV frame as stored; empty planes for grey.
ChromaPlanes read_yuv_chroma(const Frame& frame);

void yuv_frame_to_planar_rgb(const Frame& frame, float* dst);
void planar_rgb_to_yuv_frame(const float* src, const Frame& frame);

}  // namespace vsr::cpu
