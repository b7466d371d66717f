#include "ops.h"

#include <algorithm>
#include <cmath>

#include "eval/imresize.h"
#include "vsr/error.h"

namespace vsr::degrade {
namespace {

// Reflection without repeating the edge (…, 2, 1, 0, 1, 2, …), folded again for huge offsets.
int reflect(int i, int n) {
  if (n == 1) return 0;
  const int period = 2 * (n - 1);
  i = ((i % period) + period) % period;
  return i < n ? i : period - i;
}

}  // namespace

FloatImage blur(const FloatImage& in, const Kernel& k) {
  FloatImage out = FloatImage::zeros(in.channels, in.height, in.width);
  const int r = k.size / 2;
  for (int c = 0; c < in.channels; ++c)
    for (int y = 0; y < in.height; ++y)
      for (int x = 0; x < in.width; ++x) {
        double acc = 0.0;
        for (int dy = -r; dy <= r; ++dy)
          for (int dx = -r; dx <= r; ++dx)
            acc += k.at(dy + r, dx + r) * in.at(c, reflect(y + dy, in.height), reflect(x + dx, in.width));
        out.at(c, y, x) = static_cast<float>(acc);
      }
  return out;
}

FloatImage resize(const FloatImage& in, int out_w, int out_h, Resample how) {
  if (out_w <= 0 || out_h <= 0 || in.width <= 0 || in.height <= 0) throw Error("resize: empty input or output size");
  FloatImage out = FloatImage::zeros(in.channels, out_h, out_w);
  const size_t in_plane = static_cast<size_t>(in.width) * in.height, out_plane = static_cast<size_t>(out_w) * out_h;
  for (int c = 0; c < in.channels; ++c) {
    const float* src = in.v.data() + c * in_plane;
    float* dst = out.v.data() + c * out_plane;
    if (how == Resample::Bicubic) {
      imresize_bicubic_plane(src, in.width, in.height, out_w, out_h, dst);
    } else if (how == Resample::Area) {
      if (in.width % out_w != 0 || in.height % out_h != 0)
        throw Error("area resize takes integer downscaling factors, not " + std::to_string(in.width) + "x" +
                    std::to_string(in.height) + " -> " + std::to_string(out_w) + "x" + std::to_string(out_h));
      const int fx = in.width / out_w, fy = in.height / out_h;
      for (int y = 0; y < out_h; ++y)
        for (int x = 0; x < out_w; ++x) {
          double acc = 0.0;
          for (int j = 0; j < fy; ++j)
            for (int i = 0; i < fx; ++i) acc += src[(static_cast<size_t>(y) * fy + j) * in.width + x * fx + i];
          dst[static_cast<size_t>(y) * out_w + x] = static_cast<float>(acc / (fx * fy));
        }
    } else {
      // Centre-aligned, as MATLAB's imresize and the other modes here: output pixel x covers input
      // [x, x + 1) * in / out and takes the pixel under its centre. (Taking floor(x * in / out), the
      // pixel at the cell's corner, shifts the image by (in / out - 1) / 2 pixels: 2.8 px at a 1/6.7
      // resize, and LR patches that do not sit on their HR targets teach a network to blur.)
      auto pick = [](int o, int in_size, int out_size) {
        return std::min(in_size - 1, static_cast<int>((2 * static_cast<int64_t>(o) + 1) * in_size / (2 * static_cast<int64_t>(out_size))));
      };
      for (int y = 0; y < out_h; ++y)
        for (int x = 0; x < out_w; ++x)
          dst[static_cast<size_t>(y) * out_w + x] =
              src[static_cast<size_t>(pick(y, in.height, out_h)) * in.width + pick(x, in.width, out_w)];
    }
  }
  return out;
}

FloatImage gaussian_noise(const FloatImage& in, double sigma, bool grey, std::mt19937_64& rng) {
  FloatImage out = in;
  std::normal_distribution<double> n(0.0, sigma);
  const size_t plane = static_cast<size_t>(in.width) * in.height;
  if (grey) {
    for (size_t i = 0; i < plane; ++i) {
      const float e = static_cast<float>(n(rng));
      for (int c = 0; c < in.channels; ++c) out.v[c * plane + i] += e;
    }
  } else {
    for (float& v : out.v) v += static_cast<float>(n(rng));
  }
  return out;
}

FloatImage poisson_noise(const FloatImage& in, double peak, bool grey, std::mt19937_64& rng) {
  if (!(peak > 0.0)) throw Error("Poisson noise peak must be positive");
  auto shot = [&](double value) {  // the noise a value gets: Poisson(value * peak) / peak - value
    const double mean = std::max(value, 0.0) * peak;
    std::poisson_distribution<long> p(mean > 0.0 ? mean : 1e-12);
    return static_cast<double>(p(rng)) / peak - std::max(value, 0.0);
  };
  FloatImage out = in;
  const size_t plane = static_cast<size_t>(in.width) * in.height;
  if (grey && in.channels == 3) {
    for (size_t i = 0; i < plane; ++i) {  // one draw on the luma (BT.601), added to every channel
      const double y = 0.299 * in.v[i] + 0.587 * in.v[plane + i] + 0.114 * in.v[2 * plane + i];
      const float e = static_cast<float>(shot(y));
      for (int c = 0; c < 3; ++c) out.v[c * plane + i] += e;
    }
  } else {
    for (float& v : out.v) v += static_cast<float>(shot(v));
  }
  return out;
}

FloatImage quantise(const FloatImage& in) {
  FloatImage out = in;
  for (float& v : out.v) v = std::round(std::clamp(v, 0.0f, 1.0f) * 255.0f) / 255.0f;
  return out;
}

}  // namespace vsr::degrade
