#include "kernels.h"

#include <cmath>
#include <functional>

#include "vsr/error.h"

namespace vsr::degrade {
namespace {

void check_size(int size) {
  if (size < 1 || size % 2 == 0 || size > 63) throw Error("blur kernel size " + std::to_string(size) + " must be odd, 1 to 63");
}

// The kernel of `f(dx, dy)` over the grid centred on 0, normalised to sum 1.
Kernel sampled(int size, const std::function<double(double, double)>& f) {
  check_size(size);
  Kernel k;
  k.size = size;
  k.w.resize(static_cast<size_t>(size) * size);
  const int r = size / 2;
  double sum = 0.0;
  for (int y = -r; y <= r; ++y)
    for (int x = -r; x <= r; ++x) sum += k.w[static_cast<size_t>(y + r) * size + (x + r)] = static_cast<float>(f(x, y));
  if (!(sum > 0.0)) throw Error("blur kernel has no weight (sum " + std::to_string(sum) + ")");
  for (float& v : k.w) v = static_cast<float>(v / sum);
  return k;
}

// d^T Σ^-1 d for Σ = R diag(sx², sy²) R^T.
std::function<double(double, double)> mahalanobis(double sx, double sy, double theta) {
  if (!(sx > 0.0) || !(sy > 0.0)) throw Error("blur kernel sigmas must be positive");
  const double c = std::cos(theta), s = std::sin(theta);
  return [=](double x, double y) {
    const double u = c * x + s * y, v = -s * x + c * y;  // rotated into the kernel's axes
    return u * u / (sx * sx) + v * v / (sy * sy);
  };
}

}  // namespace

Kernel anisotropic_gaussian(int size, double sx, double sy, double theta) {
  const auto m = mahalanobis(sx, sy, theta);
  return sampled(size, [&](double x, double y) { return std::exp(-0.5 * m(x, y)); });
}

Kernel isotropic_gaussian(int size, double sigma) { return anisotropic_gaussian(size, sigma, sigma, 0.0); }

Kernel generalized_gaussian(int size, double sx, double sy, double theta, double beta) {
  if (!(beta > 0.0)) throw Error("generalised Gaussian beta must be positive");
  const auto m = mahalanobis(sx, sy, theta);
  return sampled(size, [&](double x, double y) { return std::exp(-0.5 * std::pow(m(x, y), beta)); });
}

Kernel plateau(int size, double sx, double sy, double theta, double beta) {
  if (!(beta > 0.0)) throw Error("plateau beta must be positive");
  const auto m = mahalanobis(sx, sy, theta);
  return sampled(size, [&](double x, double y) { return 1.0 / (1.0 + std::pow(m(x, y), beta)); });
}

Kernel circular_sinc(int size, double cutoff) {
  if (!(cutoff > 0.0 && cutoff <= M_PI)) throw Error("sinc cutoff must be in (0, pi]");
  return sampled(size, [&](double x, double y) {
    const double r = std::hypot(x, y);
    // The limit at r = 0 of cutoff * J1(cutoff r) / (2 pi r) is cutoff^2 / (4 pi).
    return r == 0.0 ? cutoff * cutoff / (4.0 * M_PI) : cutoff * std::cyl_bessel_j(1.0, cutoff * r) / (2.0 * M_PI * r);
  });
}

}  // namespace vsr::degrade
