// YUV and grey frames <-> planar float RGB, for every YUV layout colour_layout.h describes. Rows are
// unpacked to floats (and packed back) in one place, so the colour maths never sees sample layouts.
#include "colour_yuv.h"

#include "colour_layout.h"

namespace vsr::cpu {
namespace {

std::vector<ChromaTap> chroma_taps(int luma_size, int subsampling, int chroma_size) {
  std::vector<ChromaTap> taps(luma_size);
  for (int v = 0; v < luma_size; ++v) taps[v] = chroma_tap(v, subsampling, chroma_size);
  return taps;
}

}  // namespace

ChromaPlanes read_yuv_chroma(const Frame& f) {
  const YuvLayout L = yuv_layout(f.format);
  ChromaPlanes c;
  const int s = L.chroma_subsampling;
  if (s == 0) return c;
  const CodeScale scale = chroma_scale(yuv_range(f));
  c.subsampling = s;
  c.width = (f.width + s - 1) / s;
  c.height = (f.height + s - 1) / s;
  c.cb.resize(static_cast<size_t>(c.width) * c.height);
  c.cr.resize(c.cb.size());
#pragma omp parallel for schedule(static)
  for (int cy = 0; cy < c.height; ++cy) {
    const size_t row = static_cast<size_t>(cy) * c.width;
    read_samples(plane_row(f, L.u_plane, cy), L.u_offset, L.chroma_step, c.width, L, scale, c.cb.data() + row);
    read_samples(plane_row(f, L.v_plane, cy), L.v_offset, L.chroma_step, c.width, L, scale, c.cr.data() + row);
  }
  return c;
}

void yuv_frame_to_planar_rgb(const Frame& f, float* dst) {
  const YuvLayout L = yuv_layout(f.format);
  const YccMatrix k = ycc_matrix(f.matrix);
  const int W = f.width, H = f.height, s = L.chroma_subsampling;
  const size_t plane = static_cast<size_t>(W) * H;
  float* R = dst;
  float* G = dst + plane;
  float* B = dst + 2 * plane;
  const CodeScale luma = luma_scale(yuv_range(f));
  const ChromaPlanes c = read_yuv_chroma(f);
  const std::vector<ChromaTap> x_taps = s ? chroma_taps(W, s, c.width) : std::vector<ChromaTap>();
  const std::vector<ChromaTap> y_taps = s ? chroma_taps(H, s, c.height) : std::vector<ChromaTap>();
#pragma omp parallel
  {
    std::vector<float> cb_row(c.width), cr_row(c.width);
#pragma omp for schedule(static)
    for (int y = 0; y < H; ++y) {
      const size_t row = static_cast<size_t>(y) * W;
      read_samples(plane_row(f, 0, y), 0, 1, W, L, luma, R + row);  // Y, until the colour is added
      if (s == 0) {
        std::copy(R + row, R + row + W, G + row);
        std::copy(R + row, R + row + W, B + row);
        continue;
      }
      const ChromaTap ty = y_taps[y];
      const float* cb0 = c.cb.data() + static_cast<size_t>(ty.i0) * c.width;
      const float* cb1 = c.cb.data() + static_cast<size_t>(ty.i1) * c.width;
      const float* cr0 = c.cr.data() + static_cast<size_t>(ty.i0) * c.width;
      const float* cr1 = c.cr.data() + static_cast<size_t>(ty.i1) * c.width;
      for (int cx = 0; cx < c.width; ++cx) {
        cb_row[cx] = cb0[cx] + (cb1[cx] - cb0[cx]) * ty.t;
        cr_row[cx] = cr0[cx] + (cr1[cx] - cr0[cx]) * ty.t;
      }
      for (int x = 0; x < W; ++x) {
        const ChromaTap tx = x_taps[x];
        const float cb = cb_row[tx.i0] + (cb_row[tx.i1] - cb_row[tx.i0]) * tx.t;
        const float cr = cr_row[tx.i0] + (cr_row[tx.i1] - cr_row[tx.i0]) * tx.t;
        const Rgb rgb = ycc_to_rgb(R[row + x], cb, cr, k);
        R[row + x] = rgb.r;
        G[row + x] = rgb.g;
        B[row + x] = rgb.b;
      }
    }
  }
}

void planar_rgb_to_yuv_frame(const float* src, const Frame& f) {
  const YuvLayout L = yuv_layout(f.format);
  const YuvRange q = yuv_range(f);
  const YccMatrix k = ycc_matrix(f.matrix);
  const int W = f.width, H = f.height, s = L.chroma_subsampling;
  const size_t plane = static_cast<size_t>(W) * H;
  const float* R = src;
  const float* G = src + plane;
  const float* B = src + 2 * plane;
#pragma omp parallel
  {
    std::vector<float> luma(W);
#pragma omp for schedule(static)
    for (int y = 0; y < H; ++y) {
      const size_t row = static_cast<size_t>(y) * W;
      for (int x = 0; x < W; ++x) luma[x] = luma_of(clamp01(R[row + x]), clamp01(G[row + x]), clamp01(B[row + x]), k);
      write_samples(plane_row_mut(f, 0, y), 0, 1, W, L, luma_scale(q), luma.data());
    }
  }
  if (s == 0) return;
  const int CW = (W + s - 1) / s, CH = (H + s - 1) / s;
#pragma omp parallel
  {
    std::vector<float> cb_row(CW), cr_row(CW);
#pragma omp for schedule(static)
    for (int cy = 0; cy < CH; ++cy) {
      const int y_end = std::min(s * cy + s, H);
      for (int cx = 0; cx < CW; ++cx) {
        // Box average over the luma pixels the sample covers (fewer at odd right/bottom edges).
        const int x_end = std::min(s * cx + s, W);
        float cb = 0.0f, cr = 0.0f;
        for (int y = s * cy; y < y_end; ++y)
          for (int x = s * cx; x < x_end; ++x) {
            const size_t i = static_cast<size_t>(y) * W + x;
            const Ycc ycc = rgb_to_ycc(clamp01(R[i]), clamp01(G[i]), clamp01(B[i]), k);
            cb += ycc.cb;
            cr += ycc.cr;
          }
        const float n = float((y_end - s * cy) * (x_end - s * cx));
        cb_row[cx] = cb / n;
        cr_row[cx] = cr / n;
      }
      write_samples(plane_row_mut(f, L.u_plane, cy), L.u_offset, L.chroma_step, CW, L, chroma_scale(q), cb_row.data());
      write_samples(plane_row_mut(f, L.v_plane, cy), L.v_offset, L.chroma_step, CW, L, chroma_scale(q), cr_row.data());
    }
  }
}

}  // namespace vsr::cpu
