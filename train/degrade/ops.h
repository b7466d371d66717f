// The operations of a degradation pipeline, each a pure function of its inputs (noise takes its
// random generator explicitly): blur with a kernel (reflected edges), downsampling (MATLAB bicubic,
// as the standard protocol, or area / nearest for Real-ESRGAN's random resize), Gaussian and Poisson
// noise in colour or grey, and rounding to 8 bits.
#pragma once
#include <random>

#include "float_image.h"
#include "kernels.h"

namespace vsr::degrade {

FloatImage blur(const FloatImage& image, const Kernel& k);

enum class Resample { Bicubic, Area, Nearest };
// To out_width x out_height (downscale or upscale; Area only downscales by integer factors).
FloatImage resize(const FloatImage& image, int out_width, int out_height, Resample how);

// Additive Gaussian noise of `sigma` (in [0,1] units). Grey: one sample per pixel for all channels.
FloatImage gaussian_noise(const FloatImage& image, double sigma, bool grey, std::mt19937_64& rng);
// Shot noise: value -> Poisson(value * peak) / peak. Grey: the noise of the luma added to every channel.
FloatImage poisson_noise(const FloatImage& image, double peak, bool grey, std::mt19937_64& rng);

// Values clamped to [0,1] and rounded to 8-bit steps (what any stored image goes through).
FloatImage quantise(const FloatImage& image);

}  // namespace vsr::degrade
