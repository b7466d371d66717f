// Blind blur-kernel estimation for one image, fitted per image: the isotropic Gaussian sigma that
// explains its edges (Zhuo & Sim 2011's re-blur ratio). At an edge blurred by sigma, re-blurring by a
// known sigma0 lowers the gradient peak by R = sqrt(sigma^2 + sigma0^2) / sigma, so
// sigma = sigma0 / sqrt(R^2 - 1); a light pre-smoothing (against noise) and the central differences
// that measure the gradient add their own known variance, taken out here. The median over the image's strong edge
// pixels (non-maximum suppressed along the gradient) is the estimate.
//
// The kernel prior is the Gaussian family itself, where FKP learns a normalising flow over kernels and
// fits its latent per image: a narrower prior, but one that needs no network at inference and is
// what the classic degradation draws from, so the estimate picks that degradation's kernel directly
// (vsr-train --blur-from, matching a user's footage). Pure function.
#pragma once
#include <vector>

#include "float_image.h"

namespace vsr::degrade {

struct BlurEstimate {
  double sigma = 0.0;  // Gaussian sigma in this image's pixels
  int edges = 0;       // edge pixels the median is over; 0: no usable edge, sigma means nothing
};

// `image`: RGB (BT.601 luma is measured) or one grey channel.
BlurEstimate estimate_gaussian_blur(const FloatImage& image);

// The median estimate over images that have edges (footage frames, say); 0 edges when none has.
BlurEstimate median_blur(const std::vector<FloatImage>& images);

struct ClassicBlurMatch {
  double footage_sigma = 0.0;  // the footage's median blur, in its own (LR) pixels
  double hr_sigma = 0.0;       // the classic degradation's Gaussian that reproduces it, in HR pixels
};

// The HR-pixel sigma of the classic degradation's Gaussian that gives LR as blurred as `footage`:
// Gaussians add in quadrature and an HR sigma shrinks by `scale` in the LR, so it is
// scale * sqrt(footage^2 - bicubic^2), where `bicubic` is the blur measured on the bicubic LR of
// `training_hr` (the same estimator on both sides, so its bias cancels); 0 when the footage is no
// blurrier than bicubic LR. Throws vsr::Error when either set has no measurable edge.
ClassicBlurMatch matching_classic_sigma(const std::vector<FloatImage>& footage, const std::vector<FloatImage>& training_hr,
                                        int scale);

}  // namespace vsr::degrade
