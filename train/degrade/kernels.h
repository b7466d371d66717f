// Blur kernels of the classic degradation y = (x ⊗ k)↓s + n and of Real-ESRGAN's random pipeline:
// isotropic and anisotropic Gaussians, generalised Gaussians (sharper or flatter tops), plateau
// kernels, and the circular sinc (ringing and overshoot). Every kernel is odd-sized, centred and
// sums to 1. Pure functions: same arguments, same kernel.
#pragma once
#include <cstddef>
#include <vector>

namespace vsr::degrade {

struct Kernel {
  int size = 1;              // odd
  std::vector<float> w;      // size * size, row-major, sums to 1
  float at(int y, int x) const { return w[static_cast<size_t>(y) * size + x]; }
};

// sigma_x along the axis rotated by theta (radians) from x, sigma_y across it.
Kernel anisotropic_gaussian(int size, double sigma_x, double sigma_y, double theta);
Kernel isotropic_gaussian(int size, double sigma);
// exp(-0.5 * (d^T Σ^-1 d)^beta): beta < 1 peakier than a Gaussian, beta > 1 flatter (beta 1 = Gaussian).
Kernel generalized_gaussian(int size, double sigma_x, double sigma_y, double theta, double beta);
// 1 / (1 + (d^T Σ^-1 d)^beta): a flat top that falls off with a long tail.
Kernel plateau(int size, double sigma_x, double sigma_y, double theta, double beta);
// The ideal circular low-pass of cutoff omega (radians per pixel, in (0, pi]): cutoff * J1(cutoff r) /
// (2 pi r), the kernel Real-ESRGAN uses for ringing artefacts.
Kernel circular_sinc(int size, double cutoff);

}  // namespace vsr::degrade
