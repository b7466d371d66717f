// Blind blur-kernel estimation for one image, fitted per image: the isotropic Gaussian sigma that
// explains its edges (Zhuo & Sim 2011's re-blur ratio). At an edge blurred by sigma, re-blurring by a
// known sigma0 lowers the gradient peak by R = sqrt(sigma^2 + sigma0^2) / sigma, so
// sigma = sigma0 / sqrt(R^2 - 1); a light pre-smoothing (against noise) and the central differences
// that measure the gradient add their own known variance, taken out here. The median over the image's strong edge
// pixels (non-maximum suppressed along the gradient) is the estimate.
//
// Measured per edge orientation, the same ratio gives the blur's covariance (anisotropic kernels:
// motion, anamorphic or field-doubled footage). The kernel prior here is the Gaussian family, which
// the classic degradation draws from, so the estimate picks that degradation's kernel directly
// (vsr-train --blur-from, matching a user's footage); train/kernel_prior.h fits a learned prior (FKP)
// to the same measurements. Pure functions.
#pragma once
#include <array>
#include <vector>

#include "float_image.h"
#include "kernels.h"

namespace vsr::degrade {

struct BlurEstimate {
  double sigma = 0.0;  // Gaussian sigma in this image's pixels
  int edges = 0;       // edge pixels the median is over; 0: no usable edge, sigma means nothing
};

// `image`: RGB (BT.601 luma is measured) or one grey channel.
BlurEstimate estimate_gaussian_blur(const FloatImage& image);


// The blur measured per edge orientation. At an edge whose normal is n, a kernel of covariance S
// blurs the profile by the variance n^T S n, so the same re-blur ratio, binned by the normal's angle
// (kOrientations bins over 180 degrees, the median of each), sees an anisotropic kernel's shape.
constexpr int kOrientations = 8;
struct OrientedBlur {
  double variance[kOrientations] = {};  // median sigma^2 of the bin's edges (pixels^2; may dip below 0)
  int edges[kOrientations] = {};        // edge pixels in the bin; 0: nothing measured there
  int total_edges() const;
  int measured_orientations() const;
};
// The bin of normal angle theta (radians, any): bin b covers [b, b + 1) * pi / kOrientations.
int orientation_bin(double theta);
// The measurement model both covariance fits share (this one and kernel_prior.h's): the variance
// across an edge whose normal is at bin b's centre angle t, n^T S n = row[0] xx + row[1] xy + row[2] yy
// with row = {cos^2 t, 2 cos t sin t, sin^2 t}.
std::array<double, 3> orientation_row(int bin);
// Over every edge pixel of every image (RGB measured on luma).
OrientedBlur oriented_blur(const std::vector<FloatImage>& images);

// A blur covariance [[xx, xy], [xy, yy]] in pixels^2 and its principal axes.
struct BlurCovariance {
  double xx = 0.0, xy = 0.0, yy = 0.0;
  double sigma_major() const;
  double sigma_minor() const;
  double theta() const;  // the major axis' angle from x, radians in (-pi/2, pi/2]
};
// The covariance whose projections n^T S n fit the bins' variances (least squares weighted by the
// square root of each bin's edge count, clamped positive semi-definite). Fewer than 3 measured
// orientations cannot fix a 2-D shape: the fit is then isotropic (their weighted mean).
BlurCovariance fit_blur_covariance(const OrientedBlur& blur);

struct ClassicBlurMatch {
  BlurCovariance footage;  // the footage's blur, in its own (LR) pixels
  OrientedBlur hr_oriented;  // the HR variance wanted per orientation (what a kernel prior fits)
  BlurCovariance hr;       // the classic degradation's Gaussian that reproduces it, in HR pixels
  Kernel kernel;           // that Gaussian, reaching 3 sigma of its major axis
};

// The anisotropic Gaussian (HR pixels) of the classic degradation that gives LR as blurred as
// `footage`, orientation by orientation: Gaussians' covariances add and an HR covariance shrinks by
// scale^2 in the LR, so the HR variance of each orientation is scale^2 * (footage - bicubic), where
// `bicubic` is measured on the bicubic LR of `training_hr` (the same estimator on both sides, so its
// bias cancels); a footage no blurrier than bicubic LR gets a near-delta. Throws vsr::Error when either
// set has no measurable edge.
ClassicBlurMatch matching_classic_blur(const std::vector<FloatImage>& footage, const std::vector<FloatImage>& training_hr,
                                       int scale);

}  // namespace vsr::degrade
