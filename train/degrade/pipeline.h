// Whole degradation pipelines from HR to LR, drawing their parameters from a generator (pure: the
// same generator state gives the same LR):
//   classic       y = (x ⊗ k)↓s + n with a random Gaussian kernel and Gaussian noise
//   second_order  Real-ESRGAN's (Wang et al. 2021) two rounds of blur (Gaussian, generalised
//                 Gaussian, plateau or sinc kernels), random resize, Gaussian or Poisson noise in
//                 colour or grey and JPEG re-compression (quality 30-95), then the final resize to
//                 the LR size, a sinc filter and a last JPEG.
#pragma once
#include <random>
#include <string>

#include "float_image.h"

namespace vsr::degrade {

FloatImage classic(const FloatImage& hr, int scale, std::mt19937_64& rng);
FloatImage second_order(const FloatImage& hr, int scale, std::mt19937_64& rng);

// "bicubic" (the standard protocol), "classic" or "second_order"; throws vsr::Error for other names.
FloatImage degrade(const std::string& name, const FloatImage& hr, int scale, std::mt19937_64& rng);

}  // namespace vsr::degrade
