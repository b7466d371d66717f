// Whole degradation pipelines from HR to LR, drawing their parameters from a generator (pure: the
// same generator state gives the same LR):
//   classic       y = (x ⊗ k)↓s + n with a random Gaussian kernel and Gaussian noise
//   second_order  Real-ESRGAN's (Wang et al. 2021) two rounds of blur (Gaussian, generalised
//                 Gaussian, plateau or sinc kernels), random resize, Gaussian or Poisson noise in
//                 colour or grey and JPEG re-compression (quality 30-95), then the final resize to
//                 the LR size, a sinc filter and a last JPEG.
//   video         second_order whose last compression is H.264 (libx264, CRF 18-40, an inter-
//                 predicted frame) instead of JPEG two times in three: footage that went through a
//                 video codec (web video, broadcast, DVD), as Real-ESRGAN's video models train.
#pragma once
#include <random>
#include <string>
#include <vector>

#include "float_image.h"
#include "kernels.h"

namespace vsr::degrade {

// One of the blur kernels Real-ESRGAN's pipeline draws: isotropic (45 %) or anisotropic (25 %)
// Gaussian, generalised Gaussian (15 %) or plateau (15 %), axes in [0.2, max_sigma], any angle. The
// random pipelines draw from it (with their sinc and random sizes); kernel_prior.h learns it.
Kernel random_blur_kernel(int size, double max_sigma, std::mt19937_64& rng);

// `fixed_blur` (HR pixels; kernel_estimation.h and kernel_prior.h match it to footage) replaces the
// random isotropic Gaussian, whose sigma is otherwise drawn from [0.2, 0.6 * scale].
FloatImage classic(const FloatImage& hr, int scale, std::mt19937_64& rng, const Kernel* fixed_blur = nullptr);
FloatImage second_order(const FloatImage& hr, int scale, std::mt19937_64& rng);
FloatImage video(const FloatImage& hr, int scale, std::mt19937_64& rng);

// "bicubic" (the standard protocol), "classic", "second_order" or "video"; throws vsr::Error for other
// names.
// fixed_blur: classic's kernel (null: random); the other pipelines ignore it.
FloatImage degrade(const std::string& name, const FloatImage& hr, int scale, std::mt19937_64& rng,
                   const Kernel* fixed_blur = nullptr);
// The names degrade() knows, and whether `name` is one ("bicubic, classic, ..." for messages).
const std::vector<std::string>& degradation_names();
bool is_degradation(const std::string& name);
std::string degradation_list();

}  // namespace vsr::degrade
