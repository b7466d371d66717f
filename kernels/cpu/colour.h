// Colour conversion between frame planes and the network's planar float RGB (or luma) in [0,1]. One
// pass each way that reads/writes the frame planes directly (no intermediate frame). YUV uses the
// frame's matrix (BT.601/709/2020), range and bit depth (10-bit formats are read and written at 10
// bits); 4:2:0 chroma is interpolated bilinearly (centre-sited) on the way in and box-averaged on the
// way out. GRAY8 is full-range grey: read as R = G = B, written as the luma (the frame matrix's
// Kr, Kg, Kb) of the RGB, so a grey image comes back unchanged whatever the matrix.
#pragma once
#include "vsr/frame.h"

namespace vsr::cpu {

// dst: 3 planes of width*height floats (R, G, B).
void frame_to_planar_rgb(const Frame& frame, float* dst);

// src: 3 planes of frame.width*frame.height floats; values are clamped to [0,1] and rounded.
// `alpha_source` (may be null) supplies alpha for RGBA/BGRA output by nearest-neighbour lookup;
// without it alpha is opaque.
void planar_rgb_to_frame(const float* src, const Frame& frame, const Frame* alpha_source = nullptr);

// Bytes per pixel of packed RGB formats; 0 for YUV and grey ones.
int packed_pixel_size(PixelFormat format);

// ---- Luma-only models: the network upscales Y, the chroma goes through bicubic.

// dst: width*height floats, the frame's luma with black at 0 and white at 1: (Y-16)/219 or (Y-64)/876
// for limited range, Y/255 or Y/1023 for full range (GRAY8 always full), Kr R + Kg G + Kb B of the
// frame's matrix for RGB formats. Codes outside the nominal range map outside [0,1] (not clamped).
void frame_to_planar_luma(const Frame& frame, float* dst);

// Writes `out`, an integer multiple of `in`'s size (the same factor both ways) in any format, from
// y_hr (out.width*out.height floats, clamped to [0,1]) as its luma, and the chroma of `in` resampled
// with Keys' cubic (a = -0.5, edges clamped, separable) straight from `in`'s chroma samples to `out`'s
// (centre-sited in both; RGB input gives full-resolution Cb/Cr from its own pixels, grey input none).
// RGB output is converted back from (Y, Cb, Cr); alpha comes from `in` by nearest neighbour, as in
// planar_rgb_to_frame. Both frames must use the same matrix (the colour maths of y_hr is `in`'s);
// ranges and bit depths may differ.
void luma_to_frame(const float* y_hr, const Frame& in, const Frame& out);

}  // namespace vsr::cpu
