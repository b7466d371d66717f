#include "kernel_estimation.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "kernels.h"
#include "ops.h"
#include "vsr/error.h"

namespace vsr::degrade {
namespace {

constexpr double kReblurSigma = 1.0;
// Both measurements see the image through a light Gaussian first: noise (a codec's, a sensor's)
// would otherwise raise the sharper measurement's edge peaks more than the re-blurred one's and bias
// sigma low. Its variance, like the central differences' (a two-pixel box: 1/3), is taken out after.
constexpr double kPresmoothSigma = 0.7;
constexpr double kKnownVariance = kPresmoothSigma * kPresmoothSigma + 1.0 / 3.0;
constexpr int kBorder = 6;                         // past the 11-tap re-blur's reach into reflected edges

FloatImage luma(const FloatImage& image) {
  if (image.channels == 1) return image;
  FloatImage y = FloatImage::zeros(1, image.height, image.width);
  for (int r = 0; r < image.height; ++r)
    for (int c = 0; c < image.width; ++c)
      y.at(0, r, c) = 0.299f * image.at(0, r, c) + 0.587f * image.at(1, r, c) + 0.114f * image.at(2, r, c);
  return y;
}

struct Gradient {
  std::vector<float> gx, gy, magnitude;
};

Gradient gradient(const FloatImage& y) {
  const int h = y.height, w = y.width;
  Gradient g{std::vector<float>(static_cast<size_t>(h) * w, 0.0f), std::vector<float>(static_cast<size_t>(h) * w, 0.0f),
             std::vector<float>(static_cast<size_t>(h) * w, 0.0f)};
  for (int r = 1; r + 1 < h; ++r)
    for (int c = 1; c + 1 < w; ++c) {
      const size_t i = static_cast<size_t>(r) * w + c;
      g.gx[i] = 0.5f * (y.at(0, r, c + 1) - y.at(0, r, c - 1));
      g.gy[i] = 0.5f * (y.at(0, r + 1, c) - y.at(0, r - 1, c));
      g.magnitude[i] = std::hypot(g.gx[i], g.gy[i]);
    }
  return g;
}

}  // namespace

BlurEstimate estimate_gaussian_blur(const FloatImage& image) {
  const FloatImage y = luma(image);
  const int h = y.height, w = y.width;
  if (h <= 2 * kBorder + 2 || w <= 2 * kBorder + 2) return {};
  const Gradient g = gradient(blur(y, isotropic_gaussian(7, kPresmoothSigma)));
  const Gradient g1 = gradient(blur(y, isotropic_gaussian(11, std::hypot(kPresmoothSigma, kReblurSigma))));
  const float strongest = *std::max_element(g.magnitude.begin(), g.magnitude.end());
  // Strong edges only: noise and texture have no clean profile to measure.
  const float threshold = std::max(0.2f * strongest, 0.02f);
  std::vector<double> sigmas;
  for (int r = kBorder; r < h - kBorder; ++r)
    for (int c = kBorder; c < w - kBorder; ++c) {
      const size_t i = static_cast<size_t>(r) * w + c;
      const float m = g.magnitude[i];
      if (m < threshold) continue;
      // Non-maximum suppression along the gradient, quantised to the nearest of the 8 neighbours.
      const int dx = static_cast<int>(std::lround(g.gx[i] / m)), dy = static_cast<int>(std::lround(g.gy[i] / m));
      const size_t ahead = static_cast<size_t>(r + dy) * w + (c + dx), behind = static_cast<size_t>(r - dy) * w + (c - dx);
      if (m < g.magnitude[ahead] || m < g.magnitude[behind]) continue;
      const double ratio = m / std::max(g1.magnitude[i], 1e-6f);
      if (ratio <= 1.0001) continue;
      const double measured = kReblurSigma * kReblurSigma / (ratio * ratio - 1.0);  // sigma^2 + the known variance
      sigmas.push_back(std::sqrt(std::max(0.0, measured - kKnownVariance)));
    }
  if (sigmas.empty()) return {};
  const auto mid = sigmas.begin() + static_cast<std::ptrdiff_t>(sigmas.size() / 2);
  std::nth_element(sigmas.begin(), mid, sigmas.end());
  return {*mid, static_cast<int>(sigmas.size())};
}

BlurEstimate median_blur(const std::vector<FloatImage>& images) {
  std::vector<BlurEstimate> found;
  for (const auto& image : images)
    if (const BlurEstimate e = estimate_gaussian_blur(image); e.edges > 0) found.push_back(e);
  if (found.empty()) return {};
  const auto mid = found.begin() + static_cast<std::ptrdiff_t>(found.size() / 2);
  std::nth_element(found.begin(), mid, found.end(), [](const BlurEstimate& a, const BlurEstimate& b) { return a.sigma < b.sigma; });
  int edges = 0;
  for (const auto& e : found) edges += e.edges;
  return {mid->sigma, edges};
}

ClassicBlurMatch matching_classic_sigma(const std::vector<FloatImage>& footage, const std::vector<FloatImage>& training_hr,
                                        int scale) {
  const BlurEstimate target = median_blur(footage);
  if (target.edges == 0) throw Error("blur estimation: the footage images have no edge strong enough to measure");
  std::vector<FloatImage> bicubic_lr;
  for (const auto& hr : training_hr)
    bicubic_lr.push_back(resize(hr, hr.width / scale, hr.height / scale, Resample::Bicubic));
  const BlurEstimate base = median_blur(bicubic_lr);
  if (base.edges == 0) throw Error("blur estimation: the training images have no edge strong enough to measure");
  return {target.sigma, scale * std::sqrt(std::max(0.0, target.sigma * target.sigma - base.sigma * base.sigma))};
}

}  // namespace vsr::degrade
