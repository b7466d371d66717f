// The degradations as pure functions, against hand-computed cases: kernels (normalised, centred,
// the Gaussian's own values, rotation, beta = 1 is the Gaussian), blur (constant stays, impulse
// gives the kernel), resizes (float bicubic = the 8-bit MATLAB one within rounding), noise statistics.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "eval/imresize.h"
#include "train/degrade/ops.h"
#include "vsr/error.h"

namespace {

using namespace vsr::degrade;

double sum(const Kernel& k) { return std::accumulate(k.w.begin(), k.w.end(), 0.0); }

TEST(DegradeKernels, GaussianValuesByHand) {
  const Kernel k = isotropic_gaussian(3, 1.0);
  // Unnormalised: centre 1, edges e^-0.5, corners e^-1; normalised by their sum.
  const double edge = std::exp(-0.5), corner = std::exp(-1.0), total = 1 + 4 * edge + 4 * corner;
  EXPECT_NEAR(k.at(1, 1), 1 / total, 1e-6);
  EXPECT_NEAR(k.at(0, 1), edge / total, 1e-6);
  EXPECT_NEAR(k.at(0, 0), corner / total, 1e-6);
  EXPECT_NEAR(sum(k), 1.0, 1e-6);
}

TEST(DegradeKernels, EveryKindIsNormalisedCentredAndSymmetric) {
  for (const Kernel& k : {anisotropic_gaussian(21, 3.0, 1.0, 0.7), generalized_gaussian(21, 2.0, 1.5, 0.3, 0.5),
                          plateau(21, 2.0, 2.0, 0.0, 2.0), circular_sinc(21, 1.2)}) {
    EXPECT_NEAR(sum(k), 1.0, 1e-5);
    for (int y = 0; y < k.size; ++y)
      for (int x = 0; x < k.size; ++x) EXPECT_NEAR(k.at(y, x), k.at(k.size - 1 - y, k.size - 1 - x), 1e-7);  // point symmetric
  }
}

TEST(DegradeKernels, RotationAndBetaBehaveAsDefined) {
  // Rotating a kernel long along x by 90 degrees makes it long along y.
  const Kernel along_x = anisotropic_gaussian(11, 3.0, 1.0, 0.0), along_y = anisotropic_gaussian(11, 3.0, 1.0, M_PI / 2);
  for (int y = 0; y < 11; ++y)
    for (int x = 0; x < 11; ++x) EXPECT_NEAR(along_x.at(y, x), along_y.at(x, y), 1e-6);
  // beta 1: the generalised Gaussian is the Gaussian.
  const Kernel g = anisotropic_gaussian(9, 2.0, 1.0, 0.4), gg = generalized_gaussian(9, 2.0, 1.0, 0.4, 1.0);
  for (size_t i = 0; i < g.w.size(); ++i) EXPECT_NEAR(g.w[i], gg.w[i], 1e-7);
  // The sinc rings: somewhere off-centre it goes negative.
  const Kernel s = circular_sinc(21, 1.0);
  EXPECT_LT(*std::min_element(s.w.begin(), s.w.end()), 0.0f);
}

TEST(DegradeKernels, BadArgumentsAreRefusedByName) {
  EXPECT_THROW(isotropic_gaussian(4, 1.0), vsr::Error);
  EXPECT_THROW(isotropic_gaussian(5, 0.0), vsr::Error);
  EXPECT_THROW(generalized_gaussian(5, 1.0, 1.0, 0.0, -1.0), vsr::Error);
  EXPECT_THROW(circular_sinc(5, 4.0), vsr::Error);
}

// Smooth and inside (0,1): the 8-bit MATLAB resize clips its intermediate pass, so where a sharp
// edge overshoots the two differ by more than rounding; on smooth content only rounding remains.
FloatImage ramp(int channels, int h, int w) {
  FloatImage f = FloatImage::zeros(channels, h, w);
  for (int c = 0; c < channels; ++c)
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x) f.at(c, y, x) = 0.1f * c + 0.01f * x + 0.02f * y + 0.05f * std::sin(0.7f * x);
  return f;
}

TEST(DegradeOps, BlurKeepsConstantsAndTurnsAnImpulseIntoTheKernel) {
  FloatImage flat = FloatImage::zeros(1, 9, 9);
  for (float& v : flat.v) v = 0.6f;
  for (float v : blur(flat, anisotropic_gaussian(7, 2.0, 1.0, 0.5)).v) EXPECT_NEAR(v, 0.6f, 1e-6);
  FloatImage impulse = FloatImage::zeros(1, 9, 9);
  impulse.at(0, 4, 4) = 1.0f;
  const Kernel k = plateau(5, 1.5, 1.0, 0.2, 1.5);
  const FloatImage out = blur(impulse, k);
  for (int y = 0; y < 5; ++y)
    for (int x = 0; x < 5; ++x) EXPECT_NEAR(out.at(0, 2 + y, 2 + x), k.at(4 - y, 4 - x), 1e-7);  // convolution flips
}

TEST(DegradeOps, FloatBicubicIsMatlabBicubicWithoutTheRounding) {
  const FloatImage f = ramp(3, 18, 24);  // divisible by 3: the output size then implies the same scale
  const vsr::Image8 ref = vsr::imresize_bicubic(to_image8(f), 1.0 / 3);
  const vsr::Image8 got = to_image8(resize(to_float(to_image8(f)), ref.width, ref.height, Resample::Bicubic));
  ASSERT_EQ(got.pixels.size(), ref.pixels.size());
  for (size_t i = 0; i < ref.pixels.size(); ++i) EXPECT_LE(std::abs(int(got.pixels[i]) - int(ref.pixels[i])), 1) << i;
}

TEST(DegradeOps, AreaAndNearestByHand) {
  FloatImage f = FloatImage::zeros(1, 2, 4);
  f.v = {0.0f, 0.2f, 0.4f, 0.6f, 0.1f, 0.3f, 0.5f, 0.7f};
  const FloatImage area = resize(f, 2, 1, Resample::Area);
  EXPECT_NEAR(area.v[0], 0.15f, 1e-6);
  EXPECT_NEAR(area.v[1], 0.55f, 1e-6);
  const FloatImage nearest = resize(f, 2, 1, Resample::Nearest);
  EXPECT_FLOAT_EQ(nearest.v[0], 0.3f);  // the pixel under each output pixel's centre: row 1, columns 1 and 3
  EXPECT_FLOAT_EQ(nearest.v[1], 0.7f);
  EXPECT_THROW(resize(f, 3, 1, Resample::Area), vsr::Error);
}

// Every resize keeps the picture where it was: on a ramp, the mean position of the content does not
// move, whatever the factor (a corner-aligned nearest moved it by (in/out - 1)/2 pixels).
TEST(DegradeOps, ResizesKeepThePictureInPlace) {
  const int in_w = 60;
  FloatImage ramp = FloatImage::zeros(1, 1, in_w);
  for (int x = 0; x < in_w; ++x) ramp.v[x] = static_cast<float>(x + 0.5) / in_w;  // value = centre position / width
  for (int out_w : {30, 20, 9, 7}) {
    for (Resample how : {Resample::Nearest, Resample::Bicubic}) {
      const FloatImage small = resize(ramp, out_w, 1, how);
      double mean = 0;
      for (float v : small.v) mean += v;
      mean /= out_w;
      EXPECT_NEAR(mean, 0.5, 0.5 / in_w) << "to width " << out_w << (how == Resample::Nearest ? " by nearest" : " by bicubic");
    }
  }
}

TEST(DegradeOps, GaussianNoiseHasItsSigmaAndGreyNoiseIsSharedByTheChannels) {
  FloatImage f = FloatImage::zeros(3, 100, 100);
  for (float& v : f.v) v = 0.5f;
  std::mt19937_64 rng(7);
  const FloatImage colour = gaussian_noise(f, 0.05, false, rng);
  double s2 = 0.0;
  for (float v : colour.v) s2 += (v - 0.5) * (v - 0.5);
  EXPECT_NEAR(std::sqrt(s2 / colour.v.size()), 0.05, 0.002);
  const FloatImage grey = gaussian_noise(f, 0.05, true, rng);
  for (size_t i = 0; i < 10000; ++i) {
    EXPECT_EQ(grey.v[i], grey.v[10000 + i]);
    EXPECT_EQ(grey.v[i], grey.v[20000 + i]);
  }
  std::mt19937_64 a(3), b(3);  // pure: the same generator state gives the same noise
  EXPECT_EQ(gaussian_noise(f, 0.1, false, a).v, gaussian_noise(f, 0.1, false, b).v);
}

TEST(DegradeOps, PoissonNoiseGrowsWithTheSignal) {
  // Variance of Poisson(v * peak) / peak is v / peak: brighter pixels are noisier.
  std::mt19937_64 rng(11);
  auto variance_at = [&](float level) {
    FloatImage f = FloatImage::zeros(1, 100, 100);
    for (float& v : f.v) v = level;
    const FloatImage n = poisson_noise(f, 100.0, false, rng);
    double s2 = 0.0;
    for (float v : n.v) s2 += (v - level) * (v - level);
    return s2 / n.v.size();
  };
  EXPECT_NEAR(variance_at(0.2f), 0.2 / 100, 0.0004);
  EXPECT_NEAR(variance_at(0.8f), 0.8 / 100, 0.0012);
}

TEST(DegradeOps, QuantiseClampsAndRoundsTo8Bits) {
  FloatImage f = FloatImage::zeros(1, 1, 3);
  f.v = {-0.2f, 0.5012f, 1.3f};
  const FloatImage q = quantise(f);
  EXPECT_FLOAT_EQ(q.v[0], 0.0f);
  EXPECT_FLOAT_EQ(q.v[1], 128.0f / 255.0f);
  EXPECT_FLOAT_EQ(q.v[2], 1.0f);
}

}  // namespace

#include "train/degrade/pipeline.h"

namespace {

TEST(DegradePipelines, EveryPipelineGivesTheLrSizeAndIsPure) {
  const FloatImage hr = ramp(3, 48, 64);
  for (const char* name : {"bicubic", "classic", "second_order", "video"})
    for (int scale : {2, 4}) {
      std::mt19937_64 a(5), b(5);
      const FloatImage lr = degrade(name, hr, scale, a);
      EXPECT_EQ(lr.width, 64 / scale) << name;
      EXPECT_EQ(lr.height, 48 / scale) << name;
      EXPECT_EQ(lr.channels, 3);
      for (float v : lr.v) ASSERT_TRUE(v >= 0.0f && v <= 1.0f) << name << ": stored stages are 8-bit";
      EXPECT_EQ(degrade(name, hr, scale, b).v, lr.v) << name << " is not a pure function of the generator";
    }
  std::mt19937_64 rng(1);
  EXPECT_THROW(degrade("jpeg2000", hr, 2, rng), vsr::Error);
}

TEST(DegradePipelines, SecondOrderVariesWithTheGenerator) {
  const FloatImage hr = ramp(3, 48, 64);
  std::mt19937_64 a(1), b(2);
  EXPECT_NE(second_order(hr, 2, a).v, second_order(hr, 2, b).v);
}

}  // namespace

#include "train/degrade/jpeg.h"
#include "train/degrade/video_codec.h"

namespace {

double psnr_of(const FloatImage& a, const FloatImage& b) {
  double se = 0.0;
  for (size_t i = 0; i < a.v.size(); ++i) se += (a.v[i] - b.v[i]) * (a.v[i] - b.v[i]);
  return 10.0 * std::log10(1.0 / (se / a.v.size()));
}

TEST(DegradeH264, LowerCrfKeepsMoreOddSizesWorkAndItIsPure) {
  const FloatImage img = quantise(ramp(3, 29, 43));  // odd: padded to even for 4:2:0, cropped back
  const FloatImage fine = h264(img, 16, "medium", 2, -1), coarse = h264(img, 45, "medium", 2, -1);
  EXPECT_EQ(fine.width, img.width);
  EXPECT_EQ(fine.height, img.height);
  EXPECT_GT(psnr_of(img, fine), 30.0);
  EXPECT_GT(psnr_of(img, fine), psnr_of(img, coarse) + 3.0);
  EXPECT_EQ(h264(img, 45, "medium", 2, -1).v, coarse.v) << "not deterministic";
  EXPECT_THROW(h264(img, 60, "medium", 0, 0), vsr::Error);
}

TEST(DegradeJpeg, LowerQualityLosesMoreAndTheSameQualityGivesTheSameImage) {
  const FloatImage img = quantise(ramp(3, 40, 56));
  const FloatImage q95 = jpeg(img, 95), q20 = jpeg(img, 20);
  EXPECT_EQ(q95.width, img.width);
  EXPECT_EQ(q95.height, img.height);
  EXPECT_GT(psnr_of(img, q95), 38.0);
  EXPECT_GT(psnr_of(img, q95), psnr_of(img, q20) + 3.0);
  EXPECT_EQ(jpeg(img, 20).v, q20.v);
  EXPECT_THROW(jpeg(img, 0), vsr::Error);
}

}  // namespace

#include "train/degrade/motion.h"

namespace {

TEST(DegradeMotion, AWholePixelPanShiftsEachFrameByThatMuch) {
  const FloatImage still = ramp(3, 40, 60);
  const auto frames = pan_frames(still, {5, 7, 2, 1}, 4, 20, 12);
  ASSERT_EQ(frames.size(), 4u);
  for (int t = 0; t + 1 < 4; ++t)
    for (int c = 0; c < 3; ++c)
      for (int y = 0; y < 11; ++y)
        for (int x = 0; x < 18; ++x) EXPECT_FLOAT_EQ(frames[t + 1].at(c, y, x), frames[t].at(c, y + 1, x + 2));
  EXPECT_FLOAT_EQ(frames[0].at(1, 0, 0), still.at(1, 7, 5));
}

TEST(DegradeMotion, HalfPixelsAreInterpolatedAndRandomPansStayInside) {
  const FloatImage still = ramp(1, 30, 30);
  const auto half = pan_frames(still, {3.5, 4, 0, 0}, 1, 5, 5);
  EXPECT_NEAR(half[0].at(0, 0, 0), 0.5f * (still.at(0, 4, 3) + still.at(0, 4, 4)), 1e-6);
  std::mt19937_64 rng(9);
  for (int i = 0; i < 50; ++i) {
    const Pan p = random_pan(still, 7, 12, 10, 3.0, rng);
    EXPECT_NO_THROW(pan_frames(still, p, 7, 12, 10)) << i;
  }
  EXPECT_THROW(pan_frames(still, {25, 0, 1, 0}, 3, 5, 5), vsr::Error);
  EXPECT_THROW(random_pan(still, 3, 40, 5, 1.0, rng), vsr::Error);
}

}  // namespace
#include <algorithm>

#include "train/degrade/kernel_estimation.h"

namespace {

// A disc and a rotated square on grey: edges at every orientation, pixel-sharp (area-sampled 4x4).
vsr::degrade::FloatImage shapes(int size) {
  auto img = vsr::degrade::FloatImage::zeros(1, size, size);
  const double c = size / 2.0, radius = size * 0.3, angle = 0.4;
  for (int y = 0; y < size; ++y)
    for (int x = 0; x < size; ++x) {
      double covered = 0;
      for (int sy = 0; sy < 4; ++sy)
        for (int sx = 0; sx < 4; ++sx) {
          const double px = x + (sx + 0.5) / 4, py = y + (sy + 0.5) / 4;
          const bool disc = std::hypot(px - c, py - c) < radius;
          const double u = std::cos(angle) * (px - c * 0.5) + std::sin(angle) * (py - c * 0.5),
                       v = -std::sin(angle) * (px - c * 0.5) + std::cos(angle) * (py - c * 0.5);
          const bool square = std::abs(u) < size * 0.12 && std::abs(v) < size * 0.12;
          covered += disc != square ? 1.0 : 0.0;
        }
      img.at(0, y, x) = static_cast<float>(0.2 + 0.6 * covered / 16);
    }
  return img;
}

}  // namespace

TEST(DegradeKernelEstimation, RecoversTheGaussianBlurOfAnImage) {
  using namespace vsr::degrade;
  const FloatImage sharp = shapes(128);
  for (double sigma : {1.0, 1.5, 2.5}) {
    const BlurEstimate e = estimate_gaussian_blur(blur(sharp, isotropic_gaussian(2 * static_cast<int>(std::ceil(3 * sigma)) + 1, sigma)));
    EXPECT_GT(e.edges, 50) << "sigma " << sigma;
    EXPECT_NEAR(e.sigma, sigma, 0.1 * sigma) << "sigma " << sigma << " from " << e.edges << " edge pixels";
  }
  EXPECT_LT(estimate_gaussian_blur(sharp).sigma, 0.6) << "a pixel-sharp image";
  // RGB is measured on its luma; a flat image has no edge to measure.
  FloatImage rgb = FloatImage::zeros(3, 128, 128);
  const FloatImage blurred = blur(sharp, isotropic_gaussian(9, 1.5));
  for (int ch = 0; ch < 3; ++ch) std::copy(blurred.v.begin(), blurred.v.end(), rgb.v.begin() + ch * 128 * 128);
  EXPECT_NEAR(estimate_gaussian_blur(rgb).sigma, estimate_gaussian_blur(blurred).sigma, 1e-4);
  const BlurEstimate flat = estimate_gaussian_blur(FloatImage::zeros(3, 64, 64));
  EXPECT_EQ(flat.edges, 0);
}

// The angle between two axes, ignoring direction (mod pi).
double axis_gap(double a, double b) {
  const double d = std::fmod(std::abs(a - b), M_PI);
  return std::min(d, M_PI - d);
}

TEST(DegradeKernelEstimation, FitsTheCovarianceOfOrientedVariances) {
  using namespace vsr::degrade;
  EXPECT_EQ(orientation_bin(0.0), 0);
  EXPECT_EQ(orientation_bin(M_PI), 0);
  EXPECT_EQ(orientation_bin(-0.1), kOrientations - 1);
  EXPECT_EQ(orientation_bin(M_PI / 2 + 0.01), kOrientations / 2);
  // Exact projections n^T S n of a known covariance at the bins' centres: the fit returns it.
  const double xx = 3.0, xy = -1.2, yy = 1.5;
  OrientedBlur blur;
  for (int b = 0; b < kOrientations; ++b) {
    const double t = (b + 0.5) * M_PI / kOrientations;
    blur.variance[b] = xx * std::cos(t) * std::cos(t) + 2 * xy * std::cos(t) * std::sin(t) + yy * std::sin(t) * std::sin(t);
    blur.edges[b] = 10 + b;
  }
  const BlurCovariance s = fit_blur_covariance(blur);
  EXPECT_NEAR(s.xx, xx, 1e-9);
  EXPECT_NEAR(s.xy, xy, 1e-9);
  EXPECT_NEAR(s.yy, yy, 1e-9);
  // Its axes by hand: eigenvalues of [[3, -1.2], [-1.2, 1.5]].
  const double mean = 2.25, spread = std::hypot(0.75, 1.2);
  EXPECT_NEAR(s.sigma_major(), std::sqrt(mean + spread), 1e-9);
  EXPECT_NEAR(s.sigma_minor(), std::sqrt(mean - spread), 1e-9);
  EXPECT_NEAR(s.theta(), 0.5 * std::atan2(-2.4, 1.5), 1e-9);
  // Two orientations cannot fix a shape: an isotropic fit of their weighted mean.
  OrientedBlur two;
  two.variance[0] = 1.0;
  two.edges[0] = 4;
  two.variance[3] = 2.0;
  two.edges[3] = 4;
  const BlurCovariance iso = fit_blur_covariance(two);
  EXPECT_NEAR(iso.xx, 1.5, 1e-12);
  EXPECT_NEAR(iso.yy, 1.5, 1e-12);
  EXPECT_EQ(iso.xy, 0.0);
}

TEST(DegradeKernelEstimation, RecoversAnAnisotropicBlurByOrientation) {
  using namespace vsr::degrade;
  const FloatImage sharp = shapes(192);
  struct Case { double sx, sy, theta; };
  for (const Case k : {Case{2.0, 0.8, 0.52}, Case{1.5, 1.5, 0.0}, Case{2.5, 1.0, -1.0}}) {
    const OrientedBlur measured = oriented_blur({blur(sharp, anisotropic_gaussian(21, k.sx, k.sy, k.theta))});
    EXPECT_GE(measured.measured_orientations(), 6);
    const BlurCovariance s = fit_blur_covariance(measured);
    SCOPED_TRACE("kernel " + std::to_string(k.sx) + " x " + std::to_string(k.sy) + " at " + std::to_string(k.theta));
    EXPECT_NEAR(s.sigma_major(), k.sx, 0.12 * k.sx);
    EXPECT_NEAR(s.sigma_minor(), k.sy, 0.15 * k.sy);
    if (k.sx > 1.2 * k.sy) {  // an isotropic kernel has no axis to recover
      EXPECT_LT(axis_gap(s.theta(), k.theta), 0.15);
    }
  }
}

TEST(DegradeKernelEstimation, MatchesTheClassicBlurToFootage) {
  // Footage made the classic way (HR blurred by an anisotropic Gaussian 2 x 1 HR pixels at 0.6 rad,
  // then bicubic x2): the fitted HR kernel has that shape; footage that is plain bicubic LR needs
  // (almost) no extra blur.
  using namespace vsr::degrade;
  const std::vector<FloatImage> hr = {shapes(192), shapes(256)};
  std::vector<FloatImage> footage, plain;
  for (const auto& image : hr) {
    footage.push_back(resize(blur(image, anisotropic_gaussian(15, 2.0, 1.0, 0.6)), image.width / 2, image.height / 2, Resample::Bicubic));
    plain.push_back(resize(image, image.width / 2, image.height / 2, Resample::Bicubic));
  }
  const ClassicBlurMatch match = matching_classic_blur(footage, hr, 2);
  EXPECT_NEAR(match.hr.sigma_major(), 2.0, 0.3);
  EXPECT_NEAR(match.hr.sigma_minor(), 1.0, 0.3);
  EXPECT_LT(axis_gap(match.hr.theta(), 0.6), 0.15);
  EXPECT_NEAR(match.footage.sigma_major(), fit_blur_covariance(oriented_blur(footage)).sigma_major(), 1e-12);
  EXPECT_EQ(match.kernel.size % 2, 1);
  EXPECT_GE(match.kernel.size, 2 * static_cast<int>(std::ceil(3 * match.hr.sigma_major())) + 1) << "reaches 3 sigma";
  EXPECT_LT(matching_classic_blur(plain, hr, 2).hr.sigma_major(), 0.6);
  EXPECT_THROW(matching_classic_blur({FloatImage::zeros(3, 64, 64)}, hr, 2), vsr::Error) << "footage without edges";
  // The loop vsr-train --blur-from closes: the classic pipeline with the fitted kernel (noise and
  // 8-bit rounding included) makes LR that measures as blurred as the footage, axis by axis.
  std::mt19937_64 rng(7);
  std::vector<FloatImage> remade;
  for (const auto& image : hr) remade.push_back(classic(image, 2, rng, &match.kernel));
  const BlurCovariance again = fit_blur_covariance(oriented_blur(remade));
  EXPECT_NEAR(again.sigma_major(), match.footage.sigma_major(), 0.12);
  EXPECT_NEAR(again.sigma_minor(), match.footage.sigma_minor(), 0.12);
}
