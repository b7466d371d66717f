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

// One strong edge pixel: the angle of its normal and the blur variance measured across it.
struct EdgeSample {
  double theta;
  double variance;  // sigma^2 in pixels^2 after the known variances are taken out (noise may push it below 0)
};

std::vector<EdgeSample> edge_samples(const FloatImage& image) {
  const FloatImage y = luma(image);
  const int h = y.height, w = y.width;
  if (h <= 2 * kBorder + 2 || w <= 2 * kBorder + 2) return {};
  const Gradient g = gradient(blur(y, isotropic_gaussian(7, kPresmoothSigma)));
  const Gradient g1 = gradient(blur(y, isotropic_gaussian(11, std::hypot(kPresmoothSigma, kReblurSigma))));
  const float strongest = *std::max_element(g.magnitude.begin(), g.magnitude.end());
  // Strong edges only: noise and texture have no clean profile to measure.
  const float threshold = std::max(0.2f * strongest, 0.02f);
  std::vector<EdgeSample> samples;
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
      samples.push_back({std::atan2(g.gy[i], g.gx[i]), measured - kKnownVariance});
    }
  return samples;
}

double median(std::vector<double> values) {
  const auto mid = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
  std::nth_element(values.begin(), mid, values.end());
  return *mid;
}

}  // namespace

BlurEstimate estimate_gaussian_blur(const FloatImage& image) {
  std::vector<double> variances;
  for (const EdgeSample& e : edge_samples(image)) variances.push_back(e.variance);
  if (variances.empty()) return {};
  return {std::sqrt(std::max(0.0, median(variances))), static_cast<int>(variances.size())};
}

int OrientedBlur::total_edges() const {
  int n = 0;
  for (int e : edges) n += e;
  return n;
}

int OrientedBlur::measured_orientations() const {
  return static_cast<int>(std::count_if(std::begin(edges), std::end(edges), [](int e) { return e > 0; }));
}

int orientation_bin(double theta) {
  double t = std::fmod(theta, M_PI);
  if (t < 0) t += M_PI;
  return std::min(kOrientations - 1, static_cast<int>(t / M_PI * kOrientations));
}

std::array<double, 3> orientation_row(int bin) {
  const double t = (bin + 0.5) * M_PI / kOrientations;
  return {std::cos(t) * std::cos(t), 2.0 * std::cos(t) * std::sin(t), std::sin(t) * std::sin(t)};
}

OrientedBlur oriented_blur(const std::vector<FloatImage>& images) {
  std::vector<double> bins[kOrientations];
  for (const auto& image : images)
    for (const EdgeSample& e : edge_samples(image)) bins[orientation_bin(e.theta)].push_back(e.variance);
  OrientedBlur out;
  for (int b = 0; b < kOrientations; ++b) {
    out.edges[b] = static_cast<int>(bins[b].size());
    if (!bins[b].empty()) out.variance[b] = median(bins[b]);
  }
  return out;
}

double BlurCovariance::sigma_major() const {
  const double mean = 0.5 * (xx + yy), spread = std::hypot(0.5 * (xx - yy), xy);
  return std::sqrt(std::max(0.0, mean + spread));
}

double BlurCovariance::sigma_minor() const {
  const double mean = 0.5 * (xx + yy), spread = std::hypot(0.5 * (xx - yy), xy);
  return std::sqrt(std::max(0.0, mean - spread));
}

double BlurCovariance::theta() const { return 0.5 * std::atan2(2.0 * xy, xx - yy); }

BlurCovariance fit_blur_covariance(const OrientedBlur& blur) {
  // Weighted least squares on the normal equations of orientation_row(b) . (xx, xy, yy) = variance[b].
  double ata[3][3] = {}, atb[3] = {}, weight_sum = 0.0, weighted = 0.0;
  for (int b = 0; b < kOrientations; ++b) {
    if (blur.edges[b] == 0) continue;
    const double w = std::sqrt(static_cast<double>(blur.edges[b]));
    const std::array<double, 3> row = orientation_row(b);
    for (int i = 0; i < 3; ++i) {
      for (int j = 0; j < 3; ++j) ata[i][j] += w * row[i] * row[j];
      atb[i] += w * row[i] * blur.variance[b];
    }
    weight_sum += w;
    weighted += w * blur.variance[b];
  }
  BlurCovariance s;
  if (weight_sum == 0.0) return s;
  if (blur.measured_orientations() < 3) {
    s.xx = s.yy = std::max(0.0, weighted / weight_sum);
    return s;
  }
  // Cramer's rule on the 3 x 3 normal equations.
  auto det3 = [](const double m[3][3]) {
    return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
           m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
  };
  const double d = det3(ata);
  double x[3];
  for (int k = 0; k < 3; ++k) {
    double m[3][3];
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 3; ++j) m[i][j] = j == k ? atb[i] : ata[i][j];
    x[k] = det3(m) / d;
  }
  s.xx = x[0];
  s.xy = x[1];
  s.yy = x[2];
  // Clamp to positive semi-definite: keep the axes, drop negative variances (noise, or footage
  // sharper than the reference along some direction).
  const double major = s.sigma_major(), minor = s.sigma_minor(), t = s.theta();
  const double a = major * major, c = minor * minor, cs = std::cos(t), sn = std::sin(t);
  s.xx = a * cs * cs + c * sn * sn;
  s.yy = a * sn * sn + c * cs * cs;
  s.xy = (a - c) * cs * sn;
  return s;
}

ClassicBlurMatch matching_classic_blur(const std::vector<FloatImage>& footage, const std::vector<FloatImage>& training_hr,
                                       int scale) {
  const OrientedBlur target = oriented_blur(footage);
  if (target.total_edges() == 0) throw Error("blur estimation: the footage images have no edge strong enough to measure");
  std::vector<FloatImage> bicubic_lr;
  for (const auto& hr : training_hr)
    bicubic_lr.push_back(resize(hr, hr.width / scale, hr.height / scale, Resample::Bicubic));
  const OrientedBlur base = oriented_blur(bicubic_lr);
  if (base.total_edges() == 0) throw Error("blur estimation: the training images have no edge strong enough to measure");
  // Bicubic LR's own blur is isotropic: one reference variance for every orientation, the pooled
  // median's stand-in (the weighted mean of the bins), robust to a training set short of some angle.
  double base_sum = 0.0, base_weight = 0.0;
  for (int b = 0; b < kOrientations; ++b) {
    base_sum += base.edges[b] * base.variance[b];
    base_weight += base.edges[b];
  }
  const double reference = base_sum / base_weight;
  OrientedBlur extra = target;
  for (int b = 0; b < kOrientations; ++b) extra.variance[b] = scale * scale * (target.variance[b] - reference);
  ClassicBlurMatch match;
  match.footage = fit_blur_covariance(target);
  match.hr_oriented = extra;
  match.hr = fit_blur_covariance(extra);
  // A near-delta where the footage is no blurrier than bicubic LR: 0 would be no kernel at all.
  const double major = std::max(0.05, match.hr.sigma_major()), minor = std::max(0.05, match.hr.sigma_minor());
  const int size = std::max(2 * (scale + 1) + 1, 2 * static_cast<int>(std::ceil(3 * major)) + 1);
  match.kernel = anisotropic_gaussian(size, major, minor, match.hr.theta());
  return match;
}

}  // namespace vsr::degrade
