// MATLAB-compatible bicubic imresize: the degradation every SR paper's tables assume.
// Keys cubic (a = -0.5), antialiasing when shrinking, symmetric boundary, separable with the dimension
// of smaller scale first, and, for 8-bit input, clip+round after each 1-D pass as imresizemex does.
#pragma once
#include "image.h"

namespace vsr {

enum class ResizeFilter { Bicubic, Lanczos3 };

// Resizes by `scale` with MATLAB's kernel of that name (imresize(..., 'bicubic' | 'lanczos3')).
Image8 imresize(const Image8& image, double scale, ResizeFilter filter);

// Resizes by `scale` (output size = ceil(scale * input size)); 8-bit in, 8-bit out.
Image8 imresize_bicubic(const Image8& image, double scale);
// Resizes to an exact output size.
Image8 imresize_bicubic(const Image8& image, int out_width, int out_height);
// The same on one float plane, without the 8-bit rounding between passes (for degradation pipelines
// that stay in float). dst holds out_width * out_height values.
void imresize_bicubic_plane(const float* src, int width, int height, int out_width, int out_height, float* dst);

}  // namespace vsr
