#include "metrics.h"

#include <cmath>
#include <limits>

#include "vsr/error.h"

namespace vsr {
namespace {

LumaPlane shaved(const LumaPlane& p, int shave) {
  LumaPlane out;
  out.width = p.width - 2 * shave;
  out.height = p.height - 2 * shave;
  if (out.width <= 0 || out.height <= 0) throw Error("metrics: image smaller than the shaved border");
  out.values.resize(static_cast<size_t>(out.width) * out.height);
  for (int y = 0; y < out.height; ++y)
    for (int x = 0; x < out.width; ++x)
      out.values[y * out.width + x] = p.values[(y + shave) * p.width + x + shave];
  return out;
}

void check_same_size(const LumaPlane& a, const LumaPlane& b) {
  if (a.width != b.width || a.height != b.height)
    throw Error("metrics: images differ in size (" + std::to_string(a.width) + "x" + std::to_string(a.height) +
                " vs " + std::to_string(b.width) + "x" + std::to_string(b.height) + ")");
}

// 'valid' 2-D correlation with a separable 11-tap Gaussian.
std::vector<double> gaussian_valid(const std::vector<double>& img, int w, int h, const std::vector<double>& g) {
  const int k = static_cast<int>(g.size());
  const int ow = w - k + 1, oh = h - k + 1;
  std::vector<double> tmp(static_cast<size_t>(ow) * h);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < ow; ++x) {
      double s = 0;
      for (int i = 0; i < k; ++i) s += g[i] * img[y * w + x + i];
      tmp[y * ow + x] = s;
    }
  std::vector<double> out(static_cast<size_t>(ow) * oh);
  for (int y = 0; y < oh; ++y)
    for (int x = 0; x < ow; ++x) {
      double s = 0;
      for (int i = 0; i < k; ++i) s += g[i] * tmp[(y + i) * ow + x];
      out[y * ow + x] = s;
    }
  return out;
}

}  // namespace

LumaPlane luma_bt601(const Image8& rgb, bool raw_grey) {
  if (rgb.channels != 3) throw Error("luma_bt601: expected an RGB image");
  LumaPlane out;
  out.width = rgb.width;
  out.height = rgb.height;
  out.values.resize(static_cast<size_t>(rgb.width) * rgb.height);
  for (size_t i = 0; i < out.values.size(); ++i) {
    const uint8_t* p = &rgb.pixels[i * 3];
    const double y = 16.0 + (65.481 * p[0] + 128.553 * p[1] + 24.966 * p[2]) / 255.0;
    out.values[i] = raw_grey ? (y - 16.0) * (255.0 / 219.0) : y;
  }
  return out;
}

double psnr(const LumaPlane& a, const LumaPlane& b, int shave) {
  check_same_size(a, b);
  const LumaPlane sa = shaved(a, shave), sb = shaved(b, shave);
  double sum = 0.0;
  for (size_t i = 0; i < sa.values.size(); ++i) {
    const double d = sa.values[i] - sb.values[i];
    sum += d * d;
  }
  const double mse = sum / static_cast<double>(sa.values.size());
  if (mse == 0.0) return std::numeric_limits<double>::infinity();
  return 10.0 * std::log10(255.0 * 255.0 / mse);
}

double ssim(const LumaPlane& a, const LumaPlane& b, int shave) {
  check_same_size(a, b);
  const LumaPlane sa = shaved(a, shave), sb = shaved(b, shave);
  const int w = sa.width, h = sa.height;
  if (w < 11 || h < 11) throw Error("ssim: image smaller than the 11x11 window");
  std::vector<double> g(11);
  double gs = 0;
  for (int i = 0; i < 11; ++i) {
    g[i] = std::exp(-((i - 5) * (i - 5)) / (2.0 * 1.5 * 1.5));
    gs += g[i];
  }
  for (double& v : g) v /= gs;
  const size_t n = sa.values.size();
  std::vector<double> aa(n), bb(n), ab(n);
  for (size_t i = 0; i < n; ++i) {
    aa[i] = sa.values[i] * sa.values[i];
    bb[i] = sb.values[i] * sb.values[i];
    ab[i] = sa.values[i] * sb.values[i];
  }
  const auto mu1 = gaussian_valid(sa.values, w, h, g), mu2 = gaussian_valid(sb.values, w, h, g);
  const auto e11 = gaussian_valid(aa, w, h, g), e22 = gaussian_valid(bb, w, h, g), e12 = gaussian_valid(ab, w, h, g);
  const double c1 = (0.01 * 255) * (0.01 * 255), c2 = (0.03 * 255) * (0.03 * 255);
  double sum = 0.0;
  for (size_t i = 0; i < mu1.size(); ++i) {
    const double s11 = e11[i] - mu1[i] * mu1[i], s22 = e22[i] - mu2[i] * mu2[i], s12 = e12[i] - mu1[i] * mu2[i];
    sum += ((2 * mu1[i] * mu2[i] + c1) * (2 * s12 + c2)) /
           ((mu1[i] * mu1[i] + mu2[i] * mu2[i] + c1) * (s11 + s22 + c2));
  }
  return sum / static_cast<double>(mu1.size());
}

}  // namespace vsr
