// Reference convolutions: direct loops, no tricks. Parallel over output channels only so the
// oracle stays obviously correct while being usable on real frames in tests.
#include <algorithm>

#include "conv.h"
#include "tensor_limits.h"
#include "vsr/error.h"

namespace vsr::cpu {

std::vector<int64_t> conv_output_shape(const Tensor& x, const Tensor& w, const ConvParams& p) {
  if (x.shape.size() != 4 || w.shape.size() != 4)
    throw Error("Conv expects 4-D input and weight, got " + shape_string(x.shape) + " and " + shape_string(w.shape));
  if (p.group <= 0 || p.group > w.shape[0])
    throw Error("Conv group " + std::to_string(p.group) + " is out of range for weight " + shape_string(w.shape));
  if (x.shape[1] != w.shape[1] * p.group)
    throw Error("Conv input has " + std::to_string(x.shape[1]) + " channels but the weight " + shape_string(w.shape) +
                " with group " + std::to_string(p.group) + " expects " + std::to_string(w.shape[1] * p.group));
  if (p.group <= 0 || w.shape[0] % p.group != 0)
    throw Error("Conv weight " + shape_string(w.shape) + " has " + std::to_string(w.shape[0]) +
                " output channels, not divisible into " + std::to_string(p.group) + " groups");
  const int64_t kh = (w.shape[2] - 1) * p.dilation_h + 1, kw = (w.shape[3] - 1) * p.dilation_w + 1;
  const int64_t oh = (x.shape[2] + p.pad_top + p.pad_bottom - kh) / p.stride_h + 1;
  const int64_t ow = (x.shape[3] + p.pad_left + p.pad_right - kw) / p.stride_w + 1;
  if (oh <= 0 || ow <= 0) throw Error("Conv input " + shape_string(x.shape) + " is smaller than its kernel");
  checked_shape({x.shape[0], w.shape[0], oh, ow}, "Conv output");
  return {x.shape[0], w.shape[0], oh, ow};
}

std::vector<int64_t> conv_transpose_output_shape(const Tensor& x, const Tensor& w, const ConvParams& p) {
  if (x.shape.size() != 4 || w.shape.size() != 4)
    throw Error("ConvTranspose expects 4-D input and weight, got " + shape_string(x.shape) + " and " +
                shape_string(w.shape));
  if (x.shape[1] != w.shape[0])
    throw Error("ConvTranspose input has " + std::to_string(x.shape[1]) + " channels but the weight " +
                shape_string(w.shape) + " expects " + std::to_string(w.shape[0]));
  if (p.group <= 0 || x.shape[1] % p.group != 0)
    throw Error("ConvTranspose input has " + std::to_string(x.shape[1]) + " channels, not divisible into " +
                std::to_string(p.group) + " groups");
  const int64_t out_channels = checked_mul(w.shape[1], p.group, "ConvTranspose output channels");
  const int64_t oh = (x.shape[2] - 1) * p.stride_h - p.pad_top - p.pad_bottom + (w.shape[2] - 1) * p.dilation_h +
                     p.output_pad_h + 1;
  const int64_t ow = (x.shape[3] - 1) * p.stride_w - p.pad_left - p.pad_right + (w.shape[3] - 1) * p.dilation_w +
                     p.output_pad_w + 1;
  if (oh <= 0 || ow <= 0) throw Error("ConvTranspose output of " + shape_string(x.shape) + " would be empty");
  checked_shape({x.shape[0], out_channels, oh, ow}, "ConvTranspose output");
  return {x.shape[0], out_channels, oh, ow};
}

void conv2d_reference(const Tensor& x, const Tensor& w, const Tensor* bias, const ConvParams& p, Tensor& y) {
  y.resize(conv_output_shape(x, w, p));
  if (y.data.empty()) return;  // an empty axis may sit beside huge ones: do not loop over them
  const int64_t N = x.shape[0], C = x.shape[1], H = x.shape[2], W = x.shape[3];
  const int64_t M = y.shape[1], OH = y.shape[2], OW = y.shape[3], KH = w.shape[2], KW = w.shape[3];
  const int64_t cpg = C / p.group, mpg = M / p.group;
  for (int64_t n = 0; n < N; ++n) {
#pragma omp parallel for schedule(static)
    for (int64_t m = 0; m < M; ++m) {
      const int64_t g = m / mpg;
      float* out = &y.data[((n * M) + m) * OH * OW];
      for (int64_t oy = 0; oy < OH; ++oy) {
        for (int64_t ox = 0; ox < OW; ++ox) {
          float acc = bias ? bias->data[m] : 0.0f;
          for (int64_t c = 0; c < cpg; ++c) {
            const float* in = &x.data[((n * C) + g * cpg + c) * H * W];
            const float* k = &w.data[((m * cpg) + c) * KH * KW];
            for (int64_t ky = 0; ky < KH; ++ky) {
              const int64_t iy = oy * p.stride_h - p.pad_top + ky * p.dilation_h;
              if (iy < 0 || iy >= H) continue;
              for (int64_t kx = 0; kx < KW; ++kx) {
                const int64_t ix = ox * p.stride_w - p.pad_left + kx * p.dilation_w;
                if (ix < 0 || ix >= W) continue;
                acc += in[iy * W + ix] * k[ky * KW + kx];
              }
            }
          }
          out[oy * OW + ox] = acc;
        }
      }
    }
  }
  apply_activation(p.activation, y.data.data(), y.numel(), M, OH * OW);
}

void conv_transpose2d_reference(const Tensor& x, const Tensor& w, const Tensor* bias, const ConvParams& p, Tensor& y) {
  y.resize(conv_transpose_output_shape(x, w, p));
  if (y.data.empty()) return;
  const int64_t N = x.shape[0], C = x.shape[1], H = x.shape[2], W = x.shape[3];
  const int64_t M = y.shape[1], OH = y.shape[2], OW = y.shape[3], KH = w.shape[2], KW = w.shape[3];
  const int64_t cpg = C / p.group, mpg = M / p.group;
  for (int64_t n = 0; n < N; ++n) {
#pragma omp parallel for schedule(static)
    for (int64_t m = 0; m < M; ++m) {
      const int64_t g = m / mpg, mg = m % mpg;
      float* out = &y.data[((n * M) + m) * OH * OW];
      std::fill(out, out + OH * OW, bias ? bias->data[m] : 0.0f);
      // Scatter form: each input pixel adds its kernel footprint to the output.
      for (int64_t c = 0; c < cpg; ++c) {
        const int64_t ci = g * cpg + c;
        const float* in = &x.data[((n * C) + ci) * H * W];
        const float* k = &w.data[((ci * mpg) + mg) * KH * KW];
        for (int64_t iy = 0; iy < H; ++iy)
          for (int64_t ix = 0; ix < W; ++ix) {
            const float v = in[iy * W + ix];
            for (int64_t ky = 0; ky < KH; ++ky) {
              const int64_t oy = iy * p.stride_h - p.pad_top + ky * p.dilation_h;
              if (oy < 0 || oy >= OH) continue;
              for (int64_t kx = 0; kx < KW; ++kx) {
                const int64_t ox = ix * p.stride_w - p.pad_left + kx * p.dilation_w;
                if (ox < 0 || ox >= OW) continue;
                out[oy * OW + ox] += v * k[ky * KW + kx];
              }
            }
          }
      }
    }
  }
  const int64_t channel_size = OH * OW;
  apply_activation(p.activation, y.data.data(), y.numel(), M, channel_size);
}

}  // namespace vsr::cpu
