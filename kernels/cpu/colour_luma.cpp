// The luma-only model path (DESIGN decision 3): the network upscales Y; the chroma of the input frame
// is resampled with Keys' cubic to the output frame's chroma grid.
#include <string>

#include "colour.h"
#include "colour_layout.h"
#include "colour_yuv.h"
#include "vsr/error.h"

namespace vsr::cpu {
namespace {

// Keys' cubic convolution kernel with a = -0.5: reproduces quadratics exactly, the usual "bicubic".
double keys_cubic(double x) {
  constexpr double a = -0.5;
  x = std::fabs(x);
  if (x < 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
  if (x < 2) return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
  return 0;
}

// For each output position along one axis: four source indices (clamped at the edges) and weights.
struct CubicTaps {
  std::vector<int> index;
  std::vector<float> weight;
};

// Output sample j sits at source position (j + 0.5) / ratio - 0.5, which keeps the sample grids of
// both sides centred on the same picture area whatever their sizes.
CubicTaps cubic_taps(int out_size, int in_size, double ratio) {
  CubicTaps taps;
  taps.index.resize(4 * static_cast<size_t>(out_size));
  taps.weight.resize(taps.index.size());
  for (int j = 0; j < out_size; ++j) {
    const double pos = (j + 0.5) / ratio - 0.5;
    const int i0 = static_cast<int>(std::floor(pos));
    const double t = pos - i0;
    for (int k = 0; k < 4; ++k) {
      taps.index[4 * j + k] = std::min(std::max(i0 - 1 + k, 0), in_size - 1);
      taps.weight[4 * j + k] = static_cast<float>(keys_cubic(t - (k - 1)));
    }
  }
  return taps;
}

// Separable resampling of one plane, rows first.
std::vector<float> resample(const std::vector<float>& src, int in_w, int in_h, int out_w, int out_h,
                            const CubicTaps& tx, const CubicTaps& ty) {
  std::vector<float> rows(static_cast<size_t>(in_h) * out_w), out(static_cast<size_t>(out_h) * out_w);
#pragma omp parallel for schedule(static)
  for (int y = 0; y < in_h; ++y) {
    const float* s = src.data() + static_cast<size_t>(y) * in_w;
    float* d = rows.data() + static_cast<size_t>(y) * out_w;
    for (int x = 0; x < out_w; ++x) {
      float v = 0.0f;
      for (int k = 0; k < 4; ++k) v += tx.weight[4 * x + k] * s[tx.index[4 * x + k]];
      d[x] = v;
    }
  }
#pragma omp parallel for schedule(static)
  for (int y = 0; y < out_h; ++y) {
    float* d = out.data() + static_cast<size_t>(y) * out_w;
    for (int x = 0; x < out_w; ++x) {
      float v = 0.0f;
      for (int k = 0; k < 4; ++k)
        v += ty.weight[4 * y + k] * rows[static_cast<size_t>(ty.index[4 * y + k]) * out_w + x];
      d[x] = v;
    }
  }
  return out;
}

// Cb/Cr of `in` at its own chroma resolution: as stored for YUV, per pixel for RGB, none for grey.
ChromaPlanes input_chroma(const Frame& in) {
  const PackedLayout P = packed_layout(in.format);
  if (P.size == 0) return read_yuv_chroma(in);
  const YccMatrix k = ycc_matrix(in.matrix);
  ChromaPlanes c;
  c.width = in.width;
  c.height = in.height;
  c.cb.resize(static_cast<size_t>(c.width) * c.height);
  c.cr.resize(c.cb.size());
#pragma omp parallel for schedule(static)
  for (int y = 0; y < in.height; ++y) {
    const uint8_t* row = plane_row(in, 0, y);
    for (int x = 0; x < in.width; ++x) {
      const uint8_t* p = row + x * P.size;
      const Ycc ycc = rgb_to_ycc(p[P.r] / 255.0f, p[P.g] / 255.0f, p[P.b] / 255.0f, k);
      c.cb[static_cast<size_t>(y) * c.width + x] = ycc.cb;
      c.cr[static_cast<size_t>(y) * c.width + x] = ycc.cr;
    }
  }
  return c;
}

// The chroma of `in` on the chroma grid of `out` (one sample per `subsampling` x `subsampling` pixels).
ChromaPlanes upscaled_chroma(const Frame& in, const Frame& out, int scale, int subsampling) {
  const ChromaPlanes c = input_chroma(in);
  ChromaPlanes up;
  up.subsampling = subsampling;
  up.width = (out.width + subsampling - 1) / subsampling;
  up.height = (out.height + subsampling - 1) / subsampling;
  if (c.width == 0) {  // grey input: no colour to carry
    up.cb.assign(static_cast<size_t>(up.width) * up.height, 0.0f);
    up.cr = up.cb;
    return up;
  }
  const double ratio = static_cast<double>(scale) * c.subsampling / subsampling;
  const CubicTaps tx = cubic_taps(up.width, c.width, ratio), ty = cubic_taps(up.height, c.height, ratio);
  up.cb = resample(c.cb, c.width, c.height, up.width, up.height, tx, ty);
  up.cr = resample(c.cr, c.width, c.height, up.width, up.height, tx, ty);
  return up;
}

std::string size_string(const Frame& f) { return std::to_string(f.width) + "x" + std::to_string(f.height); }

}  // namespace

void frame_to_planar_luma(const Frame& f, float* dst) {
  check_host_frame(f);
  check_frame(f);
  const int W = f.width, H = f.height;
  const PackedLayout P = packed_layout(f.format);
  if (P.size > 0) {
    const YccMatrix k = ycc_matrix(f.matrix);
#pragma omp parallel for schedule(static)
    for (int y = 0; y < H; ++y) {
      const uint8_t* row = plane_row(f, 0, y);
      for (int x = 0; x < W; ++x) {
        const uint8_t* p = row + x * P.size;
        dst[static_cast<size_t>(y) * W + x] = luma_of(p[P.r], p[P.g], p[P.b], k) * (1.0f / 255.0f);
      }
    }
    return;
  }
  const YuvLayout L = yuv_layout(f.format);
  const CodeScale luma = luma_scale(yuv_range(f));
#pragma omp parallel for schedule(static)
  for (int y = 0; y < H; ++y) read_samples(plane_row(f, 0, y), 0, 1, W, L, luma, dst + static_cast<size_t>(y) * W);
}

void luma_to_frame(const float* y_hr, const Frame& in, const Frame& out) {
  check_host_frame(in);
  check_host_frame(out);
  check_frame(in);
  check_frame(out);
  if (out.width % in.width != 0 || out.height % in.height != 0 || out.width / in.width != out.height / in.height)
    throw Error("luma_to_frame: output frame " + size_string(out) + " is not the input " + size_string(in) +
                " times one integer scale");
  if (in.matrix != out.matrix)
    throw Error(
        "luma_to_frame: input and output frames use different colour matrices; the luma path does not "
        "convert between matrices");
  const int scale = out.width / in.width;
  const int W = out.width, H = out.height;
  const PackedLayout P = packed_layout(out.format);
  if (P.size > 0) {
    const ChromaPlanes c = upscaled_chroma(in, out, scale, 1);
    const YccMatrix k = ycc_matrix(out.matrix);
    const AlphaSource alpha(&in, W, H);
#pragma omp parallel for schedule(static)
    for (int y = 0; y < H; ++y) {
      uint8_t* row = plane_row_mut(out, 0, y);
      for (int x = 0; x < W; ++x) {
        const size_t i = static_cast<size_t>(y) * W + x;
        const Rgb rgb = ycc_to_rgb(clamp01(y_hr[i]), c.cb[i], c.cr[i], k);
        write_packed_pixel(row + x * P.size, P, rgb.r, rgb.g, rgb.b, P.a >= 0 ? alpha.at(x, y) : 255);
      }
    }
    return;
  }
  const YuvLayout L = yuv_layout(out.format);
  const YuvRange q = yuv_range(out);
#pragma omp parallel
  {
    std::vector<float> luma(W);
#pragma omp for schedule(static)
    for (int y = 0; y < H; ++y) {
      const float* src = y_hr + static_cast<size_t>(y) * W;
      for (int x = 0; x < W; ++x) luma[x] = clamp01(src[x]);
      write_samples(plane_row_mut(out, 0, y), 0, 1, W, L, luma_scale(q), luma.data());
    }
  }
  if (L.chroma_subsampling == 0) return;
  const ChromaPlanes c = upscaled_chroma(in, out, scale, L.chroma_subsampling);
#pragma omp parallel for schedule(static)
  for (int cy = 0; cy < c.height; ++cy) {
    const size_t row = static_cast<size_t>(cy) * c.width;
    write_samples(plane_row_mut(out, L.u_plane, cy), L.u_offset, L.chroma_step, c.width, L, chroma_scale(q),
                  c.cb.data() + row);
    write_samples(plane_row_mut(out, L.v_plane, cy), L.v_offset, L.chroma_step, c.width, L, chroma_scale(q),
                  c.cr.data() + row);
  }
}

}  // namespace vsr::cpu
