#include "imresize.h"

#include <algorithm>
#include <cmath>

#include "vsr/error.h"

namespace vsr {
namespace {

double cubic(double x) {
  const double ax = std::fabs(x), ax2 = ax * ax, ax3 = ax2 * ax;
  if (ax <= 1.0) return 1.5 * ax3 - 2.5 * ax2 + 1.0;
  if (ax <= 2.0) return -0.5 * ax3 + 2.5 * ax2 - 4.0 * ax + 2.0;
  return 0.0;
}

// For each output index, the source indices and normalised weights (MATLAB's `contributions`).
struct Contributions {
  int taps = 0;
  std::vector<int> index;      // out_len * taps
  std::vector<double> weight;  // out_len * taps
};

double lanczos3(double x) {
  auto sinc = [](double v) { return v == 0.0 ? 1.0 : std::sin(M_PI * v) / (M_PI * v); };
  return std::fabs(x) < 3.0 ? sinc(x) * sinc(x / 3.0) : 0.0;
}

Contributions contributions(int in_len, int out_len, double scale, ResizeFilter filter = ResizeFilter::Bicubic) {
  const bool shrink = scale < 1.0;
  const double support = filter == ResizeFilter::Lanczos3 ? 6.0 : 4.0;  // MATLAB's kernel widths
  const double width = shrink ? support / scale : support;
  const auto kernel = filter == ResizeFilter::Lanczos3 ? lanczos3 : cubic;
  Contributions c;
  c.taps = static_cast<int>(std::ceil(width)) + 2;
  c.index.resize(static_cast<size_t>(out_len) * c.taps);
  c.weight.resize(c.index.size());
  const int period = 2 * in_len;
  for (int o = 0; o < out_len; ++o) {
    const double u = (o + 1) / scale + 0.5 * (1.0 - 1.0 / scale);  // 1-based source coordinate
    const double left = std::floor(u - width / 2.0);
    double sum = 0.0;
    for (int t = 0; t < c.taps; ++t) {
      const double idx1 = left + t;
      const double w = shrink ? scale * kernel(scale * (u - idx1)) : kernel(u - idx1);
      // Symmetric padding: mirror with the edge sample repeated.
      int m = static_cast<int>(idx1) - 1;
      m = ((m % period) + period) % period;
      c.index[o * c.taps + t] = m < in_len ? m : period - 1 - m;
      c.weight[o * c.taps + t] = w;
      sum += w;
    }
    for (int t = 0; t < c.taps; ++t) c.weight[o * c.taps + t] /= sum;
  }
  return c;
}

uint8_t round_u8(double v) {
  v = std::min(255.0, std::max(0.0, v));
  return static_cast<uint8_t>(std::floor(v + 0.5));
}

Image8 resize_rows(const Image8& in, int out_height, double scale, ResizeFilter filter) {
  const Contributions c = contributions(in.height, out_height, scale, filter);
  Image8 out{in.width, out_height, in.channels, {}};
  out.pixels.resize(static_cast<size_t>(out.width) * out.height * out.channels);
  const size_t row_len = static_cast<size_t>(in.width) * in.channels;
  std::vector<double> acc(row_len);
  for (int o = 0; o < out_height; ++o) {
    std::fill(acc.begin(), acc.end(), 0.0);
    for (int t = 0; t < c.taps; ++t) {
      const double w = c.weight[o * c.taps + t];
      if (w == 0.0) continue;
      const uint8_t* src = in.row(c.index[o * c.taps + t]);
      for (size_t i = 0; i < row_len; ++i) acc[i] += w * src[i];
    }
    uint8_t* dst = out.row(o);
    for (size_t i = 0; i < row_len; ++i) dst[i] = round_u8(acc[i]);
  }
  return out;
}

Image8 resize_cols(const Image8& in, int out_width, double scale, ResizeFilter filter) {
  const Contributions c = contributions(in.width, out_width, scale, filter);
  Image8 out{out_width, in.height, in.channels, {}};
  out.pixels.resize(static_cast<size_t>(out.width) * out.height * out.channels);
  const int ch = in.channels;
  for (int y = 0; y < in.height; ++y) {
    const uint8_t* src = in.row(y);
    uint8_t* dst = out.row(y);
    for (int o = 0; o < out_width; ++o) {
      for (int k = 0; k < ch; ++k) {
        double acc = 0.0;
        for (int t = 0; t < c.taps; ++t)
          acc += c.weight[o * c.taps + t] * src[c.index[o * c.taps + t] * ch + k];
        dst[o * ch + k] = round_u8(acc);
      }
    }
  }
  return out;
}

Image8 resize(const Image8& image, int out_w, int out_h, double scale_w, double scale_h,
              ResizeFilter filter = ResizeFilter::Bicubic) {
  if (image.width <= 0 || image.height <= 0 || out_w <= 0 || out_h <= 0)
    throw Error("imresize: empty input or output size");
  // MATLAB resizes the dimension with the smaller scale first (height first on a tie).
  if (scale_h <= scale_w) return resize_cols(resize_rows(image, out_h, scale_h, filter), out_w, scale_w, filter);
  return resize_rows(resize_cols(image, out_w, scale_w, filter), out_h, scale_h, filter);
}

// One float plane along one axis: `lines` runs of `in_len` samples `stride` apart, each `step` apart
// from the next line.
void resize_axis(const float* in, int in_len, float* out, int out_len, double scale, int lines, int in_step,
                 int out_step, int stride) {
  const Contributions c = contributions(in_len, out_len, scale);
  for (int l = 0; l < lines; ++l)
    for (int o = 0; o < out_len; ++o) {
      double acc = 0.0;
      for (int t = 0; t < c.taps; ++t) acc += c.weight[o * c.taps + t] * in[l * in_step + c.index[o * c.taps + t] * stride];
      out[l * out_step + o * stride] = static_cast<float>(acc);
    }
}

}  // namespace

void imresize_bicubic_plane(const float* src, int w, int h, int out_w, int out_h, float* dst) {
  if (w <= 0 || h <= 0 || out_w <= 0 || out_h <= 0) throw Error("imresize: empty input or output size");
  const double sw = static_cast<double>(out_w) / w, sh = static_cast<double>(out_h) / h;
  if (sh <= sw) {  // rows (height) first, as MATLAB on a tie
    std::vector<float> mid(static_cast<size_t>(w) * out_h);
    resize_axis(src, h, mid.data(), out_h, sh, w, 1, 1, w);             // columns of length h
    resize_axis(mid.data(), w, dst, out_w, sw, out_h, w, out_w, 1);     // rows of length w
  } else {
    std::vector<float> mid(static_cast<size_t>(out_w) * h);
    resize_axis(src, w, mid.data(), out_w, sw, h, w, out_w, 1);
    resize_axis(mid.data(), h, dst, out_h, sh, out_w, 1, 1, out_w);
  }
}

Image8 imresize(const Image8& image, double scale, ResizeFilter filter) {
  const int out_w = static_cast<int>(std::ceil(scale * image.width));
  const int out_h = static_cast<int>(std::ceil(scale * image.height));
  return resize(image, out_w, out_h, scale, scale, filter);
}

Image8 imresize_bicubic(const Image8& image, double scale) {
  const int out_w = static_cast<int>(std::ceil(scale * image.width));
  const int out_h = static_cast<int>(std::ceil(scale * image.height));
  return resize(image, out_w, out_h, scale, scale);
}

Image8 imresize_bicubic(const Image8& image, int out_width, int out_height) {
  return resize(image, out_width, out_height, static_cast<double>(out_width) / image.width,
                static_cast<double>(out_height) / image.height);
}

}  // namespace vsr
