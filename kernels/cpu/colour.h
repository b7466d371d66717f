// Colour conversion between frame planes and the network's planar float RGB in [0,1]. One pass each
// way that reads/writes the frame planes directly (no intermediate frame). YUV uses the frame's
// matrix (BT.601/709/2020) and range; 4:2:0 chroma is interpolated bilinearly (centre-sited) on the way
// in and box-averaged on the way out.
#pragma once
#include "vsr/frame.h"

namespace vsr::cpu {

// dst: 3 planes of width*height floats (R, G, B).
void frame_to_planar_rgb(const Frame& frame, float* dst);

// src: 3 planes of frame.width*frame.height floats; values are clamped to [0,1] and rounded.
// `alpha_source` (may be null) supplies alpha for RGBA/BGRA output by nearest-neighbour lookup;
// without it alpha is opaque.
void planar_rgb_to_frame(const float* src, const Frame& frame, const Frame* alpha_source = nullptr);

// Bytes per pixel of packed formats; 0 for planar ones.
int packed_pixel_size(PixelFormat format);

}  // namespace vsr::cpu
